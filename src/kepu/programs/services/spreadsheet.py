"""A venue's programme as an Excel workbook, out and back in.

Museum staff keep their activity lists in Excel. The export writes one sheet, one row per
session; the import reads a sheet in the same layout, with Chinese or English headers, labels or
codes for the choices, and figures written the way staff write them ("约1650", "500余").
An import is all or nothing: every row is checked first, and one bad row saves none of them.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from io import BytesIO
from typing import TYPE_CHECKING, Any, NoReturn

from django.db import transaction
from django.db.models import Q, QuerySet, TextChoices
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kepu.core.audit import audit_record
from kepu.core.errors import ApplicationError
from kepu.core.scopes import Capability, require_venue
from kepu.core.spreadsheets import format_table
from kepu.network.models import Hall, Venue
from kepu.network.selectors import venue_get
from kepu.programs.models import (
    AT_VENUE,
    Activity,
    ActivityType,
    Audience,
    CampaignTheme,
    PlaceKind,
    School,
    Session,
    SessionStatus,
    ThemeDay,
)
from kepu.programs.selectors import local_range
from kepu.programs.services.activities import activity_create, session_create, session_record

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import _StrPromise

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class Column:
    key: str
    header: _StrPromise
    # Headers staff write by hand, recognised on import whatever the catalogue says.
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("activity", gettext_lazy("Activity"), ("活动名称", "活动", "名称", "activity name")),
    Column("activity_type", gettext_lazy("Type"), ("活动类型", "类型", "activity type")),
    Column("audience", gettext_lazy("Audience"), ("对象", "面向对象", "参与对象", "受众")),
    Column("partners", gettext_lazy("Partners"), ("合作单位", "合作方", "partner organisations")),
    Column("theme_day", gettext_lazy("Theme day"), ("主题日",)),
    Column("campaign_theme", gettext_lazy("Joint action theme"), ("联合行动主题",)),
    Column("date", gettext_lazy("Date"), ("日期", "活动日期")),
    Column("starts", gettext_lazy("Start time"), ("开始时间", "开始", "starts at")),
    Column("ends", gettext_lazy("End time"), ("结束时间", "结束", "ends at")),
    Column("place_kind", gettext_lazy("Kind of place"), ("场所类型", "地点类型")),
    Column("place", gettext_lazy("Hall or place"), ("展厅或地点", "地点", "场所", "展厅", "place")),
    Column("school", gettext_lazy("School"), ("学校",)),
    Column("capacity", gettext_lazy("Capacity"), ("名额", "容量", "places")),
    Column("status", gettext_lazy("Status"), ("状态",)),
    Column("participants", gettext_lazy("Participants"), ("参与人数", "人数")),
    Column("approximate", gettext_lazy("Approximate"), ("约数", "约", "估计数", "approx.")),
    Column("online_viewers", gettext_lazy("Online viewers"), ("线上观看人数", "线上观看")),
    Column("st_workers", gettext_lazy("S&T workers"), ("科技工作者人数", "科技工作者")),
    Column("note", gettext_lazy("Note"), ("备注",)),
)
REQUIRED = ("activity", "activity_type", "date", "starts")
APPROXIMATE_MARKS = frozenset(
    {"约", "approx", "approx.", "about", "余", "近", "yes", "y", "true", "1", "是", "x", "√", "✓"}
)
EXACT_MARKS = frozenset({"", "no", "n", "false", "0", "否"})
FIGURE = re.compile(
    r"^(?P<before>约|近|大约|approx\.?|about|~|≈)?\s*(?P<number>\d[\d,，]*)(?P<fraction>\.\d+)?"
    r"\s*(?P<after>余|多|\+)?\s*(?:人次|人)?$",
    re.IGNORECASE,
)
CLOCK = re.compile(r"^(\d{1,2})\s*[:：点]\s*(\d{2})?(?:[:：]\d{2})?\s*分?$")
LENGTHS = {"activity": 200, "partners": 500, "place": 200, "note": 300}


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _localised(instance: Any, english: bool) -> str:
    """The English name of a hall, school … in an English sheet when it has one."""
    if instance is None:
        return ""
    return str((english and instance.name_en) or instance.name)


# Export ---------------------------------------------------------------------------------------


def programme_export(*, user: Actor, venue: Venue, start: date, end: date, language: str) -> bytes:
    """The venue's sessions in [start, end] as an .xlsx workbook, headers and labels in
    ``language`` (Chinese for zh-*, English otherwise)."""
    venue = venue_get(user=user, venue_id=venue.pk)
    if end < start:
        raise ApplicationError.for_field("end", _("The period must end after it starts."))
    first, after = local_range(start, end)
    sessions = (
        Session.objects.filter(venue=venue, starts_at__gte=first, starts_at__lt=after)
        .select_related("activity__theme_day", "activity__campaign_theme", "hall", "school")
        .order_by("starts_at", "id")
    )
    english = not language.lower().startswith("zh")
    workbook = Workbook()
    sheet = workbook.active
    with translation.override(language):
        sheet.title = _("Sessions")
        sheet.append([str(column.header) for column in COLUMNS])
        for session in sessions:
            sheet.append(_export_row(session, english))
    format_table(sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _figure_cell(value: int | None, approximate: bool) -> int | str | None:
    if value is None or not approximate:
        return value
    return _("about %(figure)s") % {"figure": value}


def _export_row(session: Session, english: bool) -> list[object]:
    activity = session.activity
    starts = timezone.localtime(session.starts_at)
    ends = timezone.localtime(session.ends_at) if session.ends_at else None
    return [
        # The activity's own name, in either language: an import creates it by this name.
        activity.name,
        activity.get_activity_type_display(),
        activity.get_audience_display(),
        activity.partners,
        _localised(activity.theme_day, english),
        _localised(activity.campaign_theme, english),
        starts.date(),
        starts.time(),
        _end_cell(starts, ends),
        session.get_place_kind_display(),
        _localised(session.hall, english) if session.hall else session.place_name,
        _localised(session.school, english),
        session.capacity,
        session.get_status_display(),
        session.participants,
        _("approx.") if session.participants_approximate else None,
        _figure_cell(session.online_viewers, session.online_approximate),
        _figure_cell(session.st_workers or None, session.st_workers_approximate),
        session.note,
    ]


def _end_cell(starts: datetime, ends: datetime | None) -> time | datetime | None:
    """The end time; with its date when the session runs past midnight (a camp)."""
    if ends is None:
        return None
    # Excel knows no time zones: the sheet holds Beijing time, as the import reads it.
    return ends.time() if ends.date() == starts.date() else ends.replace(tzinfo=None)


# Import ---------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    activities_created: int = 0
    sessions_created: int = 0
    sessions_skipped: int = 0


@dataclass(frozen=True)
class Figure:
    value: int
    approximate: bool = False


@dataclass
class ProgrammeRow:
    """One checked row of the sheet, ready to be written."""

    number: int
    activity_name: str
    activity_type: str
    audience: str
    partners: str
    theme_day: ThemeDay | None
    campaign_theme: CampaignTheme | None
    starts_at: datetime
    ends_at: datetime | None
    place_kind: str
    hall: Hall | None
    place_name: str
    school: School | None
    capacity: int | None
    status: str
    participants: Figure | None
    online_viewers: Figure | None
    st_workers: Figure | None
    note: str

    @property
    def session_key(self) -> tuple[object, ...]:
        """What makes two sessions of an activity the same: when and where."""
        hall_id = self.hall.pk if self.hall else None
        return (self.starts_at, self.place_kind, hall_id, self.place_name)


@transaction.atomic
def programme_import(*, actor: Actor, venue: Venue, data: bytes) -> ImportResult:
    """Create the activities and sessions of a workbook in the export's layout.

    Every row is checked before anything is written; if any is wrong, the error names each bad
    row with its reasons and nothing is saved. Activities are matched by name and type, and
    sessions already recorded (same activity, start and place) are skipped, so importing the
    same file twice changes nothing.
    """
    require_venue(actor, venue, Capability.MANAGE_PROGRAMS)
    header_row, raw_rows = _read_sheet(data)
    reader = RowReader(venue=venue, raw_rows=raw_rows)
    rows = [row for number, cells in raw_rows if (row := reader.row(number, cells)) is not None]
    _check_repeats(rows, reader.errors)
    if reader.errors:
        _raise_bad_rows(reader.errors)
    result = _write(actor=actor, venue=venue, rows=rows)
    audit_record(
        actor=actor,
        action="programme.import",
        target=venue,
        after={"rows": len(rows), "header_row": header_row, **vars(result)},
        venue=venue,
    )
    return result


def _raise_bad_rows(errors: Mapping[str, Sequence[str]]) -> NoReturn:
    raise ApplicationError(
        _("%(n)s rows are wrong; nothing was saved.") % {"n": len(errors)},
        code="bad_rows",
        fields=errors,
    )


def _header_names() -> dict[str, str]:
    """Every header a column is recognised by: its key, its alias, its header in each language."""
    names: dict[str, str] = {}
    for column in COLUMNS:
        known = {column.key, column.key.replace("_", " "), *column.aliases}
        for language in LANGUAGES:
            with translation.override(language):
                known.add(str(column.header))
        for name in known:
            names.setdefault(_normal(name), column.key)
    return names


Cells = dict[str, object]


def _read_sheet(data: bytes) -> tuple[int, list[tuple[int, Cells]]]:
    """The header row's number and every non-blank row below it, as cells by column."""
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ApplicationError(
            _("This is not an Excel workbook (.xlsx)."), code="bad_file"
        ) from error
    try:
        lines: Iterator[tuple[object, ...]] = iter(workbook.active.iter_rows(values_only=True))
        header_number, keys = _find_header(lines)
        rows: list[tuple[int, Cells]] = []
        for number, line in enumerate(lines, start=header_number + 1):
            cells: Cells = {}
            for key, value in zip(keys, line, strict=False):
                if key and key not in cells:
                    cells[key] = value.strip() if isinstance(value, str) else value
            if any(value not in (None, "") for value in cells.values()):
                rows.append((number, cells))
    finally:
        workbook.close()
    return header_number, rows


def _find_header(lines: Iterator[tuple[object, ...]]) -> tuple[int, list[str]]:
    """The header line and the column each of its cells names ("" for columns not ours).

    Hand-kept sheets often carry a title line or two above the header, so the first ten lines
    are searched.
    """
    names = _header_names()
    header: tuple[int, list[str]] = (0, [])
    for number, line in enumerate(itertools.islice(lines, 10), start=1):
        keys = [names.get(_normal(str(value)), "") if value is not None else "" for value in line]
        if "activity" in keys and "date" in keys:
            header = (number, keys)
            break
    number, keys = header
    missing = [column for column in COLUMNS if column.key in REQUIRED and column.key not in keys]
    if missing:
        raise ApplicationError(
            _("The sheet lacks these columns: %(columns)s.")
            % {"columns": ", ".join(str(column.header) for column in missing)},
            code="bad_header",
            fields={"header": [_("Use the headers of an exported sheet.")]},
        )
    return number, keys


def _choices(choices: type[TextChoices]) -> dict[str, str]:
    """Code, English label and Chinese label of each choice → its code."""
    found: dict[str, str] = {}
    for language in LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                found[_normal(str(label))] = value
    found.update({_normal(value): value for value in choices.values})
    return found


def _by_name[T: Hall | School | ThemeDay | CampaignTheme](
    objects: Iterable[T],
) -> dict[str, list[T]]:
    found: dict[str, list[T]] = {}
    for instance in objects:
        for name in {instance.name, instance.name_en} - {""}:
            found.setdefault(_normal(name), []).append(instance)
    return found


def _named[M: School | ThemeDay | CampaignTheme](
    objects: QuerySet[M], names: Sequence[str]
) -> Iterable[M]:
    """Those called one of ``names`` (in either language), read in one query when any is."""
    if not names:
        return []
    return objects.filter(Q(name__in=names) | Q(name_en__in=names)).order_by("pk")


class RowReader:
    """Turns the raw cells of a row into a ProgrammeRow, noting every reason it cannot."""

    def __init__(self, *, venue: Venue, raw_rows: Sequence[tuple[int, Cells]]) -> None:
        self.venue = venue
        self.errors: dict[str, list[str]] = {}
        self.number = 0
        self.types = _choices(ActivityType)
        self.audiences = _choices(Audience)
        self.place_kinds = _choices(PlaceKind)
        self.statuses = _choices(SessionStatus)
        self.halls = _by_name(venue.halls.all())
        schools, days, themes = (
            [str(cells[key]).strip() for _number, cells in raw_rows if cells.get(key)]
            for key in ("school", "theme_day", "campaign_theme")
        )
        self.schools = _by_name(_named(School.objects.all(), schools))
        self.theme_days = _by_name(_named(ThemeDay.objects.all(), days))
        self.campaign_themes = _by_name(
            _named(CampaignTheme.objects.select_related("campaign"), themes)
        )

    def fail(self, reason: str) -> None:
        self.errors.setdefault(f"row {self.number}", []).append(reason)

    @staticmethod
    def header(key: str) -> str:
        return next(str(column.header) for column in COLUMNS if column.key == key)

    def row(self, number: int, cells: Cells) -> ProgrammeRow | None:
        """The row checked, or None when something is wrong with it (the reasons are noted)."""
        self.number = number
        texts = {key: self.text(cells, key) for key in ("activity", "partners", "place", "note")}
        if not texts["activity"]:
            self.fail(_("Give the name of the activity."))
        activity_type = self.choice(cells, "activity_type", self.types, required=True)
        day = self.day(cells.get("date"))
        starts_at, ends_at = self.times(day, cells.get("starts"), cells.get("ends"))
        place_kind, hall = self.place(cells, texts["place"])
        school = self.school(cells)
        place_name = self.place_name(place_kind, hall, texts["place"], school)
        participants = self.figure(cells, "participants")
        if participants and self.marked_approximate(cells.get("approximate")):
            participants = Figure(participants.value, approximate=True)
        audience = self.choice(cells, "audience", self.audiences) or Audience.PUBLIC
        theme_day = self.dated(cells, "theme_day", self.theme_days, day)
        campaign_theme = self.dated(cells, "campaign_theme", self.campaign_themes, day)
        capacity = self.capacity(cells)
        online_viewers = self.figure(cells, "online_viewers")
        st_workers = self.figure(cells, "st_workers")
        held = participants is not None or online_viewers is not None
        status = self.status(cells, starts_at, held=held, st_workers=st_workers)
        if f"row {number}" in self.errors or starts_at is None:
            return None
        return ProgrammeRow(
            number=number,
            activity_name=texts["activity"],
            activity_type=activity_type,
            audience=audience,
            partners=texts["partners"],
            theme_day=theme_day,
            campaign_theme=campaign_theme,
            starts_at=starts_at,
            ends_at=ends_at,
            place_kind=place_kind,
            hall=hall,
            place_name=place_name,
            school=school,
            capacity=capacity,
            status=status,
            participants=participants,
            online_viewers=online_viewers,
            st_workers=st_workers,
            note=texts["note"],
        )

    # Cells ------------------------------------------------------------------------------------

    def text(self, cells: Cells, key: str) -> str:
        value = cells.get(key)
        if value is None:
            return ""
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        text = text.strip()
        if key in LENGTHS and len(text) > LENGTHS[key]:
            self.fail(
                _("%(column)s: at most %(n)s characters.")
                % {"column": self.header(key), "n": LENGTHS[key]}
            )
        return text

    def choice(
        self, cells: Cells, key: str, choices: Mapping[str, str], *, required: bool = False
    ) -> str:
        text = self.text(cells, key)
        if not text:
            if required:
                self.fail(_("%(column)s: give a value.") % {"column": self.header(key)})
            return ""
        value = choices.get(_normal(text))
        if value is None:
            self.fail(
                _("%(column)s: “%(value)s” is not one of the choices.")
                % {"column": self.header(key), "value": text}
            )
            return ""
        return value

    def day(self, value: object) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value or "").strip()
        for separator in ("年", "月", "/", "."):
            text = text.replace(separator, "-")
        parts = text.rstrip("日").split("-")
        try:
            if len(parts) == 3 and all(part.isdigit() for part in parts):
                return date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            pass
        if text:
            self.fail(_("Date: “%(value)s” is not a date such as 2024-10-01.") % {"value": value})
        else:
            self.fail(_("Give the date of the session."))
        return None

    def clock(self, key: str, value: object) -> time | None:
        if isinstance(value, datetime):
            return value.time()
        if isinstance(value, time):
            return value
        if isinstance(value, float) and 0 <= value < 1:
            # An unformatted Excel time: a fraction of a day.
            seconds = round(value * 86400) % 86400
            return time(seconds // 3600, seconds // 60 % 60)
        match = CLOCK.match(str(value or "").strip())
        if match and int(match[1]) < 24 and int(match[2] or 0) < 60:
            return time(int(match[1]), int(match[2] or 0))
        self.fail(
            _("%(column)s: “%(value)s” is not a time such as 09:30.")
            % {"column": self.header(key), "value": value}
        )
        return None

    def times(
        self, day: date | None, starts: object, ends: object
    ) -> tuple[datetime | None, datetime | None]:
        if starts in (None, ""):
            self.fail(_("Give the start time."))
            return None, None
        start_time = self.clock("starts", starts)
        if day is None or start_time is None:
            return None, None
        starts_at = timezone.make_aware(datetime.combine(day, start_time))
        if ends in (None, ""):
            return starts_at, None
        if isinstance(ends, datetime) and ends.year > 1900:
            ends_at = timezone.make_aware(ends)
        else:
            end_time = self.clock("ends", ends)
            if end_time is None:
                return starts_at, None
            ends_at = timezone.make_aware(datetime.combine(day, end_time))
        if ends_at <= starts_at:
            self.fail(_("The session must end after it starts."))
        return starts_at, ends_at

    def figure(self, cells: Cells, key: str) -> Figure | None:
        value = cells.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return Figure(value)
        if isinstance(value, float) and value.is_integer() and value >= 0:
            return Figure(int(value))
        match = FIGURE.match(value) if isinstance(value, str) else None
        if match and not (match["fraction"] and int(match["fraction"][1:])):
            number = int(match["number"].replace(",", "").replace("，", ""))
            return Figure(number, approximate=bool(match["before"] or match["after"]))
        self.fail(
            _("%(column)s: “%(value)s” is not a whole number of people.")
            % {"column": self.header(key), "value": value}
        )
        return None

    def capacity(self, cells: Cells) -> int | None:
        figure = self.figure(cells, "capacity")
        if figure and figure.approximate:
            self.fail(_("Capacity: give the exact number of places."))
        return figure.value if figure else None

    def marked_approximate(self, value: object) -> bool:
        text = _normal(str(value)) if value is not None else ""
        if text in APPROXIMATE_MARKS:
            return True
        if text not in EXACT_MARKS:
            self.fail(
                _("%(column)s: write “约” or “approx.”, or leave it empty.")
                % {"column": self.header("approximate")}
            )
        return False

    def status(
        self, cells: Cells, starts_at: datetime | None, *, held: bool, st_workers: Figure | None
    ) -> str:
        """The status; figures (participants or viewers) mean the session was held."""
        status = self.choice(cells, "status", self.statuses)
        if status == SessionStatus.CANCELLED and held:
            self.fail(_("A cancelled session has no participants."))
        if status == SessionStatus.HELD and not held:
            self.fail(_("Give the number of participants (or of online viewers)."))
        if st_workers is not None and not held:
            self.fail(_("S&T workers: give the participants (or online viewers) too."))
        if held and starts_at is not None and starts_at > timezone.now():
            self.fail(_("A session in the future cannot have been held."))
        if held:
            return SessionStatus.HELD
        return status or SessionStatus.PLANNED

    # Places, schools, theme days -------------------------------------------------------------

    def place(self, cells: Cells, place: str) -> tuple[str, Hall | None]:
        """The kind of place and the hall; with the kind left empty, a hall's name means the
        hall, a school means the school, and nothing means elsewhere at the venue."""
        kind = self.choice(cells, "place_kind", self.place_kinds)
        halls = self.halls.get(_normal(place), []) if place else []
        if not kind:
            if halls:
                kind = PlaceKind.HALL
            elif cells.get("school"):
                kind = PlaceKind.SCHOOL
            elif not place:
                kind = PlaceKind.VENUE
            else:
                self.fail(_("Kind of place: give one for “%(place)s”.") % {"place": place})
                return "", None
        if kind != PlaceKind.HALL:
            return kind, None
        if not place:
            self.fail(_("Hall or place: give the name of the hall."))
        elif not halls:
            self.fail(_("“%(hall)s” is not a hall of this venue.") % {"hall": place})
        return kind, halls[0] if halls else None

    def school(self, cells: Cells) -> School | None:
        name = self.text(cells, "school")
        if not name:
            return None
        found = self.schools.get(_normal(name), [])
        if len(found) > 1:
            # The register is national; a venue's schools are most likely in its own city.
            city = str(self.venue.division_id)[:4]
            found = [school for school in found if str(school.division_id).startswith(city)]
        if len(found) != 1:
            reason = (
                _("“%(school)s” is not in the school register.")
                if not found
                else _("Several schools in the register are called “%(school)s”.")
            )
            self.fail(reason % {"school": name})
            return None
        return found[0]

    def dated[T: ThemeDay | CampaignTheme](
        self, cells: Cells, key: str, named: Mapping[str, list[T]], day: date | None
    ) -> T | None:
        """A theme day or joint-action theme by name: the one of the session's year."""
        name = self.text(cells, key)
        if not name or day is None:
            return None
        for instance in named.get(_normal(name), []):
            year = (
                instance.starts_on.year
                if isinstance(instance, ThemeDay)
                else instance.campaign.year
            )
            if year == day.year:
                return instance
        self.fail(
            _("%(column)s: no “%(value)s” in %(year)s.")
            % {"column": self.header(key), "value": name, "year": day.year}
        )
        return None

    def place_name(self, kind: str, hall: Hall | None, place: str, school: School | None) -> str:
        """Where a session away from the halls is held (a school's name when only it is given)."""
        if hall is not None:
            return ""
        outreach = kind not in AT_VENUE and kind != PlaceKind.ONLINE
        if kind and outreach and not (place or school):
            self.fail(_("Hall or place: say where the session is held (or give the school)."))
        if kind == PlaceKind.SCHOOL and school is not None and not place:
            return school.name
        return place


def _check_repeats(rows: Sequence[ProgrammeRow], errors: dict[str, list[str]]) -> None:
    seen: dict[tuple[object, ...], int] = {}
    for row in rows:
        key = (row.activity_name, row.activity_type, *row.session_key)
        if key in seen:
            errors.setdefault(f"row {row.number}", []).append(
                _("The same session as row %(row)s.") % {"row": seen[key]}
            )
        seen.setdefault(key, row.number)


# Writing --------------------------------------------------------------------------------------


@dataclass
class Known:
    """The venue's activities and sessions the rows may repeat, read once.

    Both are keyed by the activity's name (or English name) and type, as the sheet names them.
    """

    activities: dict[tuple[str, str], Activity] = field(default_factory=dict)
    sessions: set[tuple[object, ...]] = field(default_factory=set)


def _known(venue: Venue, rows: Sequence[ProgrammeRow]) -> Known:
    known = Known()
    if not rows:
        return known
    names = {row.activity_name for row in rows}
    matching = Q(activity__name__in=names) | Q(activity__name_en__in=names)
    for activity in (
        Activity.objects.filter(venue=venue)
        .filter(Q(name__in=names) | Q(name_en__in=names))
        .order_by("pk")
    ):
        for name in {activity.name, activity.name_en} - {""}:
            known.activities.setdefault((name, activity.activity_type), activity)
    starts = [row.starts_at for row in rows]
    for name, name_en, activity_type, *place in (
        Session.objects.filter(venue=venue, starts_at__gte=min(starts), starts_at__lte=max(starts))
        .filter(matching)
        .values_list(
            "activity__name",
            "activity__name_en",
            "activity__activity_type",
            "starts_at",
            "place_kind",
            "hall_id",
            "place_name",
        )
    ):
        for activity_name in {name, name_en} - {""}:
            known.sessions.add((activity_name, activity_type, *place))
    return known


def _write(*, actor: Actor, venue: Venue, rows: Sequence[ProgrammeRow]) -> ImportResult:
    result = ImportResult()
    # Lock the venue row so two imports of one file cannot both find its sessions missing.
    Venue.objects.select_for_update().filter(pk=venue.pk).first()
    known = _known(venue, rows)
    for row in rows:
        activity_key = (row.activity_name, row.activity_type)
        if (*activity_key, *row.session_key) in known.sessions:
            result.sessions_skipped += 1
            continue
        try:
            activity = known.activities.get(activity_key)
            if activity is None:
                activity = _create_activity(actor, venue, row)
                known.activities[activity_key] = activity
                result.activities_created += 1
            _create_session(actor, activity, row)
        except ApplicationError as error:
            # A rule only the services check: report it on its row; the transaction rolls back.
            reasons = [str(r) for reasons in error.fields.values() for r in reasons]
            _raise_bad_rows({f"row {row.number}": reasons or [str(error.message)]})
        known.sessions.add((*activity_key, *row.session_key))
        result.sessions_created += 1
    return result


def _create_activity(actor: Actor, venue: Venue, row: ProgrammeRow) -> Activity:
    return activity_create(
        actor=actor,
        venue=venue,
        data={
            "name": row.activity_name,
            "activity_type": row.activity_type,
            "audience": row.audience,
            "partners": row.partners,
            "theme_day": row.theme_day,
            "campaign_theme": row.campaign_theme,
        },
    )


def _create_session(actor: Actor, activity: Activity, row: ProgrammeRow) -> Session:
    """Create the session; with participants or viewers given, record it as held."""
    data: dict[str, Any] = {
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "place_kind": row.place_kind,
        "hall": row.hall,
        "place_name": row.place_name,
        "school": row.school,
        "capacity": row.capacity,
        "note": row.note,
    }
    if row.status != SessionStatus.HELD:
        return session_create(actor=actor, activity=activity, data=data | {"status": row.status})
    session = session_create(actor=actor, activity=activity, data=data)
    figures: dict[str, Any] = {}
    for name, approximate, figure in (
        ("participants", "participants_approximate", row.participants),
        ("online_viewers", "online_approximate", row.online_viewers),
        ("st_workers", "st_workers_approximate", row.st_workers),
    ):
        if figure is not None:
            figures |= {name: figure.value, approximate: figure.approximate}
    return session_record(actor=actor, session=session, data=figures)

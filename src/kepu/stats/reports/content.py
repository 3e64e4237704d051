"""A report as a list of blocks, filled from indicators and the narratives staff wrote.

The same blocks render to the web page, DOCX, PDF and XLSX, so every format says the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, IntegerField, Max, Q, Sum
from django.db.models.functions import Cast, ExtractMonth
from django.utils import translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from kepu.core.numbers import format_area, format_count, format_percent, format_yuan
from kepu.network.models import Hall, HallKind, Membership, OrganisationYear, Venue, localized
from kepu.network.selectors import current_hall_q, current_membership_q
from kepu.programs.models import ActivityType, Competition, Session, SessionStatus
from kepu.programs.selectors import local_range
from kepu.stats.indicators import INDICATORS, Figures, Value, compute
from kepu.stats.models import Honour, ReportKind, ReportText
from kepu.stats.periods import Period
from kepu.stats.reports.charts import bar_chart
from kepu.stats.reports.sections import SECTIONS
from kepu.visits.models import DailyAttendance

CHINESE_ORDINALS = "一二三四五六七八九十"


@dataclass
class Block:
    kind: str  # heading, paragraph, table, chart
    text: str = ""
    level: int = 1
    rows: list[list[str]] = field(default_factory=list)
    header: list[str] | None = None
    image: bytes = b""


@dataclass
class Report:
    kind: str
    venue: Venue
    year: int
    language: str
    title: str
    blocks: list[Block]
    figures: Figures

    @cached_property
    def previous(self) -> Figures:
        """The year before's figures, for the tables that set them side by side (worked out
        only when one is drawn)."""
        return compute([self.venue.pk], Period.year(self.year).previous())[self.venue.pk]

    def as_json(self) -> dict[str, Any]:
        return {
            "venue": self.venue.name,
            "venue_id": self.venue.pk,
            "year": self.year,
            "report": self.kind,
            "language": self.language,
            "title": self.title,
            "indicators": {key: value.as_json() for key, value in self.figures.items()},
        }


def figure_text(value: Value, unit: str = "") -> str:
    """A value as the report writes it: 约5万, 252.20万, 213.41%, 25万元, 1340 m²."""
    if value.value is None:
        return _("not entered") if value.manual else "—"
    if unit == "percent":
        return format_percent(value.value)
    if unit == "cny":
        text = format_yuan(value.value)
        return _("about %(figure)s") % {"figure": text} if value.approximate else text
    if unit == "m2":
        return format_area(value.value)
    return format_count(value.value, approximate=value.approximate, strip_zeros=unit != "visits")


def ordinal(number: int) -> str:
    if translation.get_language().startswith("zh"):
        return CHINESE_ORDINALS[number - 1] if number <= 10 else str(number)
    return str(number)


class Builder:
    def __init__(self, kind: str, venue: Venue, year: int) -> None:
        self.kind = kind
        self.venue = venue
        self.year = year
        self.period = Period.year(year)
        self.figures = compute([venue.pk], self.period)[venue.pk]
        self.texts = {
            text.section: text
            for text in ReportText.objects.filter(venue=venue, year=year, report=kind)
        }
        self.blocks: list[Block] = []

    # Helpers ------------------------------------------------------------------------------------

    def f(self, key: str) -> str:
        return figure_text(self.figures[key], INDICATORS[key].unit)

    def heading(self, text: str, level: int = 1) -> None:
        self.blocks.append(Block("heading", text, level=level))

    def paragraph(self, text: str) -> None:
        for part in (text or "").split("\n"):
            if part.strip():
                self.blocks.append(Block("paragraph", part.strip()))

    def narrative(self, key: str) -> str:
        text = self.texts.get(key)
        language = translation.get_language()
        if text is not None:
            if language.startswith("en") and text.text_en.strip():
                return text.text_en
            if text.text.strip():
                return text.text
        section = next(s for s in SECTIONS[self.kind] if s.key == key)
        return str(section.default) if section.default is not None else ""

    def write(self, key: str) -> None:
        self.paragraph(self.narrative(key))

    def table(self, header: list[str] | None, rows: list[list[str]]) -> None:
        self.blocks.append(Block("table", rows=rows, header=header))

    def chart(self, image: bytes, caption: str) -> None:
        self.blocks.append(Block("chart", caption, image=image))

    @property
    def venue_name(self) -> str:
        return self.venue.display_name

    # Records behind the narrative ---------------------------------------------------------------

    def by_type_rows(self) -> list[tuple[str, Value, Value]]:
        sessions = self.figures["sessions_by_type"].parts or {}
        people = self.figures["participants_by_type"].parts or {}
        return [
            (str(ActivityType(kind).label), sessions[kind], people.get(kind, Value(0)))
            for kind in ActivityType.values
            if kind in sessions
        ]

    def theme_day_events(self) -> list[tuple[str, str, int, int, bool]]:
        first, after = local_range(self.period.start, self.period.end)
        rows = (
            Session.objects.filter(
                venue=self.venue,
                status=SessionStatus.HELD,
                starts_at__gte=first,
                starts_at__lt=after,
            )
            .filter(
                Q(activity__theme_day__isnull=False)
                | Q(activity__activity_type=ActivityType.THEME_DAY_EVENT)
            )
            .values(
                "activity__name",
                "activity__name_en",
                "activity__theme_day__name",
                "activity__theme_day__name_en",
                "activity__theme_day__kind",
            )
            .annotate(
                sessions=Count("id"),
                people=Sum("participants"),
                approx=Max(Cast("participants_approximate", IntegerField())),
            )
            .order_by("activity__theme_day__kind", "activity__name")
        )
        return [
            (
                localized(row["activity__name"], row["activity__name_en"]),
                localized(
                    row["activity__theme_day__name"] or "",
                    row["activity__theme_day__name_en"] or "",
                ),
                row["sessions"],
                row["people"] or 0,
                bool(row["approx"]),
            )
            for row in rows
        ]

    def visits_by_month(self, year: int) -> list[int]:
        months = dict(
            DailyAttendance.objects.filter(venue=self.venue, date__year=year)
            .annotate(month=ExtractMonth("date"))
            .values_list("month")
            .annotate(total=Sum("visits"))
            .values_list("month", "total")
        )
        return [months.get(month, 0) or 0 for month in range(1, 13)]

    def monthly_chart(self) -> None:
        now, before = self.visits_by_month(self.year), self.visits_by_month(self.year - 1)
        if not any(now) and not any(before):
            return
        months = [str(month) for month in range(1, 13)]
        image = bar_chart(
            months,
            [(str(self.year), now), (str(self.year - 1), before)],
            title=_("Visits by month, %(year)s against %(last)s")
            % {"year": self.year, "last": self.year - 1},
        )
        self.chart(image, _("Visits by month (from the daily attendance records)"))

    def type_chart(self) -> None:
        rows = self.by_type_rows()
        if not rows:
            return
        image = bar_chart(
            [label for label, _s, _p in rows],
            [(_("Participants"), [float(p.value or 0) for _l, _s, p in rows])],
            title=_("Participants by type of activity"),
            horizontal=True,
        )
        self.chart(image, _("Participants by type of activity (from the session records)"))

    def honours(self) -> list[Honour]:
        return list(Honour.objects.filter(venue=self.venue, awarded_on__year=self.year))

    def honour_line(self, honour: Honour) -> str:
        title = localized(honour.title, honour.title_en)
        parts = [title]
        if honour.awarded_by:
            parts.append(f"({honour.awarded_by})")
        if honour.count > 1:
            parts.append(_("×%(n)s") % {"n": honour.count})
        return " ".join(parts)

    # Reports ------------------------------------------------------------------------------------

    def self_evaluation(self) -> str:
        title = _(
            "%(venue)s: performance self-evaluation of science popularization work, %(year)s"
        ) % {
            "venue": self.venue_name,
            "year": self.year,
        }
        self.paragraph(
            self.narrative("intro")
            or _(
                "%(venue)s is a science popularization education base. Its performance "
                "self-evaluation for %(year)s follows."
            )
            % {"venue": self.venue_name, "year": self.year}
        )
        self.heading(_("%(n)s. The work") % {"n": ordinal(1)})
        self.heading(_("(1) Organisation and management"), 2)
        self.write("organisation")
        self.heading(_("(2) Basic conditions of the public service this year"), 2)
        self.paragraph(self.service_basics())
        self.write("basics")
        self.heading(_("(3) Science popularization activities this year"), 2)
        rows = self.by_type_rows()
        if rows:
            self.table(
                [_("Type of activity"), _("Sessions"), _("Participants")],
                [[label, figure_text(s), figure_text(p)] for label, s, p in rows]
                + [[_("Total"), self.f("sessions_total"), self.f("participants_total")]],
            )
        self.paragraph(
            _(
                "Outreach (to schools, communities, villages and squares): %(sessions)s sessions "
                "for %(people)s people; the caravan made %(trips)s trips, drove %(km)s km and "
                "served %(served)s people."
            )
            % {
                "sessions": self.f("outreach_sessions"),
                "people": self.f("outreach_participants"),
                "trips": self.f("caravan_trips"),
                "km": self.f("caravan_km"),
                "served": self.f("caravan_people"),
            }
        )
        self.type_chart()
        self.write("activities")
        self.heading(_("(4) Theme activities on important theme days"), 2)
        events = self.theme_day_events()
        if events:
            self.table(
                [_("Activity"), _("Theme day"), _("Sessions"), _("Participants")],
                [
                    [name, day or "—", str(n), format_count(people, approximate=approx)]
                    for name, day, n, people, approx in events
                ],
            )
        else:
            self.paragraph(_("No theme-day activity was recorded this year."))
        self.heading(_("(5) Opening information published on online platforms"), 2)
        self.write("media")
        self.table(
            None,
            [
                [_("Posts published"), self.f("media_posts")],
                [_("Total reads"), self.f("media_reads")],
            ],
        )
        self.heading(_("(6) S&T workers mobilised for science popularization"), 2)
        self.paragraph(
            _("S&T workers taking part in the year's activities: %(n)s person-times.")
            % {"n": self.f("st_workers")}
        )
        self.write("st_workers")
        self.heading(_("(7) Funding and staff"), 2)
        self.table(
            None,
            [
                [_("Funding for science popularization"), self.f("funding_cny")],
                [_("Full-time staff"), self.f("staff_fulltime")],
                [_("Part-time staff"), self.f("staff_parttime")],
            ],
        )
        for number, key, label in (
            (2, "featured", _("Featured work")),
            (3, "problems", _("Problems and shortcomings")),
            (4, "suggestions", _("Suggestions for the work")),
        ):
            self.heading(_("%(n)s. %(title)s") % {"n": ordinal(number), "title": label})
            self.write(key)
        return title

    def service_basics(self) -> str:
        today = self.period.end
        halls = list(Hall.objects.filter(current_hall_q(on=today), venue=self.venue))
        permanent = sum(1 for hall in halls if hall.kind == HallKind.PERMANENT)
        temporary = len(halls) - permanent
        pattern = (
            self.venue.opening_patterns.filter(valid_from__lte=today)
            .order_by("-valid_from")
            .first()
        )
        weekly = ""
        if pattern is not None:
            names = [str(WEEKDAYS[day - 1]) for day in pattern.weekdays]
            weekly = _("Open %(n)s days a week (%(days)s). ") % {
                "n": len(names),
                "days": _(", ").join(names),
            }
        return weekly + _(
            "%(permanent)s permanent and %(temporary)s temporary halls, %(area)s in all. In "
            "%(year)s the venue opened free of charge on %(days)s days and served %(visits)s "
            "visits (peak: %(peak)s on %(peak_day)s)."
        ) % {
            "permanent": permanent,
            "temporary": temporary,
            "area": format_area(sum((hall.area_m2 or Decimal(0) for hall in halls), Decimal(0))),
            "year": self.year,
            "days": self.f("open_days"),
            "visits": self.f("visits_total"),
            "peak": self.f("visits_peak_day"),
            "peak_day": _date(self.figures["visits_peak_day"].on),
        }

    def institution_annual(self) -> str:
        organisation = self.venue.organisation
        title = _("Annual report of a public institution, %(year)s") % {"year": self.year}
        if organisation is None:
            self.paragraph(
                _("No organisation is registered for this venue; enter it in the registry first.")
            )
            return title
        record = OrganisationYear.objects.filter(organisation=organisation, year=self.year).first()
        self.table(
            None,
            [
                [_("Name of the institution"), localized(organisation.name, organisation.name_en)],
                [_("Purpose and business scope"), organisation.purpose_and_scope or "—"],
                [_("Address"), organisation.address or "—"],
                [_("Legal representative"), organisation.legal_representative or "—"],
                [_("Start-up capital"), format_yuan(organisation.startup_capital_cny)],
                [_("Source of funds"), organisation.get_funding_source_display() or "—"],
                [_("Sponsoring organisation"), organisation.sponsor or "—"],
                [
                    _("Assets (start of year / end of year)"),
                    f"{format_yuan(record.assets_start_cny if record else None)} / "
                    f"{format_yuan(record.assets_end_cny if record else None)}",
                ],
                [_("Online name"), organisation.online_name or _("None")],
                [
                    _("Headcount"),
                    str(record.headcount) if record and record.headcount is not None else "—",
                ],
                [_("Compliance with the registration regulations"), self.narrative("compliance")],
                [
                    _("Business activities"),
                    self.business_summary() + "\n" + self.narrative("activities"),
                ],
                [_("Qualifications and licences, with validity"), self.narrative("licences")],
                [
                    _("Performance, rewards and penalties, lawsuits and complaints"),
                    self.performance(),
                ],
                [_("Donations and grants received and their use"), self.narrative("donations")],
            ],
        )
        return title

    def business_summary(self) -> str:
        return _(
            "In %(year)s: %(visits)s visits on %(days)s open days; %(sessions)s activity "
            "sessions for %(people)s participants, %(outreach)s of them outreach; %(schools)s "
            "partner schools."
        ) % {
            "year": self.year,
            "visits": self.f("visits_total"),
            "days": self.f("open_days"),
            "sessions": self.f("sessions_total"),
            "people": self.f("participants_total"),
            "outreach": self.f("outreach_sessions"),
            "schools": self.f("partner_schools"),
        }

    def performance(self) -> str:
        lines = [self.honour_line(honour) for honour in self.honours()]
        extra = self.narrative("performance")
        if extra:
            lines.append(extra)
        return "\n".join(lines) if lines else _("None")

    def annual_review(self) -> str:
        yoy = self.figures["visits_yoy_pct"]
        if yoy.value is not None:
            title = _("%(venue)s in %(year)s: %(visits)s visits, up %(pct)s year over year") % {
                "venue": self.venue_name,
                "year": self.year,
                "visits": self.f("visits_total"),
                "pct": format_percent(yoy.value),
            }
            if yoy.value < 0:
                title = _(
                    "%(venue)s in %(year)s: %(visits)s visits, down %(pct)s year over year"
                ) % {
                    "venue": self.venue_name,
                    "year": self.year,
                    "visits": self.f("visits_total"),
                    "pct": format_percent(-yoy.value),
                }
        else:
            title = _("%(venue)s in %(year)s: %(visits)s visits") % {
                "venue": self.venue_name,
                "year": self.year,
                "visits": self.f("visits_total"),
            }
        self.write("intro")
        self.heading(_("Keyword: science popularization service"))
        self.paragraph(
            _(
                "The venue received %(visits)s visits in %(year)s%(growth)s. The busiest day was "
                "%(peak_day)s with %(peak)s visits."
            )
            % {
                "visits": self.f("visits_total"),
                "year": self.year,
                "growth": (
                    _(", %(pct)s more than the year before") % {"pct": format_percent(yoy.value)}
                    if yoy.value is not None and yoy.value >= 0
                    else ""
                ),
                "peak_day": _date(self.figures["visits_peak_day"].on),
                "peak": self.f("visits_peak_day"),
            }
        )
        self.paragraph(
            _(
                "%(sessions)s activity sessions were held. Permanent halls: %(halls)s; special "
                "exhibitions: %(exhibitions)s. The science caravan drove %(km)s km and served "
                "%(served)s people."
            )
            % {
                "sessions": self.f("sessions_total"),
                "halls": self.f("permanent_halls"),
                "exhibitions": self.f("exhibitions_count"),
                "km": self.f("caravan_km"),
                "served": self.f("caravan_people"),
            }
        )
        self.monthly_chart()
        self.write("service")
        self.heading(_("Keyword: education, innovation and cooperation"))
        self.paragraph(
            _("Partner schools in school–museum cooperation: %(n)s.")
            % {"n": self.f("partner_schools")}
        )
        memberships = Membership.objects.filter(
            current_membership_q(on=self.period.end), venue=self.venue
        ).select_related("alliance")
        for membership in memberships:
            self.paragraph(
                _("Member of %(alliance)s (%(role)s) since %(since)s.")
                % {
                    "alliance": membership.alliance.display_name,
                    "role": membership.get_role_display(),
                    "since": _date(membership.since),
                }
            )
        competitions = Competition.objects.filter(
            venue=self.venue, starts_on__year=self.year, role=Competition.Role.ORGANISED
        )
        for competition in competitions:
            detail = []
            if competition.regions:
                detail.append(_("%(n)s cities or regions") % {"n": competition.regions})
            if competition.organisations:
                detail.append(
                    _("%(n)s schools and organisations") % {"n": competition.organisations}
                )
            if competition.participants:
                detail.append(
                    _("%(n)s participants")
                    % {
                        "n": format_count(
                            competition.participants,
                            approximate=competition.participants_approximate,
                        )
                    }
                )
            self.paragraph(
                f"{competition.name}"
                + (f"({_(', ').join(str(d) for d in detail)})" if detail else "")
            )
        self.write("cooperation")
        self.heading(_("Keyword: brand building"))
        self.paragraph(
            _("Posts published: %(posts)s; reads: %(reads)s.")
            % {"posts": self.f("media_posts"), "reads": self.f("media_reads")}
        )
        self.write("brand")
        honours = self.honours()
        if honours:
            self.heading(_("Honours"))
            for honour in honours:
                self.paragraph(self.honour_line(honour))
        return title


def _date(day: date | None) -> str:
    if day is None:
        return "—"
    if translation.get_language().startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return day.strftime("%-d %B %Y")


def build_report(*, venue: Venue, kind: str, year: int, language: str = "zh-hans") -> Report:
    """The report of a venue for a year, in the language given ("zh-hans" or "en")."""
    if kind not in ReportKind.values:
        raise ValueError(kind)
    with translation.override(language):
        builder = Builder(kind, venue, year)
        make = {
            ReportKind.SELF_EVALUATION: builder.self_evaluation,
            ReportKind.INSTITUTION_ANNUAL: builder.institution_annual,
            ReportKind.ANNUAL_REVIEW: builder.annual_review,
        }[ReportKind(kind)]
        title = make()
        return Report(
            kind=kind,
            venue=venue,
            year=year,
            language=language,
            title=title,
            blocks=builder.blocks,
            figures=builder.figures,
        )


def indicator_rows(figures: Figures, previous: Figures | None = None) -> list[dict[str, Any]]:
    """One row per indicator (and per activity type of a breakdown), for tables and XLSX."""
    rows: list[dict[str, Any]] = []
    for key, indicator in INDICATORS.items():
        value = figures.get(key)
        if value is None:
            continue
        before = previous.get(key) if previous else None
        rows.append(_row(key, str(indicator.label), indicator.unit, value, before))
        for kind, part in (value.parts or {}).items():
            old = (before.parts or {}).get(kind) if before else None
            rows.append(
                _row(f"{key}.{kind}", f"  {ActivityType(kind).label}", indicator.unit, part, old)
            )
    return rows


def _row(key: str, label: str, unit: str, value: Value, before: Value | None) -> dict[str, Any]:
    from kepu.stats.indicators import growth_pct

    return {
        "key": key,
        "label": label,
        "unit": unit,
        "value": value.value,
        "text": figure_text(value, unit),
        "approximate": value.approximate,
        "manual": value.manual,
        "date": value.on,
        "source": value.source,
        "previous": before.value if before else None,
        "previous_text": figure_text(before, unit) if before else "—",
        "growth": growth_pct(value.value, before.value) if before and unit != "percent" else None,
    }

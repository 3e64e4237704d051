"""XLSX export and import of a venue's programme: round trip, all-or-nothing, scopes, commands."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import QuerySet
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from kepu.core.errors import ApplicationError, NotFoundError
from kepu.core.models import User
from kepu.network.models import Hall, Venue
from kepu.programs.models import (
    Activity,
    ActivityType,
    Audience,
    PlaceKind,
    School,
    Session,
    SessionStatus,
    ThemeDay,
)
from kepu.programs.selectors import local_range
from kepu.programs.services.activities import (
    activity_create,
    session_cancel,
    session_create,
    session_record,
)
from kepu.programs.services.spreadsheet import COLUMNS, programme_export, programme_import

pytestmark = pytest.mark.django_db

ENGLISH = [
    "Activity",
    "Type",
    "Audience",
    "Partners",
    "Theme day",
    "Joint action theme",
    "Date",
    "Start time",
    "End time",
    "Kind of place",
    "Hall or place",
    "School",
    "Capacity",
    "Status",
    "Participants",
    "Approximate",
    "Online viewers",
    "S&T workers",
    "Note",
]


def workbook(headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str = "") -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def line(**cells: Any) -> list[Any]:
    """A sheet line in the export's column order, from cells named by column key."""
    return [cells.get(column.key) for column in COLUMNS]


def talk(**cells: Any) -> list[Any]:
    """A plain line: a lecture in a hall of Ji'an, changed by ``cells``."""
    plain = {
        "activity": "讲座",
        "activity_type": "lecture",
        "date": date(2025, 5, 18),
        "starts": time(9),
        "place_kind": "hall",
        "place": "科学探索厅",
    }
    return line(**(plain | cells))


def wall_clock(day: date, hour: int) -> datetime:
    """A date and time as an Excel cell holds it: Beijing time, without a zone."""
    return datetime.combine(day, time(hour))


def counts(venue: Venue) -> tuple[int, int]:
    return (
        Activity.objects.filter(venue=venue).count(),
        Session.objects.filter(venue=venue).count(),
    )


def sessions_of(venue: Venue, year: int) -> QuerySet[Session]:
    first, after = local_range(date(year, 1, 1), date(year, 12, 31))
    return Session.objects.filter(venue=venue, starts_at__gte=first, starts_at__lt=after)


def programme(venue: Venue, year: int) -> list[tuple[Any, ...]]:
    """Everything the sheet carries about a year of sessions, comparable across imports."""
    rows = [
        (
            s.starts_at,
            s.activity.name,
            s.activity.activity_type,
            s.activity.audience,
            s.activity.partners,
            s.activity.theme_day_id,
            s.ends_at,
            s.place_kind,
            s.hall_id,
            s.place_name,
            s.school_id,
            s.capacity,
            s.status,
            s.participants,
            s.participants_approximate,
            s.online_viewers,
            s.online_approximate,
            s.st_workers,
            s.st_workers_approximate,
            s.note,
        )
        for s in sessions_of(venue, year).select_related("activity")
    ]
    return sorted(rows, key=lambda row: (row[0], row[1]))


@pytest.fixture
def hall(jian: Venue) -> Hall:
    return jian.halls.get(name="科学探索厅")


@pytest.fixture
def school(jian: Venue) -> School:
    return School.objects.create(
        name="集安市第三小学", name_en="Ji'an No. 3 Primary School", division=jian.division
    )


@pytest.fixture
def science_day() -> ThemeDay:
    return ThemeDay.objects.get(name="全国科普日", starts_on=date(2024, 9, 14))


@pytest.fixture
def recorded(
    users: dict[str, User], jian: Venue, hall: Hall, school: School, science_day: ThemeDay
) -> None:
    """A year of Ji'an's programme kept in kepu: held, approximate, online, cancelled, a camp."""
    actor = users["jian"]
    lecture = activity_create(
        actor=actor,
        venue=jian,
        data={
            "name": "机器人科普讲座",
            "activity_type": ActivityType.LECTURE,
            "audience": Audience.PRIMARY,
            "partners": "集安市教育局、集安市博物馆",
            "theme_day": science_day,
        },
    )
    held = session_create(
        actor=actor,
        activity=lecture,
        data={
            "starts_at": at(date(2024, 9, 15), 9, 30),
            "ends_at": at(date(2024, 9, 15), 11),
            "place_kind": PlaceKind.HALL,
            "hall": hall,
            "capacity": 60,
        },
    )
    session_record(
        actor=actor,
        session=held,
        data={"participants": 1650, "participants_approximate": True, "st_workers": 3},
    )
    session_create(
        actor=actor,
        activity=lecture,
        data={
            "starts_at": at(date(2024, 9, 16), 14),
            "place_kind": PlaceKind.SCHOOL,
            "school": school,
            "note": "五年级",
        },
    )
    live = activity_create(
        actor=actor, venue=jian, data={"name": "科普直播", "activity_type": ActivityType.LIVESTREAM}
    )
    online = session_create(
        actor=actor,
        activity=live,
        data={"starts_at": at(date(2024, 3, 2), 19), "place_kind": PlaceKind.ONLINE},
    )
    session_record(
        actor=actor,
        session=online,
        data={"online_viewers": 12000, "online_approximate": True, "participants": 30},
    )
    cancelled = session_create(
        actor=actor,
        activity=live,
        data={"starts_at": at(date(2024, 4, 6), 19), "place_kind": PlaceKind.ONLINE},
    )
    session_cancel(actor=actor, session=cancelled, reason="停电")
    camp = activity_create(
        actor=actor, venue=jian, data={"name": "暑期科学营", "activity_type": ActivityType.CAMP}
    )
    session_create(
        actor=actor,
        activity=camp,
        data={
            "starts_at": at(date(2024, 7, 20), 9),
            "ends_at": at(date(2024, 7, 22), 16),
            "place_kind": PlaceKind.VILLAGE,
            "place_name": "清河镇",
        },
    )


# Export and round trip --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", ["日期", "状态", "备注"]), ("en", ["Date", "Status", "Note", "Activity"])],
)
def test_export_has_a_bold_frozen_header_in_the_language(
    users: dict[str, User], jian: Venue, recorded: None, language: str, expected: list[str]
) -> None:
    data = programme_export(
        user=users["jian"],
        venue=jian,
        start=date(2024, 1, 1),
        end=date(2024, 12, 31),
        language=language,
    )
    sheet = load_workbook(io.BytesIO(data)).active
    headers = [cell.value for cell in sheet[1]]
    with translation.override(language):
        assert headers == [str(column.header) for column in COLUMNS]
    assert set(expected) <= set(headers)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert all(sheet.column_dimensions[letter].width >= 8 for letter in "ABCDEFGHIJKLMNOPQRS")
    assert sheet.max_row == 1 + sessions_of(jian, 2024).count()
    camp = next(
        row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "暑期科学营"
    )
    assert camp[6] == wall_clock(date(2024, 7, 20), 0) and camp[7] == time(9)
    assert camp[8] == wall_clock(date(2024, 7, 22), 16)  # past midnight: the end keeps its date


def test_export_covers_only_the_period(users: dict[str, User], jian: Venue, recorded: None) -> None:
    data = programme_export(
        user=users["jian"],
        venue=jian,
        start=date(2024, 9, 15),
        end=date(2024, 9, 16),
        language="en",
    )
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[13], row[14], row[15]) for row in rows] == [
        ("机器人科普讲座", "Held", 1650, "approx."),
        ("机器人科普讲座", "Planned", None, None),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_export_then_import_gives_the_same_programme(
    users: dict[str, User], jian: Venue, recorded: None, language: str
) -> None:
    """The demo's 2024 of Ji'an (from its self-evaluation) and the sessions recorded above."""
    before = programme(jian, 2024)
    sessions = len(before)
    activities = Activity.objects.filter(sessions__in=sessions_of(jian, 2024)).distinct().count()
    data = programme_export(
        user=users["jian"],
        venue=jian,
        start=date(2024, 1, 1),
        end=date(2024, 12, 31),
        language=language,
    )
    again = programme_import(actor=users["jian"], venue=jian, data=data)
    assert (again.activities_created, again.sessions_created) == (0, 0)
    assert again.sessions_skipped == sessions
    assert programme(jian, 2024) == before

    Activity.objects.filter(venue=jian).delete()
    result = programme_import(actor=users["jian"], venue=jian, data=data)
    assert (result.activities_created, result.sessions_created) == (activities, sessions)
    assert programme(jian, 2024) == before


# Import --------------------------------------------------------------------------------------


def test_a_good_file_creates_activities_and_sessions_keeping_approximate_figures(
    users: dict[str, User], jian: Venue, hall: Hall
) -> None:
    lecture = {"activity": "机器人科普讲座", "place_kind": "Hall of the venue"}
    rows = [
        line(
            **lecture,
            activity_type="Lecture or forum",
            audience="Primary school students",
            partners="集安市教育局",
            date=date(2025, 5, 18),
            starts=time(9, 30),
            ends=time(11),
            place="科学探索厅",
            capacity=60,
            status="Held",
            participants="约1650",
            st_workers=3,
        ),
        line(),  # a blank line is skipped
        line(
            **lecture,
            activity_type="lecture",
            date="2025-05-19",
            starts="14:00",
            ends="15:30",
            place="Science Exploration Hall",
            participants=120,
            approximate="约",
            note="下午场",
        ),
        line(
            activity="科普大篷车进乡村",
            activity_type="Caravan visit",
            date="2025/6/1",
            starts="9:00",
            place_kind="school",
            place="清河镇中心小学",
            participants="500余",
        ),
        line(
            activity="科普直播",
            activity_type="Livestream",
            date=date(2025, 3, 2),
            starts="19:00",
            ends="20:00",
            place_kind="Online",
            online_viewers="约12000",
        ),
        line(
            activity="暑期科学营",
            activity_type="Camp",
            date=date(2025, 7, 20),
            starts=time(9),
            ends=wall_clock(date(2025, 7, 22), 16),
            place_kind="Elsewhere at the venue",
            capacity=40,
            status="Planned",
        ),
    ]
    data = workbook(ENGLISH, rows, title="集安市科技馆 2025 年活动")

    result = programme_import(actor=users["jian"], venue=jian, data=data)

    assert (result.activities_created, result.sessions_created, result.sessions_skipped) == (
        4,
        5,
        0,
    )
    sessions = {
        (s.activity.name, timezone.localtime(s.starts_at).date()): s
        for s in sessions_of(jian, 2025).select_related("activity")
    }
    assert len(sessions) == 5
    first = sessions[("机器人科普讲座", date(2025, 5, 18))]
    assert first.hall == hall and first.capacity == 60 and first.places_left == 60
    assert (first.participants, first.participants_approximate) == (1650, True)
    assert first.status == SessionStatus.HELD and first.st_workers == 3
    assert first.activity.audience == Audience.PRIMARY and first.activity.partners == "集安市教育局"
    second = sessions[("机器人科普讲座", date(2025, 5, 19))]
    assert second.activity == first.activity and second.hall == hall and second.note == "下午场"
    assert (second.participants, second.participants_approximate) == (120, True)
    assert timezone.localtime(second.ends_at).time() == time(15, 30)
    caravan = sessions[("科普大篷车进乡村", date(2025, 6, 1))]
    assert caravan.place_kind == PlaceKind.SCHOOL and caravan.place_name == "清河镇中心小学"
    assert (caravan.participants, caravan.participants_approximate) == (500, True)
    live = sessions[("科普直播", date(2025, 3, 2))]
    assert (live.online_viewers, live.online_approximate, live.participants) == (12000, True, None)
    assert live.status == SessionStatus.HELD
    camp = sessions[("暑期科学营", date(2025, 7, 20))]
    assert camp.status == SessionStatus.PLANNED and camp.participants is None
    assert camp.ends_at == at(date(2025, 7, 22), 16)


def test_chinese_headers_labels_and_hand_written_figures(
    users: dict[str, User], jian: Venue, hall: Hall
) -> None:
    headers = [
        "活动名称",
        "活动类型",
        "日期",
        "开始时间",
        "场所类型",
        "展厅或地点",
        "参与人数",
        "约数",
        "负责人",
    ]
    with translation.override("zh-hans"):
        show = str(ActivityType.SHOW.label)
        elsewhere = str(PlaceKind.VENUE.label)
    rows = [
        [
            "科学实验秀",
            show,
            "2025年5月20日",
            "14：30",
            "hall",
            "科学探索厅",
            "近300",
            None,
            "张老师",
        ],
        ["科学实验秀", "show", "2025.5.21", "9点30", elsewhere, "报告厅", "1,200人", "否", ""],
    ]

    result = programme_import(actor=users["jian"], venue=jian, data=workbook(headers, rows))

    assert (result.activities_created, result.sessions_created) == (1, 2)
    first, second = sessions_of(jian, 2025).order_by("starts_at")
    assert first.activity.name == "科学实验秀" and first.activity.activity_type == ActivityType.SHOW
    assert first.starts_at == at(date(2025, 5, 20), 14, 30) and first.hall == hall
    assert (first.participants, first.participants_approximate) == (300, True)
    assert second.starts_at == at(date(2025, 5, 21), 9, 30)
    assert second.place_kind == PlaceKind.VENUE and second.place_name == "报告厅"
    assert (second.participants, second.participants_approximate) == (1200, False)


def test_importing_the_same_file_twice_skips_what_is_recorded(
    users: dict[str, User], jian: Venue
) -> None:
    data = workbook(ENGLISH, [talk(), talk(date=date(2025, 5, 19), participants="约80")])
    before = counts(jian)

    first = programme_import(actor=users["jian"], venue=jian, data=data)
    again = programme_import(actor=users["jian"], venue=jian, data=data)

    assert (first.activities_created, first.sessions_created, first.sessions_skipped) == (1, 2, 0)
    assert (again.activities_created, again.sessions_created, again.sessions_skipped) == (0, 0, 2)
    assert counts(jian) == (before[0] + 1, before[1] + 2)


def test_three_bad_rows_are_all_named_and_nothing_is_saved(
    users: dict[str, User], jian: Venue
) -> None:
    rows = [
        talk(),  # row 2
        talk(activity="魔术", activity_type="Magic show"),  # row 3
        talk(date=date(2025, 5, 19)),  # row 4
        talk(date=date(2025, 5, 20), place="创新与创造厅"),  # row 5: a hall of 辽宁省科学技术馆
        talk(date="2025-13-01", participants="12.5"),  # row 6
    ]
    before = counts(jian)

    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        programme_import(actor=users["jian"], venue=jian, data=workbook(ENGLISH, rows))

    error = caught.value
    assert error.code == "bad_rows"
    assert str(error.message) == "3 rows are wrong; nothing was saved."
    assert error.fields == {
        "row 3": ["Type: “Magic show” is not one of the choices."],
        "row 5": ["“创新与创造厅” is not a hall of this venue."],
        "row 6": [
            "Date: “2025-13-01” is not a date such as 2024-10-01.",
            "Participants: “12.5” is not a whole number of people.",
        ],
    }
    assert counts(jian) == before


def test_the_reasons_come_in_the_users_language(users: dict[str, User], jian: Venue) -> None:
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        programme_import(
            actor=users["jian"], venue=jian, data=workbook(ENGLISH, [talk(date="明天")])
        )
    assert str(caught.value.message) == "有 1 行数据有误，未保存任何数据。"
    assert list(caught.value.fields) == ["row 2"]


def test_more_reasons_a_row_is_refused(users: dict[str, User], jian: Venue) -> None:
    rows = [
        talk(),  # row 2
        talk(),  # row 3
        talk(date=date(2025, 5, 19), status="Cancelled", participants=30),  # row 4
        talk(date=date(2025, 5, 20), starts="10:00", ends="09:00"),  # row 5
        talk(date=date(2025, 5, 21), place_kind="Village", place=None),  # row 6: no village named
        talk(date=date(2025, 5, 22), place_kind="school", place=None, school="不存在的学校"),
        talk(date=date(2025, 5, 23), capacity="约50", approximate="maybe", participants=5),
        talk(date=date(2099, 5, 1), participants=10),  # row 9
        talk(date=date(2025, 5, 24), status="Held"),  # row 10
        talk(date=date(2025, 5, 25), st_workers=3),  # row 11
    ]
    before = counts(jian)
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        programme_import(actor=users["jian"], venue=jian, data=workbook(ENGLISH, rows))
    assert caught.value.fields == {
        "row 3": ["The same session as row 2."],
        "row 4": ["A cancelled session has no participants."],
        "row 5": ["The session must end after it starts."],
        "row 6": ["Hall or place: say where the session is held (or give the school)."],
        "row 7": [
            "“不存在的学校” is not in the school register.",
            "Hall or place: say where the session is held (or give the school).",
        ],
        "row 8": [
            "Approximate: write “约” or “approx.”, or leave it empty.",
            "Capacity: give the exact number of places.",
        ],
        "row 9": ["A session in the future cannot have been held."],
        "row 10": ["Give the number of participants (or of online viewers)."],
        "row 11": ["S&T workers: give the participants (or online viewers) too."],
    }
    assert counts(jian) == before


def test_a_file_that_is_not_a_workbook_or_lacks_columns_is_refused(
    users: dict[str, User], jian: Venue
) -> None:
    with pytest.raises(ApplicationError) as caught:
        programme_import(actor=users["jian"], venue=jian, data=b"date,visits\n")
    assert caught.value.code == "bad_file"
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        programme_import(
            actor=users["jian"],
            venue=jian,
            data=workbook(["Activity", "Date"], [["讲座", "2025-05-18"]]),
        )
    assert caught.value.code == "bad_header"
    assert str(caught.value.message) == "The sheet lacks these columns: Type, Start time."


# Scope ---------------------------------------------------------------------------------------


def test_a_user_of_another_venue_sees_no_programme(
    users: dict[str, User], jian: Venue, recorded: None
) -> None:
    with pytest.raises(NotFoundError):
        programme_export(
            user=users["liaoning"],
            venue=jian,
            start=date(2024, 1, 1),
            end=date(2024, 12, 31),
            language="en",
        )
    before = counts(jian)
    with pytest.raises(NotFoundError):
        programme_import(actor=users["liaoning"], venue=jian, data=workbook(ENGLISH, [talk()]))
    assert counts(jian) == before


# Commands ------------------------------------------------------------------------------------


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_import_command_prints_the_counts(
    users: dict[str, User], jian: Venue, tmp_path: Path
) -> None:
    path = tmp_path / "programme.xlsx"
    rows = [
        talk(),
        talk(date=date(2025, 5, 19)),
        line(activity="直播", activity_type="livestream", date=date(2025, 5, 19), starts=time(19)),
    ]
    path.write_bytes(workbook(ENGLISH, rows))
    args = ("--venue", "集安市科技馆", "--file", str(path), "--as", "jian", "--lang", "en")

    assert run("import-programme", *args) == (
        "集安市科技馆: 2 activities created, 3 sessions created, "
        "0 sessions skipped (already recorded).\n"
    )
    assert "0 activities created, 0 sessions created, 3 sessions skipped" in run(
        "import-programme", *args
    )


def test_import_command_lists_every_bad_row(
    users: dict[str, User], jian: Venue, tmp_path: Path
) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook(ENGLISH, [talk(activity_type="talk"), talk(starts="25:00")]))
    before = counts(jian)
    with pytest.raises(CommandError) as caught:
        run(
            "import-programme",
            "--venue",
            "集安市科技馆",
            "--file",
            str(path),
            "--as",
            "jian",
            "--lang",
            "en",
        )
    assert str(caught.value).splitlines() == [
        "2 rows are wrong; nothing was saved.",
        "row 2: Type: “talk” is not one of the choices.",
        "row 3: Start time: “25:00” is not a time such as 09:30.",
    ]
    assert counts(jian) == before


def test_export_command_writes_the_year(
    users: dict[str, User], jian: Venue, recorded: None, tmp_path: Path
) -> None:
    path = tmp_path / "out.xlsx"
    output = run(
        "export-programme",
        "--venue",
        "集安市科技馆",
        "--year",
        "2024",
        "--lang",
        "en",
        "--output",
        str(path),
        "--as",
        "jian",
    )
    assert output == f"The 2024 programme of 集安市科技馆 is written to {path}.\n"
    sheet = load_workbook(path).active
    assert [cell.value for cell in sheet[1]] == ENGLISH
    assert sheet.max_row == 1 + sessions_of(jian, 2024).count()


def test_export_command_obeys_the_scope(
    users: dict[str, User], jian: Venue, tmp_path: Path
) -> None:
    with pytest.raises(CommandError):
        run(
            "export-programme",
            "--venue",
            "集安市科技馆",
            "--year",
            "2024",
            "--output",
            str(tmp_path / "x.xlsx"),
            "--as",
            "liaoning",
        )
    assert not (tmp_path / "x.xlsx").exists()

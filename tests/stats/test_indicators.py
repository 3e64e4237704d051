"""Each indicator against records built here, approximate flags, manual figures, roll-ups, and the
demo's figures as the seed reports give them."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from kepu.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from kepu.core.models import AuditEntry, User
from kepu.network.models import Alliance, Hall, HallKind, Venue
from kepu.network.selectors import venue_open_days
from kepu.programs.models import (
    Activity,
    ActivityType,
    Caravan,
    CaravanTrip,
    Exhibition,
    Partnership,
    PlaceKind,
    School,
    Session,
    SessionStatus,
    ThemeDay,
    TripStop,
)
from kepu.programs.selectors import partnerships_active
from kepu.stats.indicators import KEYS, compute, growth_pct, rollup
from kepu.stats.models import ManualFigure, ManualKey
from kepu.stats.periods import Period
from kepu.stats.selectors import alliance_table, network_table, venue_figures
from kepu.stats.services import manual_figure_set
from kepu.visits.models import AttendanceSource, DailyAttendance

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2021  # a year the demo leaves empty for 集安市科技馆


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def records(jian: Venue) -> dict[str, Any]:
    """A small year of records for 集安市科技馆 in 2021, each figure known by construction."""
    for day, visits, approximate in (
        (date(YEAR, 5, 1), 900, False),
        (date(YEAR, 5, 2), 1200, True),
        (date(YEAR, 10, 1), 700, False),
        (date(YEAR - 1, 10, 1), 1400, False),  # the year before: 2,800 → 1,400 = +100 %
        (date(YEAR - 1, 10, 2), 0, False),
    ):
        DailyAttendance.objects.create(
            venue=jian,
            date=day,
            visits=visits,
            approximate=approximate,
            source=AttendanceSource.MANUAL,
        )
    theme_day = ThemeDay.objects.create(
        name="测试科普日",
        kind=ThemeDay.Kind.OTHER,
        starts_on=date(YEAR, 9, 18),
        ends_on=date(YEAR, 9, 18),
    )
    tour = Activity.objects.create(
        venue=jian, name="研学", activity_type=ActivityType.STUDY_TOUR, audience="students"
    )
    outreach = Activity.objects.create(
        venue=jian, name="进校园", activity_type=ActivityType.CARAVAN_VISIT, audience="students"
    )
    themed = Activity.objects.create(
        venue=jian,
        name="科普日活动",
        activity_type=ActivityType.LECTURE,
        audience="public",
        theme_day=theme_day,
    )
    for activity, day, place, people, approx, status, workers in (
        (tour, date(YEAR, 3, 3), PlaceKind.HALL, 40, False, SessionStatus.HELD, 2),
        (tour, date(YEAR, 4, 3), PlaceKind.HALL, 60, True, SessionStatus.HELD, 0),
        (tour, date(YEAR, 4, 9), PlaceKind.HALL, None, False, SessionStatus.CANCELLED, 0),
        (outreach, date(YEAR, 6, 1), PlaceKind.SCHOOL, 200, False, SessionStatus.HELD, 5),
        (themed, date(YEAR, 9, 18), PlaceKind.SQUARE, 300, True, SessionStatus.HELD, 0),
        (tour, date(YEAR + 1, 1, 1), PlaceKind.HALL, 99, False, SessionStatus.HELD, 0),  # next year
    ):
        Session.objects.create(
            venue=jian,
            activity=activity,
            starts_at=at(day),
            place_kind=place,
            status=status,
            participants=people,
            participants_approximate=approx,
            st_workers=workers,
        )
    caravan = Caravan.objects.create(venue=jian, name="测试大篷车")
    trip = CaravanTrip.objects.create(
        venue=jian,
        caravan=caravan,
        title="t",
        starts_on=date(YEAR, 6, 1),
        ends_on=date(YEAR, 6, 2),
        km=Decimal("123.5"),
    )
    TripStop.objects.create(
        trip=trip, sequence=1, day=date(YEAR, 6, 1), name="a", people_served=150
    )
    TripStop.objects.create(
        trip=trip,
        sequence=2,
        day=date(YEAR, 6, 2),
        name="b",
        people_served=50,
        people_approximate=True,
    )
    schools = list(School.objects.all()[:3])
    Partnership.objects.filter(venue=jian).delete()
    Partnership.objects.create(venue=jian, school=schools[0], signed_on=date(YEAR - 2, 1, 1))
    Partnership.objects.create(venue=jian, school=schools[1], signed_on=date(YEAR, 7, 1))
    Partnership.objects.create(
        venue=jian,
        school=schools[2],
        signed_on=date(YEAR - 3, 1, 1),
        ends_on=date(YEAR - 1, 12, 31),
    )
    Exhibition.objects.create(
        venue=jian, title="跨年展", starts_on=date(YEAR - 1, 12, 1), ends_on=date(YEAR, 1, 31)
    )
    Exhibition.objects.create(
        venue=jian, title="次年展", starts_on=date(YEAR + 1, 2, 1), ends_on=date(YEAR + 1, 3, 1)
    )
    return {"trip": trip}


def test_every_indicator_of_a_venue_comes_from_its_records(
    records: dict[str, Any], jian: Venue, users: dict[str, User]
) -> None:
    with translation.override("en"):
        figures = compute([jian.pk], Period.year(YEAR))[jian.pk]
    assert set(KEYS) <= set(figures)
    assert figures["visits_total"].value == 2800
    assert figures["visits_total"].approximate  # one day was a hand count
    assert figures["visits_total"].records == 3
    assert "3 daily attendance records 2021-01-01..2021-12-31" in figures["visits_total"].source
    peak = figures["visits_peak_day"]
    assert (peak.value, peak.on, peak.approximate) == (1200, date(YEAR, 5, 2), True)
    assert figures["visits_yoy_pct"].value == Decimal("100.00")
    expected_days = venue_open_days(
        user=users["jian"], venue_id=jian.pk, start=date(YEAR, 1, 1), end=date(YEAR, 12, 31)
    ).open_days
    assert figures["open_days"].value == expected_days
    assert f"{expected_days}" in figures["open_days"].source
    assert figures["sessions_total"].value == 4  # the cancelled one and next year's do not count
    assert figures["participants_total"].value == 600
    assert figures["participants_total"].approximate
    assert figures["outreach_sessions"].value == 2
    assert figures["outreach_participants"].value == 500
    assert figures["theme_day_sessions"].value == 1
    assert figures["theme_day_participants"].value == 300
    assert figures["theme_day_participants"].approximate
    assert figures["st_workers"].value == 7
    by_type = figures["sessions_by_type"].parts or {}
    assert {k: v.value for k, v in by_type.items()} == {
        "study_tour": 2,
        "lecture": 1,
        "caravan_visit": 1,
    }
    people = figures["participants_by_type"].parts or {}
    assert people["study_tour"].value == 100 and people["study_tour"].approximate
    assert people["caravan_visit"].value == 200 and not people["caravan_visit"].approximate
    assert figures["caravan_trips"].value == 1
    assert figures["caravan_km"].value == Decimal("123.5")
    assert figures["caravan_people"].value == 200 and figures["caravan_people"].approximate
    assert figures["partner_schools"].value == 2  # the ended agreement ran out before 2021
    assert figures["exhibitions_count"].value == 1
    halls = Hall.objects.filter(venue=jian)
    assert figures["permanent_halls"].value == halls.filter(kind=HallKind.PERMANENT).count() == 4
    assert figures["exhibition_area_m2"].value == Decimal(1340)
    for key in ManualKey.values:
        assert figures[key].value is None and figures[key].manual
        assert "not entered" in figures[key].source


def test_a_quarter_and_a_month_count_only_their_days(records: dict[str, Any], jian: Venue) -> None:
    q2 = compute([jian.pk], Period.parse("2021-Q2"))[jian.pk]
    assert q2["visits_total"].value == 2100
    assert q2["sessions_total"].value == 2  # April and June
    may = compute([jian.pk], Period.parse("2021-05"))[jian.pk]
    assert may["visits_total"].value == 2100 and may["sessions_total"].value == 0
    custom = compute([jian.pk], Period.parse("2021-09-18..2021-10-01"))[jian.pk]
    assert custom["visits_total"].value == 700 and custom["theme_day_sessions"].value == 1


def test_manual_figures_sum_flows_and_read_stocks_at_the_end(
    jian: Venue, users: dict[str, User]
) -> None:
    manager = users["jian"]
    for start, end, posts, staff in (
        (date(YEAR, 1, 1), date(YEAR, 6, 30), 10, 8),
        (date(YEAR, 7, 1), date(YEAR, 12, 31), 5, 9),
    ):
        manual_figure_set(
            actor=manager,
            venue=jian,
            data={
                "key": ManualKey.MEDIA_POSTS,
                "starts_on": start,
                "ends_on": end,
                "value": Decimal(posts),
            },
        )
        manual_figure_set(
            actor=manager,
            venue=jian,
            data={
                "key": ManualKey.STAFF_FULLTIME,
                "starts_on": start,
                "ends_on": end,
                "value": Decimal(staff),
                "approximate": True,
            },
        )
    with translation.override("en"):
        figures = compute([jian.pk], Period.year(YEAR))[jian.pk]
    assert figures["media_posts"].value == 15 and figures["media_posts"].manual
    assert figures["staff_fulltime"].value == 9 and figures["staff_fulltime"].approximate
    assert "jian" in figures["media_posts"].source
    # Entering the same figure and period again replaces it, and the audit log keeps both.
    manual_figure_set(
        actor=manager,
        venue=jian,
        data={
            "key": ManualKey.MEDIA_POSTS,
            "starts_on": date(YEAR, 7, 1),
            "ends_on": date(YEAR, 12, 31),
            "value": Decimal(6),
        },
    )
    assert compute([jian.pk], Period.year(YEAR))[jian.pk]["media_posts"].value == 16
    assert (
        ManualFigure.objects.filter(
            venue=jian, key=ManualKey.MEDIA_POSTS, starts_on__year=YEAR
        ).count()
        == 2
    )
    assert AuditEntry.objects.filter(action="manual_figure.update").exists()


def test_manual_figures_are_checked_and_scoped(
    jian: Venue, liaoning: Venue, users: dict[str, User]
) -> None:
    good = {
        "key": ManualKey.FUNDING_CNY,
        "starts_on": date(YEAR, 1, 1),
        "ends_on": date(YEAR, 12, 31),
        "value": Decimal(1),
    }
    with pytest.raises(NotFoundError):
        manual_figure_set(actor=users["jian"], venue=liaoning, data=good)
    with pytest.raises(PermissionDeniedError):
        manual_figure_set(actor=users["jian-staff"], venue=jian, data=good)
    with pytest.raises(ApplicationError) as error:
        manual_figure_set(
            actor=users["jian"], venue=jian, data={**good, "ends_on": date(YEAR - 1, 1, 1)}
        )
    assert "ends_on" in error.value.fields
    with pytest.raises(ApplicationError) as error:
        manual_figure_set(actor=users["jian"], venue=jian, data={**good, "value": Decimal(-5)})
    assert "value" in error.value.fields


def test_a_venue_manager_reads_only_their_venues_figures(
    jian: Venue, liaoning: Venue, users: dict[str, User], alliances: dict[str, Alliance]
) -> None:
    assert venue_figures(user=users["jian"], venue_id=jian.pk, period=Period.year(2024)).figures
    with pytest.raises(NotFoundError):
        venue_figures(user=users["jian"], venue_id=liaoning.pk, period=Period.year(2023))
    with pytest.raises(PermissionDeniedError):
        network_table(user=users["liaoning"], period=Period.year(2023))
    dongbei = Alliance.objects.get(name__startswith="东北三省一区")
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        alliance_table(user=users["xian"], alliance_id=dongbei.pk, period=Period.year(2023))


def test_an_alliance_rolls_up_its_members(users: dict[str, User], liaoning: Venue) -> None:
    dongbei = Alliance.objects.get(name__startswith="东北三省一区")
    alliance, table = alliance_table(
        user=users["dongbei"], alliance_id=dongbei.pk, period=Period.year(2023)
    )
    assert alliance == dongbei
    assert table.rows[0].venue == liaoning  # sorted by visits, the busiest first
    assert len(table.rows) >= 100
    total = table.totals["visits_total"].value
    assert total == sum(row.figures["visits_total"].value or 0 for row in table.rows)
    assert table.totals["visits_peak_day"].on == date(2023, 5, 1)
    assert table.totals["open_days"].value is None  # open days do not add up
    assert table.totals["partner_schools"].value == len(
        set(
            Partnership.objects.filter(venue__in=[r.venue for r in table.rows]).values_list(
                "school", flat=True
            )
        )
    )
    assert table.ratios["visits_per_m2"] is not None
    by_name = alliance_table(
        user=users["dongbei"],
        alliance_id=dongbei.pk,
        period=Period.year(2023),
        sort="name",
        descending=False,
    )[1]
    names = [row.venue.name for row in by_name.rows]
    assert names == sorted(names)


def test_the_network_roll_up_counts_every_venue(users: dict[str, User]) -> None:
    table = network_table(user=users["admin"], period=Period.year(2023))
    assert len(table.rows) == Venue.objects.count()
    result = rollup([row.venue.pk for row in table.rows], Period.year(2023))
    assert result.totals["sessions_total"].value == table.totals["sessions_total"].value
    # The year-on-year change of the whole network: against every venue's visits a year before.
    before = rollup(result.venue_ids, Period.year(2022)).totals["visits_total"].value
    assert before  # the demo has 2022 attendance
    assert result.totals["visits_yoy_pct"].value == growth_pct(
        result.totals["visits_total"].value, before
    )


def test_statistics_count_the_agreements_the_programmes_page_counts(jian: Venue) -> None:
    """An agreement marked ended without an end date is no longer in force, on both pages."""
    year = Period.year(2024)
    in_force = partnerships_active(jian, year.start, year.end)
    assert in_force.exists()
    ended = in_force.first()
    assert ended is not None
    Partnership.objects.filter(pk=ended.pk).update(status=Partnership.Status.ENDED, ends_on=None)
    figures = compute([jian.pk], year)[jian.pk]
    assert figures["partner_schools"].records == in_force.count()
    assert not in_force.filter(pk=ended.pk).exists()
    assert rollup([jian.pk], year).totals["partner_schools"].records == in_force.count()


def test_the_demo_gives_the_reports_figures(jian: Venue, liaoning: Venue) -> None:
    j = compute([jian.pk], Period.year(2024))[jian.pk]
    assert j["open_days"].value == 265
    assert j["visits_total"].value == 50_000 and j["visits_total"].approximate
    types = {
        k: (v.value, v.approximate) for k, v in (j["participants_by_type"].parts or {}).items()
    }
    sessions = {k: v.value for k, v in (j["sessions_by_type"].parts or {}).items()}
    assert (sessions["study_tour"], types["study_tour"]) == (9, (1650, True))
    assert (sessions["school_cooperation"], types["school_cooperation"]) == (2, (60, False))
    assert (sessions["caravan_visit"], types["caravan_visit"]) == (10, (2000, True))
    assert (sessions["safety_outreach"], types["safety_outreach"]) == (11, (7000, True))
    assert j["st_workers"].value == 82 and j["st_workers"].approximate
    assert j["funding_cny"].value == 250_000
    assert (j["staff_fulltime"].value, j["staff_parttime"].value) == (9, 90)
    assert (j["media_posts"].value, j["media_reads"].value) == (15, 23_000)
    assert j["theme_day_sessions"].value == 3
    l = compute([liaoning.pk], Period.year(2023))[liaoning.pk]  # noqa: E741
    assert l["visits_total"].value == 2_522_000
    assert l["visits_yoy_pct"].value == Decimal("213.41")
    assert (l["visits_peak_day"].value, l["visits_peak_day"].on) == (38_353, date(2023, 5, 1))
    assert l["sessions_total"].value == 2800
    assert (l["caravan_km"].value, l["caravan_people"].value) == (11_000, 73_200)
    assert l["partner_schools"].value == 330
    assert l["permanent_halls"].value == 8
    assert l["exhibitions_count"].value == 5
    assert l["media_posts"].approximate


def test_periods_parse_and_step_back() -> None:
    assert Period.parse("2024").previous() == Period.year(2023)
    assert Period.parse("2024-Q1").previous() == Period.quarter(2023, 4)
    assert Period.parse("2024-03").previous() == Period.month(2024, 2)
    custom = Period.parse("2024-03-01..2024-03-10")
    assert custom.previous() == Period(date(2024, 2, 20), date(2024, 2, 29))
    assert Period.parse("2024-02-29..2024-03-01").year_earlier().start == date(2023, 2, 28)
    for bad in ("24", "2024-13", "2024-Q5", "2024-03-10..2024-03-01", "soon"):
        with pytest.raises(ApplicationError):
            Period.parse(bad)

"""Reading indicators, roll-ups, dashboards and reports within the caller's scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from kepu.core.errors import ApplicationError
from kepu.core.scopes import require_national
from kepu.network.models import Alliance, Venue
from kepu.network.selectors import alliance_get, alliance_members, venue_get
from kepu.programs.models import ActivityType, CaravanTrip, Session, SessionStatus, TripStop
from kepu.programs.selectors import OUTREACH_Q, local_range
from kepu.stats.indicators import Figures, Rollup, compute, rollup
from kepu.stats.models import Honour, ManualFigure, ReportText
from kepu.stats.periods import Period, check_year
from kepu.stats.reports import Report, build_report
from kepu.visits.models import DailyAttendance

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None


@dataclass
class VenueFigures:
    venue: Venue
    period: Period
    figures: Figures
    previous_period: Period
    previous: Figures


def venue_figures(*, user: Actor, venue_id: int, period: Period) -> VenueFigures:
    venue = venue_get(user=user, venue_id=venue_id)
    earlier = period.previous()
    both = compute([venue.pk], period)[venue.pk], compute([venue.pk], earlier)[venue.pk]
    return VenueFigures(venue, period, both[0], earlier, both[1])


def venue_report(
    *, user: Actor, venue_id: int, kind: str, year: int, language: str = "zh-hans"
) -> Report:
    venue = venue_get(user=user, venue_id=venue_id)
    return report_of_venue(venue=venue, kind=kind, year=year, language=language)


def report_of_venue(*, venue: Venue, kind: str, year: int, language: str = "zh-hans") -> Report:
    """The report of a venue the caller already fetched with ``venue_get``, which checked that
    the user may read it: a page that needs the venue first does not fetch it twice."""
    return build_report(venue=venue, kind=kind, year=check_year(year), language=language)


# Roll-ups ---------------------------------------------------------------------------------------

SORTABLE = (
    "visits_total",
    "open_days",
    "visits_yoy_pct",
    "sessions_total",
    "participants_total",
    "outreach_sessions",
    "caravan_km",
    "partner_schools",
    "exhibition_area_m2",
    "staff_fulltime",
    "visits_per_m2",
    "visits_per_staff",
)


@dataclass
class TableRow:
    venue: Venue
    figures: Figures
    ratios: dict[str, Decimal | None] = field(default_factory=dict)


@dataclass
class RollupTable:
    title: str
    period: Period
    rows: list[TableRow]
    totals: Figures
    ratios: dict[str, Decimal | None]
    sort: str
    descending: bool


def _ratios(figures: Figures) -> dict[str, Decimal | None]:
    visits = figures["visits_total"].value
    area = figures["exhibition_area_m2"].value
    staff = figures["staff_fulltime"].value
    return {
        "visits_per_m2": _ratio(visits, area),
        "visits_per_staff": _ratio(visits, staff),
    }


def _ratio(top: Any, bottom: Any) -> Decimal | None:
    if top is None or not bottom:
        return None
    return (Decimal(top) / Decimal(bottom)).quantize(Decimal("0.01"))


def _table(
    title: str, venues: list[Venue], period: Period, sort: str, descending: bool
) -> RollupTable:
    if sort not in SORTABLE and sort != "name":
        raise ApplicationError.for_field(
            "sort",
            _("Sort by one of: %(keys)s.") % {"keys": ", ".join(("name", *SORTABLE))},
        )
    result: Rollup = rollup([venue.pk for venue in venues], period)
    rows = [
        TableRow(venue, result.venues[venue.pk], _ratios(result.venues[venue.pk]))
        for venue in venues
    ]

    def key(row: TableRow) -> Any:
        if sort == "name":
            return (0, row.venue.name)
        value = row.ratios.get(sort) if sort.startswith("visits_per") else row.figures[sort].value
        return (0 if value is not None else 1, -(value or 0) if descending else (value or 0))

    rows.sort(key=key)
    if sort == "name" and descending:
        rows.reverse()
    return RollupTable(title, period, rows, result.totals, _ratios(result.totals), sort, descending)


def alliance_table(
    *,
    user: Actor,
    alliance_id: int,
    period: Period,
    sort: str = "visits_total",
    descending: bool = True,
) -> tuple[Alliance, RollupTable]:
    """Every current member venue's indicators side by side, for the alliance's coordinators."""
    alliance = alliance_get(user=user, alliance_id=alliance_id, manage=True)
    venues = [membership.venue for membership in alliance_members(user=user, alliance=alliance)]
    unique = list({venue.pk: venue for venue in venues}.values())
    return alliance, _table(alliance.display_name, unique, period, sort, descending)


def network_table(
    *, user: Actor, period: Period, sort: str = "visits_total", descending: bool = True
) -> RollupTable:
    require_national(user)
    venues = list(Venue.objects.select_related("division").order_by("name"))
    return _table("", venues, period, sort, descending)


# The venue dashboard ----------------------------------------------------------------------------


@dataclass
class Dashboard:
    venue: Venue
    year: int
    figures: Figures
    days: list[list[tuple[date | None, int, int]]]  # weeks × 7 (day, visits, shade 0–4)
    max_day: int
    months: list[tuple[int, int, int]]  # (month, visits this year, last year)
    month_max: int
    by_type_month: list[tuple[str, list[int], int]]  # type label, sessions per month, total
    outreach: list[dict[str, Any]]  # by division: name, code, sessions, people, lon, lat
    caravan_months: list[tuple[int, Decimal]]
    caravan_max: Decimal


def dashboard(*, user: Actor, venue_id: int, year: int) -> Dashboard:
    period = Period.year(year)
    venue = venue_get(user=user, venue_id=venue_id)
    figures = compute([venue.pk], period)[venue.pk]
    daily = dict(
        DailyAttendance.objects.filter(venue=venue, date__year=year).values_list("date", "visits")
    )
    peak = max(daily.values(), default=0)
    weeks: list[list[tuple[date | None, int, int]]] = []
    day = period.start - timedelta(days=period.start.weekday())
    while day <= period.end:
        week: list[tuple[date | None, int, int]] = []
        for offset in range(7):
            current = day + timedelta(days=offset)
            if current.year != year:
                week.append((None, 0, 0))
                continue
            visits = daily.get(current, 0)
            shade = 0 if not visits else min(4, 1 + int(4 * visits / (peak + 1)))
            week.append((current, visits, shade))
        weeks.append(week)
        day += timedelta(days=7)
    now = _months(venue, year)
    before = _months(venue, year - 1)
    months = [(m, now[m], before[m]) for m in range(1, 13)]
    first, after = local_range(period.start, period.end)
    held = Session.objects.filter(
        venue=venue, status=SessionStatus.HELD, starts_at__gte=first, starts_at__lt=after
    )
    per_type: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for kind, month, count in (
        held.annotate(month=ExtractMonth("starts_at"))
        .values_list("activity__activity_type", "month")
        .annotate(n=Count("id"))
        .values_list("activity__activity_type", "month", "n")
    ):
        per_type[kind][month - 1] += count
    by_type_month = [
        (str(ActivityType(kind).label), counts, sum(counts))
        for kind, counts in sorted(per_type.items(), key=lambda item: -sum(item[1]))
    ]
    outreach = _outreach(venue, period)
    trips = CaravanTrip.objects.filter(venue=venue, starts_on__year=year)
    km = dict(
        trips.annotate(month=ExtractMonth("starts_on"))
        .values_list("month")
        .annotate(total=Sum("km"))
        .values_list("month", "total")
    )
    caravan_months = [(m, km.get(m) or Decimal(0)) for m in range(1, 13)]
    return Dashboard(
        venue=venue,
        year=year,
        figures=figures,
        days=weeks,
        max_day=peak,
        months=months,
        month_max=max([v for _m, a, b in months for v in (a, b)] + [1]),
        by_type_month=by_type_month,
        outreach=outreach,
        caravan_months=caravan_months,
        caravan_max=max([v for _m, v in caravan_months] + [Decimal(1)]),
    )


def _place_name(row: Any) -> str:
    """A county-level name with its city, so Shenyang's 铁西区 and Anshan's are told apart."""
    parent = row.get("division__parent__name") or ""
    name = row["division__name"]
    return f"{parent}{name}" if parent and not name.startswith(parent) else name


def _months(venue: Venue, year: int) -> dict[int, int]:
    found = dict(
        DailyAttendance.objects.filter(venue=venue, date__year=year)
        .annotate(month=ExtractMonth("date"))
        .values_list("month")
        .annotate(total=Sum("visits"))
        .values_list("month", "total")
    )
    return {m: found.get(m) or 0 for m in range(1, 13)}


def _outreach(venue: Venue, period: Period) -> list[dict[str, Any]]:
    """Outreach sessions and caravan stops per county-level division, with coordinates."""
    first, after = local_range(period.start, period.end)
    places: dict[str, dict[str, Any]] = {}
    sessions = (
        Session.objects.filter(
            OUTREACH_Q,
            venue=venue,
            status=SessionStatus.HELD,
            starts_at__gte=first,
            starts_at__lt=after,
            division__isnull=False,
        )
        .values(
            "division_id",
            "division__name",
            "division__code",
            "division__latitude",
            "division__longitude",
            "division__parent__name",
        )
        .annotate(n=Count("id"), people=Sum("participants"))
    )
    for row in sessions:
        places[row["division_id"]] = {
            "name": _place_name(row),
            "code": row["division__code"],
            "sessions": row["n"],
            "people": row["people"] or 0,
            "lat": row["division__latitude"],
            "lon": row["division__longitude"],
        }
    stops = (
        TripStop.objects.filter(
            trip__venue=venue,
            trip__starts_on__gte=period.start,
            trip__starts_on__lte=period.end,
            division__isnull=False,
        )
        .values(
            "division_id",
            "division__name",
            "division__code",
            "division__latitude",
            "division__longitude",
            "division__parent__name",
        )
        .annotate(n=Count("id"), people=Sum("people_served"))
    )
    for row in stops:
        place = places.setdefault(
            row["division_id"],
            {
                "name": _place_name(row),
                "code": row["division__code"],
                "sessions": 0,
                "people": 0,
            },
        )
        place["sessions"] += row["n"]
        place["people"] += row["people"] or 0
    return sorted(places.values(), key=lambda place: -place["people"])


# What staff keep here -----------------------------------------------------------------------------


def venue_manual_figures(
    *, user: Actor, venue_id: int, year: int | None = None
) -> QuerySet[ManualFigure]:
    venue = venue_get(user=user, venue_id=venue_id)
    figures = ManualFigure.objects.filter(venue=venue).select_related("entered_by")
    if year is not None:
        figures = figures.filter(starts_on__year=year)
    return figures.order_by("-starts_on", "key")


def venue_honours(*, user: Actor, venue_id: int, year: int | None = None) -> QuerySet[Honour]:
    venue = venue_get(user=user, venue_id=venue_id)
    honours = Honour.objects.filter(venue=venue)
    if year is not None:
        honours = honours.filter(awarded_on__year=year)
    return honours


def report_texts(*, user: Actor, venue_id: int, year: int, report: str) -> dict[str, ReportText]:
    venue = venue_get(user=user, venue_id=venue_id)
    return {
        text.section: text
        for text in ReportText.objects.filter(venue=venue, year=year, report=report)
    }

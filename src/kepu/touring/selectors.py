"""Reading touring within the caller's scope: regions, sets, hosts, plans and their comparison,
stops, the map and the timeline, and the figures reports take from the stops."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.urls import reverse

from kepu.core.errors import NotFoundError
from kepu.core.scopes import Capability, scope_for
from kepu.programs.selectors import Figure
from kepu.touring.access import can_plan_region, can_read_region, readable_regions
from kepu.touring.distances import request_place
from kepu.touring.graphics import (
    Bar,
    MapDrawing,
    MapPoint,
    MapRoute,
    Row,
    Timeline,
    colour,
    draw_map,
    draw_timeline,
)
from kepu.touring.models import (
    CaravanPlan,
    CaravanRequest,
    ExhibitionSet,
    HostVenue,
    PlanStatus,
    PlanStop,
    RequestStatus,
    RotationPlan,
    RotationRegion,
    StopAttendance,
    StopStatus,
    TourStop,
    Transfer,
    venue_coordinates,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

LIVE = ~Q(status=StopStatus.CANCELLED)


# Regions, sets, hosts ---------------------------------------------------------------------------


def region_list(*, user: Actor) -> QuerySet[RotationRegion]:
    return (
        readable_regions(user)
        .annotate(set_count=Count("sets", distinct=True), host_count=Count("hosts", distinct=True))
        .order_by("name")
    )


def region_get(*, user: Actor, region_id: int) -> RotationRegion:
    region = readable_regions(user).filter(pk=region_id).first()
    if region is None:
        raise NotFoundError()
    return region


def can_plan(user: Actor, region: RotationRegion) -> bool:
    return can_plan_region(scope_for(user), region)


def region_sets(region: RotationRegion) -> QuerySet[ExhibitionSet]:
    return (
        region.sets.select_related("owner", "base", "location", "venue")
        .prefetch_related("themes", "maintenance_periods")
        .order_by("code")
    )


def set_get(*, user: Actor, set_id: int) -> ExhibitionSet:
    item = (
        ExhibitionSet.objects.select_related("region__coordinator", "owner", "base", "location")
        .prefetch_related("themes")
        .filter(pk=set_id)
        .first()
    )
    if item is None or not can_read_region(scope_for(user), item.region):
        raise NotFoundError()
    return item


def set_stops(item: ExhibitionSet) -> QuerySet[TourStop]:
    return (
        TourStop.objects.filter(set=item)
        .select_related("venue__division", "transfer_in__origin")
        .annotate(visitors=Sum("attendance__visitors"))
        .order_by("-starts_on")
    )


def region_hosts(region: RotationRegion) -> QuerySet[HostVenue]:
    return (
        region.hosts.select_related("venue__division")
        .prefetch_related("availability")
        .annotate(
            stop_count=Count(
                "venue__tour_stops",
                filter=Q(venue__tour_stops__region=region)
                & ~Q(venue__tour_stops__status=StopStatus.CANCELLED),
                distinct=True,
            )
        )
        .order_by("venue__division_id", "venue__name")
    )


def host_get(*, user: Actor, host_id: int) -> HostVenue:
    host = (
        HostVenue.objects.select_related("region__coordinator", "venue__division")
        .filter(pk=host_id)
        .first()
    )
    if host is None or not can_read_region(scope_for(user), host.region):
        raise NotFoundError()
    return host


def host_history(host: HostVenue) -> QuerySet[TourStop]:
    """The sets (and so the themes) the venue has shown, newest first."""
    return (
        TourStop.objects.filter(LIVE, venue=host.venue)
        .select_related("set")
        .prefetch_related("set__themes")
        .annotate(visitors=Sum("attendance__visitors"))
        .order_by("-starts_on")
    )


# Plans ------------------------------------------------------------------------------------------


def region_plans(region: RotationRegion) -> QuerySet[RotationPlan]:
    return region.plans.select_related("created_by").annotate(stop_count=Count("stops"))


def plan_get(*, user: Actor, plan_id: int) -> RotationPlan:
    plan = (
        RotationPlan.objects.select_related("region__coordinator", "region__alliance")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None or not can_read_region(scope_for(user), plan.region):
        raise NotFoundError()
    return plan


def plan_in_force(region: RotationRegion, year: int) -> RotationPlan | None:
    return region.plans.filter(year=year, status=PlanStatus.ADOPTED).first()


@dataclass
class Repeat:
    set_code: str
    venue: str
    period: int
    themes: list[str]


@dataclass
class PlanFigures:
    km: int
    stops: int
    venues_served: int
    hosts: int
    repeats: list[Repeat]
    idle: int  # set-periods without a stop (maintenance excluded)

    @property
    def repeated_themes(self) -> int:
        return len(self.repeats)


def plan_figures(plan: RotationPlan) -> PlanFigures:
    """Kilometres, stops, venues served, and every stop that brings a venue a theme it showed in
    the plan's years before (or earlier in the plan)."""
    stops = list(
        plan.stops.select_related("set", "venue", "period")
        .prefetch_related("set__themes")
        .order_by("period__sequence", "set__code")
    )
    periods = list(plan.periods.order_by("sequence"))
    hosts = plan.region.hosts.filter(is_active=True).count()
    repeats: list[Repeat] = []
    if periods and plan.repeat_years:
        first = periods[0].starts_on
        since = first.replace(year=first.year - plan.repeat_years)
        earlier = (
            TourStop.objects.filter(LIVE, venue_id__in={stop.venue_id for stop in stops})
            .filter(ends_on__gte=since, starts_on__lt=first)
            .exclude(tour__plan=plan)
            .prefetch_related("set__themes")
        )
        shown: dict[int, list[tuple[date, set[int]]]] = {}
        for old in earlier:
            shown.setdefault(old.venue_id, []).append(
                (old.ends_on, {theme.pk for theme in old.set.themes.all()})
            )
        names = {}
        for stop in stops:
            themes = {theme.pk: theme for theme in stop.set.themes.all()}
            names.update(themes)
            start = stop.period.starts_on
            window = start.replace(year=start.year - plan.repeat_years)
            seen = set()
            for ended, old_themes in shown.get(stop.venue_id, []):
                if ended >= window:
                    seen |= old_themes
            repeated = sorted(seen & set(themes))
            if repeated:
                repeats.append(
                    Repeat(stop.set.code, stop.venue.display_name, stop.period.sequence,
                           [names[t].display_name for t in repeated])
                )  # fmt: skip
            shown.setdefault(stop.venue_id, []).append((stop.period.ends_on, set(themes)))
    sets = plan.region.sets.filter(status="active").prefetch_related("maintenance_periods")
    slots = 0
    for item in sets:
        for period in periods:
            if not any(
                spell.starts_on <= period.ends_on and spell.ends_on >= period.starts_on
                for spell in item.maintenance_periods.all()
            ):
                slots += 1
    return PlanFigures(
        km=plan.km,
        stops=len(stops),
        venues_served=len({stop.venue_id for stop in stops}),
        hosts=hosts,
        repeats=repeats,
        idle=max(0, slots - len(stops)),
    )


@dataclass
class Comparison:
    proposal: PlanFigures
    current: PlanFigures | None

    @property
    def km_change(self) -> str:
        """ "−1,234 (−23.4 %)": this plan against the plan in force."""
        if self.current is None:
            return ""
        change = self.proposal.km - self.current.km
        text = f"{change:+,}".replace("-", "−")
        if self.current.km:
            text += f" ({Decimal(100) * change / self.current.km:+.1f} %)".replace("-", "−")
        return text

    @property
    def more_venues(self) -> int | None:
        if self.current is None:
            return None
        return self.proposal.venues_served - self.current.venues_served


def plan_comparison(plan: RotationPlan) -> Comparison:
    """The plan next to the year's plan in force (when it is another one)."""
    current = plan_in_force(plan.region, plan.year)
    other = plan_figures(current) if current is not None and current.pk != plan.pk else None
    return Comparison(plan_figures(plan), other)


@dataclass
class GridCell:
    period: int
    stop: PlanStop | None
    maintenance: bool = False


@dataclass
class GridRow:
    set: ExhibitionSet
    colour: str
    cells: list[GridCell] = field(default_factory=list)
    km: int = 0


def plan_grid(plan: RotationPlan) -> list[GridRow]:
    """Sets down, periods across: where each set shows in each period."""
    periods = list(plan.periods.order_by("sequence"))
    stops = {
        (stop.set_id, stop.period_id): stop
        for stop in plan.stops.select_related("venue__division", "period")
    }
    rows = []
    for index, item in enumerate(region_sets(plan.region).filter(status="active")):
        row = GridRow(item, colour(index))
        for period in periods:
            stop = stops.get((item.pk, period.pk))
            busy = any(
                spell.starts_on <= period.ends_on and spell.ends_on >= period.starts_on
                for spell in item.maintenance_periods.all()
            )
            row.cells.append(GridCell(period.sequence, stop, busy))
            row.km += stop.km_in if stop is not None else 0
        rows.append(row)
    return rows


# The map and the timeline -----------------------------------------------------------------------


def plan_map(plan: RotationPlan) -> MapDrawing:
    """The region's host venues, and each set's route in the plan."""
    hosts = list(plan.region.hosts.filter(is_active=True).select_related("venue__division"))
    stops = list(
        plan.stops.select_related("set", "venue__division", "period").order_by(
            "set__code", "period__sequence"
        )
    )
    return _routes_map(hosts, stops)


def region_map(region: RotationRegion, year: int) -> MapDrawing:
    """The region's host venues and the routes its sets took (or will take) in the year."""
    hosts = list(region.hosts.select_related("venue__division"))
    stops = list(
        TourStop.objects.filter(LIVE, region=region, starts_on__year=year)
        .select_related("set", "venue__division")
        .order_by("set__code", "starts_on")
    )
    return _routes_map(hosts, stops)


def _routes_map(hosts: list[HostVenue], stops: Sequence[PlanStop | TourStop]) -> MapDrawing:
    """Host venues (served or not) and each set's route through its stops, in their order."""
    served = {stop.venue_id for stop in stops}
    points = []
    for host in hosts:
        found = venue_coordinates(host.venue)
        if found is not None:
            kind = "served" if host.venue_id in served else "unserved"
            points.append(MapPoint(host.venue_id, _short(host.venue.name), *found, kind=kind))
    routes: dict[int, MapRoute] = {}
    for stop in stops:
        route = routes.setdefault(stop.set_id, MapRoute(stop.set.code, colour(len(routes)), []))
        route.keys = [*route.keys, stop.venue_id]
    return draw_map(points, list(routes.values()))


def _short(name: str) -> str:
    for suffix in ("流动科技馆站", "科技馆", "科学技术馆"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def region_timeline(region: RotationRegion, year: int) -> Timeline:
    """Every set's stops of the year, as bars on one line per set."""
    stops = (
        TourStop.objects.filter(LIVE, region=region, starts_on__lte=date(year, 12, 31))
        .filter(ends_on__gte=date(year, 1, 1))
        .select_related("set", "venue")
        .order_by("set__code", "starts_on")
    )
    rows: dict[int, Row] = {}
    for index, item in enumerate(region_sets(region).filter(status="active")):
        rows[item.pk] = Row(item.code, colour(index), [])
    for stop in stops:
        row = rows.setdefault(stop.set_id, Row(stop.set.code, colour(len(rows)), []))
        row.bars.append(
            Bar(
                _short(stop.venue.name),
                f"{stop.venue.display_name} {stop.starts_on}–{stop.ends_on}",
                stop.starts_on,
                stop.ends_on,
                stop.status,
                url=reverse("touring-stop", args=[stop.pk]),
            )
        )
    return draw_timeline(date(year, 1, 1), date(year, 12, 31), list(rows.values()))


def plan_timeline(plan: RotationPlan) -> Timeline:
    rows: dict[int, Row] = {}
    for index, item in enumerate(region_sets(plan.region).filter(status="active")):
        rows[item.pk] = Row(item.code, colour(index), [])
    for stop in plan.stops.select_related("set", "venue", "period").order_by("period__sequence"):
        row = rows.setdefault(stop.set_id, Row(stop.set.code, colour(len(rows)), []))
        row.bars.append(
            Bar(_short(stop.venue.name), stop.venue.display_name, stop.period.starts_on,
                stop.period.ends_on, "planned")
        )  # fmt: skip
    return draw_timeline(date(plan.year, 1, 1), date(plan.year, 12, 31), list(rows.values()))


# Stops ------------------------------------------------------------------------------------------


def stop_get(*, user: Actor, stop_id: int) -> TourStop:
    """A stop for anyone who reads its region or its host venue."""
    stop = (
        TourStop.objects.select_related("set", "venue__division", "region", "tour__plan")
        .filter(pk=stop_id)
        .first()
    )
    if stop is None:
        raise NotFoundError()
    scope = scope_for(user)
    if not (can_read_region(scope, stop.region) or scope.can(Capability.VIEW, stop.venue_id)):
        raise NotFoundError()
    return stop


def stop_attendance(stop: TourStop) -> QuerySet[StopAttendance]:
    return stop.attendance.order_by("starts_on")


def can_record(user: Actor, stop: TourStop) -> bool:
    scope = scope_for(user)
    return scope.can(Capability.MANAGE_PROGRAMS, stop.venue_id) or can_plan_region(
        scope, stop.region
    )


def venue_stops(*, venue_id: int) -> QuerySet[TourStop]:
    """Stops hosted at the venue (the caller has checked the venue's scope)."""
    return (
        TourStop.objects.filter(venue_id=venue_id)
        .select_related("set", "region")
        .annotate(visitors=Sum("attendance__visitors"))
        .order_by("-starts_on")
    )


# Figures for reports ----------------------------------------------------------------------------


@dataclass
class TouringFigures:
    """What the touring records add up to for some venues in [start, end]:

    * ``stops`` — stops that began in the period (not cancelled);
    * ``visitors`` — visitors recorded for days ending in the period (人次), approximate when
      any record was;
    * ``km`` — kilometres of the sets' moves that ended in the period: to their stops and, for
      the owner, into the workshop for maintenance;
    * ``counties`` — county-level divisions whose venues hosted those stops.
    """

    start: date
    end: date
    role: str
    stops: Figure = field(default_factory=Figure)
    visitors: Figure = field(default_factory=Figure)
    km: Figure = field(default_factory=Figure)
    counties: int = 0
    sets: int = 0


def touring_figures(
    venue_ids: Iterable[int], start: date, end: date, *, role: str = "owner"
) -> TouringFigures:
    """Touring figures of the venues, for reports. ``role="owner"`` counts the stops of the sets
    the venues manage (a provincial museum's touring programme); ``role="host"`` the stops the
    venues hosted (a county station's). Aggregated in the database."""
    ids = sorted(set(venue_ids))
    figures = TouringFigures(start=start, end=end, role=role)
    by = "set__venue_id__in" if role == "owner" else "venue_id__in"
    stops = TourStop.objects.filter(LIVE, **{by: ids}, starts_on__gte=start, starts_on__lte=end)
    counted = stops.aggregate(
        stops=Count("id"),
        sets=Count("set", distinct=True),
        counties=Count("venue__division", distinct=True),
    )
    figures.stops.add(counted["stops"], False)
    figures.sets = counted["sets"]
    figures.counties = counted["counties"]
    visits = StopAttendance.objects.filter(
        **{("stop__set__venue_id__in" if role == "owner" else "venue_id__in"): ids},
        ends_on__gte=start,
        ends_on__lte=end,
    ).exclude(stop__status=StopStatus.CANCELLED)
    for approximate, total, records in (
        visits.values("approximate")
        .annotate(total=Sum("visitors"), records=Count("id"))
        .values_list("approximate", "total", "records")
    ):
        figures.visitors.value += total or 0
        figures.visitors.approximate |= approximate
        figures.visitors.records += records
    transfers = Transfer.objects.filter(
        **{("venue_id__in" if role == "owner" else "to_stop__venue_id__in"): ids},
        arrives_on__gte=start,
        arrives_on__lte=end,
    )
    for estimated, total, records in (
        transfers.values("km_estimated")
        .annotate(total=Sum("km"), records=Count("id"))
        .values_list("km_estimated", "total", "records")
    ):
        figures.km.value += total or Decimal(0)
        figures.km.approximate |= estimated
        figures.km.records += records
    return figures


# Caravans ---------------------------------------------------------------------------------------


def caravan_requests(
    *, venue_id: int, statuses: Sequence[str] = (RequestStatus.WAITING,)
) -> QuerySet[CaravanRequest]:
    return (
        CaravanRequest.objects.filter(venue_id=venue_id, status__in=list(statuses))
        .select_related("caravan", "division", "school", "trip")
        .order_by("earliest_on", "name")
    )


def caravan_plans(*, venue_id: int) -> QuerySet[CaravanPlan]:
    return CaravanPlan.objects.filter(venue_id=venue_id).select_related("caravan")


def caravan_plan_get(*, user: Actor, plan_id: int) -> CaravanPlan:
    plan = (
        CaravanPlan.objects.select_related("caravan", "venue", "depot__division")
        .prefetch_related(
            Prefetch("days__visits__request__division"),
        )
        .filter(pk=plan_id)
        .first()
    )
    if plan is None or not scope_for(user).can(Capability.VIEW, plan.venue_id):
        raise NotFoundError()
    return plan


def caravan_plan_map(plan: CaravanPlan) -> MapDrawing:
    """The depot, each day's route, and the requests left out."""
    found = venue_coordinates(plan.depot)
    points = []
    if found is not None:
        points.append(MapPoint(0, _short(plan.depot.name), *found, kind="depot"))
    routes = []
    for index, route in enumerate(plan.days.all()):
        keys = [0]
        for visit in route.visits.all():
            place = request_place(visit.request)
            if place is None:
                continue
            points.append(
                MapPoint(visit.request_id, visit.request.name, place.latitude, place.longitude,
                         kind="served", number=f"{route.day:%a}"[:2] + str(visit.sequence))
            )  # fmt: skip
            keys.append(visit.request_id)
        keys.append(0)
        routes.append(MapRoute(f"{route.day:%m-%d}", colour(index), keys))
    unserved_ids = [item["request"] for item in plan.unserved]
    for request in CaravanRequest.objects.filter(pk__in=unserved_ids).select_related("division"):
        place = request_place(request)
        if place is not None:
            points.append(
                MapPoint(request.pk, request.name, place.latitude, place.longitude, kind="unserved")
            )
    return draw_map(points, routes)

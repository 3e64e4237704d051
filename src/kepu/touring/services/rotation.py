"""Running the rotation planner on a region's records, and saving what it proposes.

:func:`rotation_plan_compute` reads the region (sets, themes, maintenance, hosts, their dates,
their history) into a :class:`~kepu.touring.planning.rotation.RotationProblem`, runs the planner
outside any transaction (it may take its whole time limit), and returns a :class:`Proposal`.
:func:`rotation_plan_propose` saves a proposal as a plan in one short transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record
from kepu.core.errors import ApplicationError
from kepu.network.models import CalendarException, ClosureCategory, ExceptionKind, Venue
from kepu.touring.access import require_region
from kepu.touring.distances import RegionDistances, place_of
from kepu.touring.models import (
    ExhibitionSet,
    HostVenue,
    PlanPeriod,
    PlanSource,
    PlanStatus,
    PlanStop,
    RotationPlan,
    RotationRegion,
    SetStatus,
    StopStatus,
    TourStop,
)
from kepu.touring.planning.distances import Place
from kepu.touring.planning.rotation import (
    HostSpec,
    Pin,
    RotationProblem,
    RotationResult,
    SetSpec,
    Stop,
    exclusion,
    legs_of,
)
from kepu.touring.planning.rotation_planner import plan_rotation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

MAX_TIME_LIMIT = 600
Period = tuple[date, date]


def periods_from(first_day: date, count: int, weeks: int, gap_days: int) -> list[Period]:
    """``count`` stops of ``weeks`` weeks each, the first opening on ``first_day``, with
    ``gap_days`` between them for the transfer."""
    periods = []
    start = first_day
    for _index in range(count):
        end = start + timedelta(days=7 * weeks - 1)
        periods.append((start, end))
        start = end + timedelta(days=1 + gap_days)
    return periods


def first_monday(region: RotationRegion, year: int) -> date:
    """The day the region's first stop of the year usually opens: the first Monday of its
    month."""
    start = date(year, region.first_month, 1)
    return start + timedelta(days=(7 - start.weekday()) % 7)


def default_periods(region: RotationRegion, year: int) -> list[Period]:
    """The region's usual stops of a year (its count, weeks and gap days)."""
    return periods_from(
        first_monday(region, year), region.periods_per_year, region.period_weeks, region.gap_days
    )


def check_periods(periods: Sequence[Period]) -> None:
    if not periods:
        raise ApplicationError.for_field("periods", _("Give the plan at least one period."))
    for index, (start, end) in enumerate(periods):
        if end < start:
            raise ApplicationError.for_field(
                "periods", _("Period %(n)s ends before it starts.") % {"n": index + 1}
            )
        if index and start <= periods[index - 1][1]:
            raise ApplicationError.for_field(
                "periods",
                _("Period %(n)s starts before the previous one ends.") % {"n": index + 1},
            )


@dataclass(frozen=True)
class PinRequest:
    set_id: int
    venue_id: int
    period: int  # 0-based


@dataclass
class RotationRequest:
    region: RotationRegion
    year: int
    periods: list[Period] = field(default_factory=list)
    repeat_years: int | None = None
    weighting: str | None = None
    required_venue_ids: Sequence[int] = ()
    pins: Sequence[PinRequest] = ()
    time_limit: int = 20
    based_on: RotationPlan | None = None


@dataclass
class Context:
    """What the planner's indices stand for."""

    sets: list[ExhibitionSet]
    hosts: list[HostVenue]
    venues: dict[int, Venue]  # every venue that is a place, by id
    places: list[Place]
    place_index: dict[int, int]  # venue id → place
    periods: list[Period]
    repeat_years: int
    weighting: str
    # (host index, period) → why it cannot host: "no_dates", "closure" or "taken".
    unavailable: dict[tuple[int, int], str] = field(default_factory=dict)
    distance_source: str = "estimate"
    missing_coordinates: list[Venue] = field(default_factory=list)


@dataclass
class Proposal:
    request: RotationRequest
    context: Context
    problem: RotationProblem
    result: RotationResult


def _overlaps(start: date, end: date, period: Period) -> bool:
    return start <= period[1] and end >= period[0]


def replaced_plan(region: RotationRegion, year: int) -> RotationPlan | None:
    return RotationPlan.objects.filter(region=region, year=year, status=PlanStatus.ADOPTED).first()


def live_stops(replaced: RotationPlan | None) -> QuerySet[TourStop]:
    """The stops a new plan must work around: not cancelled, and not the stops still to come of
    the plan in force it would replace (they give way to the new plan)."""
    live = TourStop.objects.exclude(status=StopStatus.CANCELLED)
    if replaced is not None:
        live = live.exclude(Q(tour__plan=replaced) & Q(status=StopStatus.PLANNED))
    return live


def start_venues(
    live: QuerySet[TourStop], sets: Iterable[ExhibitionSet], first_day: date
) -> dict[int, Venue]:
    """Where each set is when a plan begins: the venue of its last stop before then, else where
    it is kept (its location, else its workshop)."""
    sets = list(sets)
    last: dict[int, Venue] = {}
    for stop in (
        live.filter(set__in=sets, ends_on__lt=first_day)
        .select_related("venue__division")
        .order_by("set_id", "ends_on")
    ):
        last[stop.set_id] = stop.venue
    return {item.pk: last.get(item.pk) or item.location or item.base for item in sets}


def build_problem(request: RotationRequest) -> tuple[RotationProblem, Context]:
    region, periods = request.region, request.periods
    repeat_years = region.repeat_years if request.repeat_years is None else request.repeat_years
    weighting = request.weighting or region.weighting
    first_day = periods[0][0]
    replaced = replaced_plan(region, request.year)
    sets = list(
        region.sets.filter(status=SetStatus.ACTIVE)
        .select_related("base__division", "location__division", "venue")
        .prefetch_related("themes", "maintenance_periods")
        .order_by("code")
    )
    hosts = list(
        region.hosts.filter(is_active=True)
        .select_related("venue__division")
        .prefetch_related("availability")
        .order_by("venue__division_id", "venue__name")
    )
    live = live_stops(replaced)
    starts = start_venues(live, sets, first_day)
    venues: dict[int, Venue] = {}
    for item in sets:
        for venue in (starts[item.pk], item.base):
            venues[venue.pk] = venue
    for host in hosts:
        venues[host.venue.pk] = host.venue
    missing = [venue for venue in venues.values() if place_of(venue) is None]
    if missing:
        raise ApplicationError.for_field(
            "region",
            _("%(venue)s has no coordinates, nor has its division; add them to the venue.")
            % {"venue": missing[0].name},
        )
    places = [place for venue in venues.values() if (place := place_of(venue)) is not None]
    place_index = {int(place.key): index for index, place in enumerate(places)}
    distances = RegionDistances(region)
    table = distances.table(places)

    history = _theme_history(hosts, live, periods, repeat_years)
    context = Context(
        sets=sets,
        hosts=hosts,
        venues=venues,
        places=places,
        place_index=place_index,
        periods=list(periods),
        repeat_years=repeat_years,
        weighting=weighting,
        distance_source=table.source,
    )
    busy = Busy.of(region, hosts, periods, live)
    host_specs = []
    for h, host in enumerate(hosts):
        available = set()
        for p, period in enumerate(periods):
            cause = busy.cause(host, period)
            if cause is None:
                available.add(p)
            else:
                context.unavailable[(h, p)] = cause
        host_specs.append(
            HostSpec(
                key=host.pk,
                place=place_index[host.venue.pk],
                area_m2=float(host.hall_area_m2),
                weight=host.weight(weighting),
                available=frozenset(available),
                barred_themes=tuple(history[host.venue.pk]),
            )
        )
    set_specs = []
    for item in sets:
        maintenance = frozenset(
            p
            for p, period in enumerate(periods)
            for spell in item.maintenance_periods.all()
            if _overlaps(spell.starts_on, spell.ends_on, period)
        )
        start_venue = starts[item.pk]
        set_specs.append(
            SetSpec(
                key=item.pk,
                themes=frozenset(theme.pk for theme in item.themes.all()),
                area_m2=float(item.floor_area_m2),
                start=place_index[start_venue.pk],
                base=place_index[item.base.pk],
                maintenance=maintenance,
            )
        )
    set_index = {item.pk: s for s, item in enumerate(sets)}
    host_index = {host.venue.pk: h for h, host in enumerate(hosts)}
    required = set()
    for venue_id in request.required_venue_ids:
        if venue_id not in host_index:
            raise ApplicationError.for_field(
                "required_venues", _("Choose host venues of this region.")
            )
        required.add(host_index[venue_id])
    pins = []
    for pin in request.pins:
        if pin.set_id not in set_index or pin.venue_id not in host_index:
            raise ApplicationError.for_field(
                "pins", _("A kept stop names a set or venue not in the plan.")
            )
        if not 0 <= pin.period < len(periods):
            raise ApplicationError.for_field("pins", _("A kept stop falls outside the periods."))
        pins.append(Pin(set_index[pin.set_id], host_index[pin.venue_id], pin.period))
    problem = RotationProblem(
        periods=len(periods),
        sets=set_specs,
        hosts=host_specs,
        km=table,
        no_repeat_in_plan=repeat_years > 0,
        required=frozenset(required),
        pins=pins,
        time_limit=float(min(MAX_TIME_LIMIT, max(1, request.time_limit))),
    )
    return problem, context


def _theme_history(
    hosts: Sequence[HostVenue],
    live: Any,
    periods: Sequence[Period],
    repeat_years: int,
) -> dict[int, list[frozenset[int]]]:
    """Per host venue and period: the themes it showed in the ``repeat_years`` before."""
    venue_ids = [host.venue.pk for host in hosts]
    found: dict[int, list[frozenset[int]]] = {
        venue_id: [frozenset()] * len(periods) for venue_id in venue_ids
    }
    if repeat_years <= 0:
        return found
    earliest = periods[0][0].replace(year=periods[0][0].year - repeat_years)
    shown: dict[int, list[tuple[date, date, frozenset[int]]]] = {}
    stops = (
        live.filter(venue_id__in=venue_ids, ends_on__gte=earliest, starts_on__lt=periods[-1][0])
        .prefetch_related("set__themes")
        .order_by("starts_on")
    )
    for stop in stops:
        carried = frozenset(theme.pk for theme in stop.set.themes.all())
        shown.setdefault(stop.venue_id, []).append((stop.starts_on, stop.ends_on, carried))
    for venue_id, spells in shown.items():
        barred = []
        for start, _end in periods:
            since = start.replace(year=start.year - repeat_years)
            themes: frozenset[int] = frozenset()
            for spell_start, spell_end, spell_themes in spells:
                if spell_end >= since and spell_start < start:
                    themes |= spell_themes
            barred.append(themes)
        found[venue_id] = barred
    return found


@dataclass
class Busy:
    """When each host venue cannot take a set: renovation closures, other regions' sets."""

    closures: dict[int, list[Period]] = field(default_factory=dict)
    taken: dict[int, list[Period]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        region: RotationRegion,
        hosts: Sequence[HostVenue],
        periods: Sequence[Period],
        live: Any,
    ) -> Busy:
        busy = cls()
        venue_ids = [host.venue.pk for host in hosts]
        first, last = periods[0][0], periods[-1][1]
        for venue_id, start, end in CalendarException.objects.filter(
            venue_id__in=venue_ids,
            kind=ExceptionKind.CLOSURE,
            category=ClosureCategory.RENOVATION,
            starts_on__lte=last,
            ends_on__gte=first,
        ).values_list("venue_id", "starts_on", "ends_on"):
            busy.closures.setdefault(venue_id, []).append((start, end))
        for venue_id, start, end in (
            live.filter(venue_id__in=venue_ids, starts_on__lte=last, ends_on__gte=first)
            .exclude(set__region=region)
            .values_list("venue_id", "starts_on", "ends_on")
        ):
            busy.taken.setdefault(venue_id, []).append((start, end))
        return busy

    def cause(self, host: HostVenue, period: Period) -> str | None:
        """Why the host cannot take a set for the whole period, or None when it can."""
        windows = host.availability.all()
        if not any(w.starts_on <= period[0] and w.ends_on >= period[1] for w in windows):
            return "no_dates"
        venue_id = host.venue.pk
        if any(_overlaps(start, end, period) for start, end in self.closures.get(venue_id, [])):
            return "closure"
        if any(_overlaps(start, end, period) for start, end in self.taken.get(venue_id, [])):
            return "taken"
        return None


def rotation_plan_compute(*, actor: Actor, request: RotationRequest) -> Proposal:
    """Check the scope, read the region and run the planner (no writes)."""
    require_region(actor, request.region, plan=True)
    if not request.periods:
        request.periods = default_periods(request.region, request.year)
    check_periods(request.periods)
    problem, context = build_problem(request)
    if not problem.sets:
        raise ApplicationError.for_field("region", _("The region has no touring sets yet."))
    if not problem.hosts:
        raise ApplicationError.for_field("region", _("The region has no host venues yet."))
    return Proposal(request, context, problem, plan_rotation(problem))


def rotation_plan_propose(*, actor: Actor, request: RotationRequest) -> RotationPlan:
    """Run the planner and keep what it proposes as a plan to compare, edit and adopt."""
    proposal = rotation_plan_compute(actor=actor, request=request)
    return proposal_save(actor=actor, proposal=proposal)


@transaction.atomic
def proposal_save(*, actor: Actor, proposal: Proposal) -> RotationPlan:
    request, context, result = proposal.request, proposal.context, proposal.result
    region = request.region
    require_region(actor, region, plan=True)
    plan = RotationPlan.objects.create(
        region=region,
        venue=region.coordinator,
        year=request.year,
        name=_("Rotation %(year)s (planner)") % {"year": request.year},
        status=PlanStatus.PROPOSED,
        source=PlanSource.PLANNER,
        based_on=request.based_on,
        repeat_years=context.repeat_years,
        weighting=context.weighting,
        time_limit_seconds=int(proposal.problem.time_limit),
        solver_status=result.status.value,
        method=result.method,
        km=result.km,
        km_bound=result.km_bound,
        coverage=result.coverage,
        coverage_bound=result.coverage_bound,
        seconds=round(result.seconds, 2),
        distance_source=context.distance_source,
        conflicts=conflicts_as_data(proposal),
        unserved=unserved_as_data(proposal),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    plan.required_venues.set(request.required_venue_ids)
    save_plan_stops(plan, context, proposal.problem, result.stops, pinned=_pinned(proposal))
    audit_record(
        actor=actor,
        action="rotation_plan.propose",
        target=plan,
        after={
            "year": plan.year,
            "status": result.status.value,
            "km": result.km,
            "km_bound": result.km_bound,
            "venues_served": result.venues_served,
            "stops": len(result.stops),
        },
        venue=region.coordinator,
    )
    return plan


def _pinned(proposal: Proposal) -> set[tuple[int, int, int]]:
    return {(pin.set_index, pin.host_index, pin.period) for pin in proposal.problem.pins}


def save_plan_stops(
    plan: RotationPlan,
    context: Context,
    problem: RotationProblem,
    stops: Sequence[Stop],
    *,
    pinned: set[tuple[int, int, int]],
) -> None:
    periods = [
        PlanPeriod.objects.create(plan=plan, sequence=index + 1, starts_on=start, ends_on=end)
        for index, (start, end) in enumerate(context.periods)
    ]
    km_in = {
        (leg.set_index, leg.period): leg.km
        for leg in legs_of(problem, stops)
        if not leg.to_maintenance
    }
    PlanStop.objects.bulk_create(
        PlanStop(
            plan=plan,
            period=periods[stop.period],
            set=context.sets[stop.set_index],
            venue=context.hosts[stop.host_index].venue,
            km_in=km_in.get((stop.set_index, stop.period), 0),
            pinned=(stop.set_index, stop.host_index, stop.period) in pinned,
        )
        for stop in stops
    )


# What the planner could not do, as data the pages put into words -------------------------------


def _reason_data(proposal: Proposal, reason: Any) -> dict[str, Any]:
    context = proposal.context
    data: dict[str, Any] = {
        "rule": reason.rule.value,
        "set": context.sets[reason.set_index].pk,
        "venue": context.hosts[reason.host_index].venue.pk,
        "period": reason.period + 1,
    }
    if reason.themes:
        data["themes"] = sorted(reason.themes)
    cause = context.unavailable.get((reason.host_index, reason.period))
    if reason.rule.value == "availability" and cause:
        data["cause"] = cause
    return data


def _requirement_data(proposal: Proposal, requirement: Any) -> dict[str, Any]:
    context = proposal.context
    data: dict[str, Any] = {"venue": context.hosts[requirement.host_index].venue.pk}
    if requirement.pin is not None:
        data["set"] = context.sets[requirement.pin.set_index].pk
        data["period"] = requirement.pin.period + 1
    return data


def conflicts_as_data(proposal: Proposal) -> list[dict[str, Any]]:
    """Each conflict with its requirements, the rules that bar the venues involved, and — for
    requirements that clash together — what each of those venues could still take."""
    found = []
    for conflict in proposal.result.conflicts:
        data: dict[str, Any] = {
            "kind": conflict.kind.value,
            "requirements": [_requirement_data(proposal, r) for r in conflict.requirements],
            "reasons": [_reason_data(proposal, reason) for reason in conflict.reasons],
        }
        if conflict.kind.value == "together":
            data["options"] = {
                str(proposal.context.hosts[h].venue.pk): _options(proposal, h)
                for h in sorted({r.host_index for r in conflict.requirements})
            }
        found.append(data)
    return found


def _options(proposal: Proposal, h: int) -> list[list[int]]:
    """(set id, period) pairs that could go to host ``h``."""
    problem, context = proposal.problem, proposal.context
    return [
        [context.sets[s].pk, p + 1]
        for s in range(len(problem.sets))
        for p in range(problem.periods)
        if exclusion(problem, s, h, p) is None
    ]


def unserved_as_data(proposal: Proposal) -> list[dict[str, Any]]:
    return [
        {
            "venue": proposal.context.hosts[item.host_index].venue.pk,
            "reasons": [_reason_data(proposal, reason) for reason in item.reasons],
        }
        for item in proposal.result.unserved
    ]

"""What a coordinator does with a plan: edit it, enter one by hand, adopt it as stops, or
discard it. Adopting supersedes the year's plan in force: its stops still to come are cancelled
and the new plan's stops are made — sets locked, every overlap checked — in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record
from kepu.core.errors import ApplicationError, ConflictError
from kepu.network.models import Venue
from kepu.touring.access import require_region
from kepu.touring.distances import RegionDistances
from kepu.touring.models import (
    ExhibitionSet,
    HostVenue,
    PlanPeriod,
    PlanSource,
    PlanStatus,
    PlanStop,
    RotationPlan,
    RotationRegion,
    StopStatus,
    TourStop,
)
from kepu.touring.services.rotation import (
    Period,
    check_periods,
    live_stops,
    replaced_plan,
    start_venues,
)
from kepu.touring.services.tours import (
    StopInput,
    create_stops,
    in_maintenance,
    no_room,
    not_hosting,
    refresh_routes,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None


def _require_proposed(plan: RotationPlan) -> None:
    if plan.status != PlanStatus.PROPOSED:
        raise ConflictError(
            _("The plan is %(status)s; only a proposed plan can be changed.")
            % {"status": plan.get_status_display()}
        )


def _check_placement(
    plan: RotationPlan, period: PlanPeriod, item: ExhibitionSet, venue: Venue
) -> None:
    """The hard rules of a stop in a plan: the venue hosts in the region and has the room, the
    set is not in maintenance then, and the venue shows no other set in that period."""
    host = HostVenue.objects.filter(region=plan.region, venue=venue, is_active=True).first()
    if host is None:
        raise ApplicationError.for_field("venue", not_hosting(venue))
    room = no_room(item, host, venue)
    if room is not None:
        raise ApplicationError.for_field("venue", room)
    spell = in_maintenance(item, period.starts_on, period.ends_on)
    if spell is not None:
        raise ApplicationError.for_field("set", spell)
    taken = (
        PlanStop.objects.filter(plan=plan, period=period, venue=venue)
        .exclude(set=item)
        .select_related("set")
        .first()
    )
    if taken is not None:
        raise ApplicationError.for_field(
            "venue",
            _("%(venue)s shows %(set)s in that period already.")
            % {"venue": venue, "set": taken.set.code},
        )


def recount(plan: RotationPlan) -> None:
    """The plan's kilometres (as the planner counts them: each set from where it is, through
    its stops, via its workshop for maintenance) and venues served, after an edit."""
    distances = RegionDistances(plan.region)
    periods = list(plan.periods.order_by("sequence"))
    stops = {
        (stop.set_id, stop.period_id): stop for stop in plan.stops.select_related("venue__division")
    }
    total = 0
    changed = []
    sets = list(
        plan.region.sets.filter(pk__in={set_id for set_id, _period in stops})
        .select_related("base__division", "location__division")
        .prefetch_related("maintenance_periods")
    )
    # Each set starts where the planner started it (the same rule: an edited plan counts alike).
    replaced = replaced_plan(plan.region, plan.year)
    starts = start_venues(live_stops(replaced), sets, periods[0].starts_on) if sets else {}
    for item in sets:
        here = starts[item.pk]
        for period in periods:
            if any(
                spell.starts_on <= period.ends_on and spell.ends_on >= period.starts_on
                for spell in item.maintenance_periods.all()
            ):
                total += distances.whole_km(here, item.base)
                here = item.base
                continue
            stop = stops.get((item.pk, period.pk))
            if stop is None:
                continue
            km = distances.whole_km(here, stop.venue)
            if km != stop.km_in:
                stop.km_in = km
                changed.append(stop)
            total += km
            here = stop.venue
    PlanStop.objects.bulk_update(changed, ["km_in"])
    hosts = {h.venue_id: h for h in plan.region.hosts.all()}
    plan.km = total
    plan.coverage = sum(
        hosts[v].weight(plan.weighting)
        for v in {stop.venue_id for stop in stops.values()}
        if v in hosts
    )
    plan.save(update_fields=["km", "coverage"])


@transaction.atomic
def plan_stop_set(
    *,
    actor: Actor,
    plan: RotationPlan,
    period: PlanPeriod,
    item: ExhibitionSet,
    venue: Venue | None,
) -> PlanStop | None:
    """The coordinator's edit: this set goes to ``venue`` in ``period`` (None: nowhere). The
    stop is kept (pinned) when the planner runs again on this plan; the planner's bound and gap
    no longer describe an edited plan, so they are cleared."""
    require_region(actor, plan.region, plan=True)
    _require_proposed(plan)
    if period.plan_id != plan.pk or item.region_id != plan.region_id:
        raise ApplicationError.for_field("set", _("Choose a set and a period of this plan."))
    current = PlanStop.objects.filter(plan=plan, period=period, set=item).first()
    before = {"venue": current.venue_id if current else None}
    if venue is None:
        if current is not None:
            current.delete()
        made = None
    else:
        _check_placement(plan, period, item, venue)
        made, _created = PlanStop.objects.update_or_create(
            plan=plan, period=period, set=item, defaults={"venue": venue, "pinned": True}
        )
    plan.solver_status = ""
    plan.km_bound = 0
    plan.coverage_bound = 0
    plan.save(update_fields=["solver_status", "km_bound", "coverage_bound"])
    recount(plan)
    audit_record(
        actor=actor,
        action="rotation_plan.edit",
        target=plan,
        before={"set": item.code, "period": period.sequence, **before},
        after={"set": item.code, "period": period.sequence, "venue": venue.pk if venue else None},
        venue=plan.venue,
    )
    return made


@dataclass(frozen=True)
class Placement:
    set: ExhibitionSet
    period: int  # 0-based
    venue: Venue


@transaction.atomic
def rotation_plan_enter(
    *,
    actor: Actor,
    region: RotationRegion,
    year: int,
    periods: Sequence[Period],
    placements: Sequence[Placement],
    name: str = "",
) -> RotationPlan:
    """A plan entered by hand (the spreadsheet a coordinator kept), checked like an edit."""
    require_region(actor, region, plan=True)
    check_periods(periods)
    plan = RotationPlan.objects.create(
        region=region,
        venue=region.coordinator,
        year=year,
        name=name or _("Rotation %(year)s (entered by hand)") % {"year": year},
        source=PlanSource.MANUAL,
        repeat_years=region.repeat_years,
        weighting=region.weighting,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    made = [
        PlanPeriod.objects.create(plan=plan, sequence=index + 1, starts_on=start, ends_on=end)
        for index, (start, end) in enumerate(periods)
    ]
    for placement in placements:
        if not 0 <= placement.period < len(made):
            raise ApplicationError.for_field("periods", _("A stop falls outside the periods."))
        period = made[placement.period]
        _check_placement(plan, period, placement.set, placement.venue)
        if PlanStop.objects.filter(plan=plan, period=period, set=placement.set).exists():
            raise ApplicationError.for_field(
                "set",
                _("%(set)s is placed twice in period %(n)s.")
                % {"set": placement.set.code, "n": period.sequence},
            )
        PlanStop.objects.create(plan=plan, period=period, set=placement.set, venue=placement.venue)
    recount(plan)
    audit_record(
        actor=actor,
        action="rotation_plan.enter",
        target=plan,
        after={"year": year, "stops": len(placements), "km": plan.km},
        venue=region.coordinator,
    )
    return plan


@transaction.atomic
def rotation_plan_adopt(*, actor: Actor, plan: RotationPlan) -> RotationPlan:
    """Adopt the plan: the year's plan in force is superseded (its stops still to come are
    cancelled; stops already open or closed stay and must not clash), and every stop of this
    plan becomes a tour stop with its transfer."""
    region = plan.region
    require_region(actor, region, plan=True)
    # Lock order: the region, then (in create_stops) the sets, then the host venues.
    RotationRegion.objects.select_for_update().filter(pk=region.pk).first()
    plan.refresh_from_db(fields=["status"])
    _require_proposed(plan)
    current = RotationPlan.objects.filter(
        region=region, year=plan.year, status=PlanStatus.ADOPTED
    ).first()
    cancelled = []
    if current is not None:
        for stop in TourStop.objects.filter(tour__plan=current, status=StopStatus.PLANNED):
            stop.status = StopStatus.CANCELLED
            stop.note = (_("Superseded by %(plan)s") % {"plan": plan.name})[:300]
            stop.save(update_fields=["status", "note"])
            cancelled.append(stop)
        current.status = PlanStatus.SUPERSEDED
        current.save(update_fields=["status"])
    stops = [
        StopInput(
            set=stop.set,
            venue=stop.venue,
            starts_on=stop.period.starts_on,
            ends_on=stop.period.ends_on,
            plan_stop=stop,
        )
        for stop in plan.stops.select_related("set__region", "venue", "period").order_by(
            "period__sequence", "set__code"
        )
    ]
    made = create_stops(actor, region, stops, plan=plan)
    if cancelled:
        refresh_routes(region, {stop.set for stop in cancelled})
    plan.status = PlanStatus.ADOPTED
    plan.adopted_at = timezone.now()
    plan.adopted_by = actor if actor is not None and actor.is_authenticated else None
    try:
        with transaction.atomic():
            plan.save(update_fields=["status", "adopted_at", "adopted_by"])
    except IntegrityError as error:
        raise ConflictError(_("Another plan was adopted for this year meanwhile.")) from error
    audit_record(
        actor=actor,
        action="rotation_plan.adopt",
        target=plan,
        before={"plan_in_force": current.pk if current else None},
        after={"stops": len(made), "cancelled": len(cancelled), "km": plan.km},
        venue=plan.venue,
    )
    return plan


@transaction.atomic
def rotation_plan_discard(*, actor: Actor, plan: RotationPlan) -> RotationPlan:
    require_region(actor, plan.region, plan=True)
    _require_proposed(plan)
    plan.status = PlanStatus.DISCARDED
    plan.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="rotation_plan.discard",
        target=plan,
        after={"status": plan.status},
        venue=plan.venue,
    )
    return plan

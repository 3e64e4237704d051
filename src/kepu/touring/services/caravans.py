"""Caravan visit requests, the week's route planner, and adopting its routes as caravan trips.

An adopted plan becomes one caravan trip per day through the programmes' own service
(``kepu.programs.services.registry.trip_create``), so its kilometres and stops count in the
venue's figures like any trip. The caravan (the vehicle) is locked first and its trips checked
for overlaps, so two plans for the same days cannot both be adopted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record
from kepu.core.errors import ApplicationError, ConflictError
from kepu.core.scopes import Capability, require_venue
from kepu.core.services import apply_changes, create_and_audit, reject_unknown_fields
from kepu.network.models import Venue
from kepu.programs.models import Caravan, CaravanTrip
from kepu.programs.services.registry import StopInput as TripStopInput
from kepu.programs.services.registry import trip_create
from kepu.touring.distances import place_of, request_place
from kepu.touring.models import (
    CaravanPlan,
    CaravanPlanDay,
    CaravanPlanStatus,
    CaravanPlanVisit,
    CaravanRequest,
    RequestStatus,
)
from kepu.touring.planning.caravan import (
    CaravanProblem,
    CaravanResult,
    VisitRequest,
    plan_caravan_week,
)
from kepu.touring.planning.distances import DistanceTable

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

MAX_TIME_LIMIT = 120


def minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def clock_time(value: int) -> time:
    value = max(0, min(value, 24 * 60 - 1))
    return time(value // 60, value % 60)


# Requests ---------------------------------------------------------------------------------------

# Ordered as the API shows them.
REQUEST_FIELDS = (
    "caravan",
    "name",
    "place_kind",
    "school",
    "division",
    "latitude",
    "longitude",
    "earliest_on",
    "latest_on",
    "weekdays",
    "receive_from",
    "receive_until",
    "visit_minutes",
    "expected_people",
    "note",
)


def _check_request(request: CaravanRequest) -> None:
    if request.caravan_id is not None and request.caravan.venue_id != request.venue_id:
        raise ApplicationError.for_field("caravan", _("Choose a caravan of this venue."))
    if request.earliest_on and request.latest_on and request.latest_on < request.earliest_on:
        raise ApplicationError.for_field("latest_on", _("The end cannot be before the start."))
    if (
        request.receive_from
        and request.receive_until
        and request.receive_until <= request.receive_from
    ):
        raise ApplicationError.for_field(
            "receive_until", _("It must receive the caravan until after it starts receiving it.")
        )
    if (request.latitude is None) != (request.longitude is None):
        raise ApplicationError.for_field(
            "longitude", _("Give both latitude and longitude, or neither.")
        )
    if not request.weekdays:
        raise ApplicationError.for_field("weekdays", _("Choose at least one day of the week."))


@transaction.atomic
def request_create(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> CaravanRequest:
    """A school or village asks for a caravan visit."""
    require_venue(actor, venue, Capability.MANAGE_PROGRAMS)
    reject_unknown_fields(data, REQUEST_FIELDS)
    values = dict(data)
    if values.get("school") is not None and not values.get("name"):
        values["name"] = values["school"].name
    if values.get("school") is not None and values.get("division") is None:
        values["division"] = values["school"].division
    return create_and_audit(
        actor=actor,
        instance=CaravanRequest(venue=venue, **values),
        action="caravan_request.create",
        conflict=("name", _("This request is recorded already.")),
        venue=venue,
        extra_validation=_check_request,
    )


@transaction.atomic
def request_update(
    *, actor: Actor, request: CaravanRequest, data: Mapping[str, Any]
) -> CaravanRequest:
    require_venue(actor, request.venue, Capability.MANAGE_PROGRAMS)
    if request.status != RequestStatus.WAITING:
        raise ConflictError(_("The request is scheduled or withdrawn; it cannot change."))
    return apply_changes(
        actor=actor,
        instance=request,
        data=data,
        allowed=set(REQUEST_FIELDS) - {"caravan"},
        action="caravan_request.update",
        venue=request.venue,
        extra_validation=_check_request,
    )


@transaction.atomic
def request_withdraw(*, actor: Actor, request: CaravanRequest) -> CaravanRequest:
    require_venue(actor, request.venue, Capability.MANAGE_PROGRAMS)
    if request.status != RequestStatus.WAITING:
        raise ConflictError(_("Only a request waiting for a date can be withdrawn."))
    return apply_changes(
        actor=actor,
        instance=request,
        data={"status": RequestStatus.WITHDRAWN},
        allowed={"status"},
        action="caravan_request.withdraw",
        venue=request.venue,
    )


# The week's routes ------------------------------------------------------------------------------


@dataclass
class WeekSettings:
    week_starts: date
    depot: Venue
    working_days: int = 0b0011111  # bit 0 is Monday
    day_starts: time = time(8, 0)
    day_ends: time = time(17, 30)
    max_drive_minutes: int = 360
    max_km_per_day: int | None = None
    speed_kmh: int = 50
    road_factor: Decimal = Decimal("1.30")
    time_limit: int = 10


@dataclass
class CaravanProposal:
    caravan: Caravan
    settings: WeekSettings
    requests: list[CaravanRequest]
    problem: CaravanProblem
    result: CaravanResult


def week_requests(caravan: Caravan, week_starts: date) -> list[CaravanRequest]:
    """Requests waiting for a date that could be served in the week."""
    week_ends = week_starts + timedelta(days=6)
    return list(
        CaravanRequest.objects.filter(
            caravan=caravan,
            status=RequestStatus.WAITING,
            earliest_on__lte=week_ends,
            latest_on__gte=week_starts,
        )
        .select_related("division", "school")
        .order_by("earliest_on", "pk")
    )


def _days(request: CaravanRequest, week_starts: date) -> frozenset[int]:
    found = set()
    for offset in range(7):
        day = week_starts + timedelta(days=offset)
        if request.earliest_on <= day <= request.latest_on and request.receives_on_weekday(
            day.weekday()
        ):
            found.add(offset)
    return frozenset(found)


def _check_settings(settings: WeekSettings) -> None:
    if settings.week_starts.weekday() != 0:
        raise ApplicationError.for_field("week_starts", _("A week starts on a Monday."))
    if settings.day_ends <= settings.day_starts:
        raise ApplicationError.for_field("day_ends", _("The caravan must be back after it leaves."))
    if not settings.working_days:
        raise ApplicationError.for_field("working_days", _("Choose at least one working day."))
    if settings.speed_kmh <= 0 or settings.max_drive_minutes <= 0:
        raise ApplicationError.for_field("speed_kmh", _("Must be greater than zero."))


def caravan_plan_compute(
    *, actor: Actor, caravan: Caravan, settings: WeekSettings
) -> CaravanProposal:
    """Read the week's requests and run the route planner (no writes)."""
    require_venue(actor, caravan.venue, Capability.MANAGE_PROGRAMS)
    _check_settings(settings)
    depot = place_of(settings.depot, "depot")
    if depot is None:
        raise ApplicationError.for_field(
            "depot", _("The depot has no coordinates, nor has its division.")
        )
    requests = []
    places = [depot]
    specs = []
    for request in week_requests(caravan, settings.week_starts):
        place = request_place(request)
        if place is None:
            continue
        requests.append(request)
        specs.append(
            VisitRequest(
                key=request.pk,
                place=len(places),
                days=_days(request, settings.week_starts),
                opens=minutes(request.receive_from),
                closes=minutes(request.receive_until),
                duration=request.visit_minutes,
                weight=1,
            )
        )
        places.append(place)
    problem = CaravanProblem(
        depot=0,
        working_days=frozenset(d for d in range(7) if settings.working_days >> d & 1),
        day_starts=minutes(settings.day_starts),
        day_ends=minutes(settings.day_ends),
        max_drive_minutes=settings.max_drive_minutes,
        speed_kmh=float(settings.speed_kmh),
        km=DistanceTable(places, road_factor=float(settings.road_factor)),
        requests=specs,
        max_km_per_day=settings.max_km_per_day,
        time_limit=float(min(MAX_TIME_LIMIT, max(1, settings.time_limit))),
    )
    return CaravanProposal(caravan, settings, requests, problem, plan_caravan_week(problem))


def caravan_plan_propose(*, actor: Actor, caravan: Caravan, settings: WeekSettings) -> CaravanPlan:
    proposal = caravan_plan_compute(actor=actor, caravan=caravan, settings=settings)
    return caravan_proposal_save(actor=actor, proposal=proposal)


@transaction.atomic
def caravan_proposal_save(*, actor: Actor, proposal: CaravanProposal) -> CaravanPlan:
    caravan, settings, result = proposal.caravan, proposal.settings, proposal.result
    require_venue(actor, caravan.venue, Capability.MANAGE_PROGRAMS)
    plan = CaravanPlan.objects.create(
        venue=caravan.venue,
        caravan=caravan,
        week_starts=settings.week_starts,
        depot=settings.depot,
        working_days=settings.working_days,
        day_starts=settings.day_starts,
        day_ends=settings.day_ends,
        max_drive_minutes=settings.max_drive_minutes,
        max_km_per_day=settings.max_km_per_day,
        speed_kmh=settings.speed_kmh,
        road_factor=settings.road_factor,
        served=result.served,
        requested=len(proposal.requests),
        km=result.km,
        seconds=round(result.seconds, 2),
        unserved=[
            {"request": proposal.requests[item.request_index].pk, "reason": item.reason.value}
            for item in result.unserved
        ],
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    for route in result.days:
        day = CaravanPlanDay.objects.create(
            plan=plan,
            venue=plan.venue,
            day=settings.week_starts + timedelta(days=route.day),
            leaves_at=clock_time(route.leaves),
            returns_at=clock_time(route.returns),
            km=route.km,
            drive_minutes=route.drive_minutes,
        )
        CaravanPlanVisit.objects.bulk_create(
            CaravanPlanVisit(
                route=day,
                venue=plan.venue,
                request=proposal.requests[visit.request_index],
                sequence=index + 1,
                arrives_at=clock_time(visit.arrives),
                starts_at=clock_time(visit.starts),
                ends_at=clock_time(visit.ends),
                km_from_previous=visit.km_from_previous,
            )
            for index, visit in enumerate(route.visits)
        )
    audit_record(
        actor=actor,
        action="caravan_plan.propose",
        target=plan,
        after={"week": str(plan.week_starts), "served": plan.served, "km": plan.km},
        venue=plan.venue,
    )
    return plan


@transaction.atomic
def caravan_plan_adopt(*, actor: Actor, plan: CaravanPlan) -> CaravanPlan:
    """Each day's route becomes a caravan trip with its stops; the requests are scheduled."""
    require_venue(actor, plan.venue, Capability.MANAGE_PROGRAMS)
    # The vehicle first: two plans for the same caravan are adopted one after the other.
    Caravan.objects.select_for_update().filter(pk=plan.caravan_id).first()
    plan.refresh_from_db(fields=["status"])
    if plan.status != CaravanPlanStatus.PROPOSED:
        raise ConflictError(
            _("The plan is %(status)s; only a proposed plan can be adopted.")
            % {"status": plan.get_status_display()}
        )
    routes = list(
        plan.days.prefetch_related("visits__request__school", "visits__request__division")
    )
    days = [route.day for route in routes]
    clash = (
        CaravanTrip.objects.filter(caravan=plan.caravan)
        .filter(starts_on__lte=max(days, default=plan.week_starts))
        .filter(ends_on__gte=min(days, default=plan.week_starts))
        .order_by("starts_on")
    )
    for trip in clash:
        if any(trip.starts_on <= day <= trip.ends_on for day in days):
            raise ConflictError(
                _("%(caravan)s is out on %(trip)s (%(day)s) already.")
                % {"caravan": plan.caravan.name, "trip": trip.title, "day": trip.starts_on}
            )
    requests = [visit.request for route in routes for visit in route.visits.all()]
    taken = (
        CaravanRequest.objects.select_for_update()
        .filter(pk__in=[request.pk for request in requests])
        .exclude(status=RequestStatus.WAITING)
    )
    if taken.exists():
        raise ConflictError(
            _("%(request)s is no longer waiting for a date; plan the week again.")
            % {"request": taken.first()}
        )
    for route in routes:
        visits = list(route.visits.all())
        names = "、".join(visit.request.name for visit in visits)
        trip = trip_create(
            actor=actor,
            venue=plan.venue,
            data={
                "caravan": plan.caravan,
                "title": f"{plan.caravan.name} {route.day:%m-%d}：{names}"[:200],
                "starts_on": route.day,
                "ends_on": route.day,
                "km": Decimal(route.km),
                "km_approximate": True,
            },
            stops=[
                TripStopInput(
                    day=route.day,
                    name=visit.request.name,
                    place_kind=visit.request.place_kind,
                    school=visit.request.school,
                    division=visit.request.division,
                )
                for visit in visits
            ],
        )
        route.trip = trip
        route.save(update_fields=["trip"])
        for visit in visits:
            visit.request.status = RequestStatus.SCHEDULED
            visit.request.trip = trip
            visit.request.save(update_fields=["status", "trip"])
    plan.status = CaravanPlanStatus.ADOPTED
    plan.adopted_at = timezone.now()
    plan.save(update_fields=["status", "adopted_at"])
    audit_record(
        actor=actor,
        action="caravan_plan.adopt",
        target=plan,
        after={"trips": len(routes), "requests": len(requests), "km": plan.km},
        venue=plan.venue,
    )
    return plan


@transaction.atomic
def caravan_plan_discard(*, actor: Actor, plan: CaravanPlan) -> CaravanPlan:
    require_venue(actor, plan.venue, Capability.MANAGE_PROGRAMS)
    if plan.status != CaravanPlanStatus.PROPOSED:
        raise ConflictError(_("Only a proposed plan can be discarded."))
    plan.status = CaravanPlanStatus.DISCARDED
    plan.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="caravan_plan.discard",
        target=plan,
        after={"status": plan.status},
        venue=plan.venue,
    )
    return plan

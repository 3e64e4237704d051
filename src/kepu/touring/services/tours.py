"""Tour stops, their transfers, and the visitors counted at each stop.

A set is one physical thing: it is never at two stops at once, nor touring during its
maintenance. Stops are made by locking the sets involved (in id order), then the host venues,
then checking every overlap against the stored stops, then writing — so two coordinators
adopting plans at the same moment cannot double-book a set. A unique constraint on (set, first
day) is the last safety net.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError, ConflictError
from kepu.core.services import apply_changes, create_and_audit, reject_unknown_fields
from kepu.network.models import Venue
from kepu.touring.access import require_region, require_stop_recorder
from kepu.touring.distances import RegionDistances
from kepu.touring.models import (
    ExhibitionSet,
    HostVenue,
    MaintenancePeriod,
    PlanStop,
    RotationPlan,
    RotationRegion,
    StopAttendance,
    StopStatus,
    Tour,
    TourStop,
    Transfer,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

LIVE = ~Q(status=StopStatus.CANCELLED)


@dataclass(frozen=True)
class StopInput:
    set: ExhibitionSet
    venue: Venue
    starts_on: date
    ends_on: date
    opens_on: date | None = None
    plan_stop: PlanStop | None = None
    note: str = ""


def lock_sets(sets: Iterable[ExhibitionSet]) -> None:
    """Lock the sets' rows, in id order (a no-op on SQLite, whose writers are serialised)."""
    ids = sorted({item.pk for item in sets})
    list(ExhibitionSet.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def lock_hosts(region: RotationRegion, venues: Iterable[Venue]) -> dict[int, HostVenue]:
    ids = sorted({venue.pk for venue in venues})
    hosts = HostVenue.objects.select_for_update().filter(region=region, venue_id__in=ids)
    return {host.venue_id: host for host in hosts.order_by("pk")}


# The rules of a stop, worded once: the tour's stops and the plan's edits both keep them.


def not_hosting(venue: Venue) -> str:
    return _("%(venue)s does not host touring sets in this region.") % {"venue": venue.display_name}


def no_room(item: ExhibitionSet, host: HostVenue, venue: Venue) -> str | None:
    """Why the set does not fit the venue's hall, or None when it does."""
    if item.floor_area_m2 <= host.hall_area_m2:
        return None
    return _("%(set)s needs %(need)s m²; the hall of %(venue)s has %(have)s m².") % {
        "set": item.code,
        "need": item.floor_area_m2,
        "venue": venue.display_name,
        "have": host.hall_area_m2,
    }


def in_maintenance(item: ExhibitionSet, starts_on: date, ends_on: date) -> str | None:
    """Why the set cannot tour between these days (a maintenance spell), or None."""
    spell = MaintenancePeriod.objects.filter(
        set=item, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()
    if spell is None:
        return None
    return _("%(set)s is in maintenance from %(start)s to %(end)s.") % {
        "set": item.code,
        "start": spell.starts_on,
        "end": spell.ends_on,
    }


def check_stops(
    region: RotationRegion,
    stops: Sequence[StopInput],
    hosts: dict[int, HostVenue],
    *,
    replacing: Iterable[int] = (),
) -> None:
    """Every rule a new stop must keep, against the stored stops (except ``replacing``) and the
    other new ones; the reasons name the set, the venue and the dates."""
    replaced = set(replacing)
    problems: list[str] = []
    for index, stop in enumerate(stops):
        label = {"set": stop.set.code, "venue": stop.venue.display_name}
        if stop.ends_on < stop.starts_on:
            problems.append(_("%(set)s at %(venue)s: the stop ends before it starts.") % label)
            continue
        if stop.opens_on is not None and not stop.starts_on <= stop.opens_on <= stop.ends_on:
            problems.append(_("%(set)s at %(venue)s: it must open within its dates.") % label)
        host = hosts.get(stop.venue.pk)
        if host is None or not host.is_active:
            problems.append(not_hosting(stop.venue))
            continue
        overlapping = (
            TourStop.objects.filter(LIVE, set=stop.set)
            .filter(starts_on__lte=stop.ends_on, ends_on__gte=stop.starts_on)
            .exclude(pk__in=replaced)
            .select_related("venue")
            .first()
        )
        if overlapping is not None:
            problems.append(
                _("%(set)s is at %(other)s from %(start)s to %(end)s already.")
                % {
                    "set": stop.set.code,
                    "other": overlapping.venue.display_name,
                    "start": overlapping.starts_on,
                    "end": overlapping.ends_on,
                }
            )
        for other in stops[:index]:
            if (
                other.set.pk == stop.set.pk
                and other.starts_on <= stop.ends_on
                and other.ends_on >= stop.starts_on
            ):
                problems.append(
                    _("%(set)s cannot be at %(venue)s and %(other)s at once.")
                    % {**label, "other": other.venue.display_name}
                )
        spell = in_maintenance(stop.set, stop.starts_on, stop.ends_on)
        if spell is not None:
            problems.append(spell)
        room = no_room(stop.set, host, stop.venue)
        if room is not None:
            problems.append(room)
            continue
        sharing = TourStop.objects.filter(
            LIVE, venue=stop.venue, starts_on__lte=stop.ends_on, ends_on__gte=stop.starts_on
        ).exclude(pk__in=replaced)
        area = stop.set.floor_area_m2 + sum(
            (other.set.floor_area_m2 for other in sharing.select_related("set")), Decimal(0)
        )
        area += sum(
            (
                other.set.floor_area_m2
                for other in stops[:index]
                if other.venue.pk == stop.venue.pk
                and other.starts_on <= stop.ends_on
                and other.ends_on >= stop.starts_on
            ),
            Decimal(0),
        )
        if area > host.hall_area_m2:
            problems.append(
                _("%(venue)s has no room for %(set)s then: its hall is taken by another set.")
                % label
            )
    if problems:
        raise ConflictError(problems[0], fields={"stops": problems})


def tour_for(set: ExhibitionSet, year: int, plan: RotationPlan | None) -> Tour:
    tour = Tour.objects.filter(set=set, year=year, plan=plan).first()
    if tour is not None:
        return tour
    name = f"{set.code} {set.name} {year}"
    return Tour.objects.create(
        region=set.region, set=set, venue=set.venue, plan=plan, year=year, name=name
    )


def create_stops(
    actor: Actor,
    region: RotationRegion,
    stops: Sequence[StopInput],
    *,
    plan: RotationPlan | None = None,
    replacing: Iterable[int] = (),
) -> list[TourStop]:
    """Lock, check, write (the caller holds the transaction and has checked the scope)."""
    lock_sets(stop.set for stop in stops)
    hosts = lock_hosts(region, (stop.venue for stop in stops))
    check_stops(region, stops, hosts, replacing=replacing)
    made = []
    for stop in stops:
        tour = tour_for(stop.set, stop.starts_on.year, plan)
        made.append(
            TourStop(
                tour=tour,
                set=stop.set,
                venue=stop.venue,
                region=region,
                sequence=0,
                starts_on=stop.starts_on,
                ends_on=stop.ends_on,
                opens_on=stop.opens_on,
                plan_stop=stop.plan_stop,
                note=stop.note,
            )
        )
    try:
        with transaction.atomic():
            TourStop.objects.bulk_create(made)
    except IntegrityError as error:
        raise ConflictError(_("A set was booked by someone else meanwhile; try again.")) from error
    refresh_routes(region, {stop.set for stop in stops})
    for tour_stop in made:
        audit_record(
            actor=actor,
            action="stop.create",
            target=tour_stop,
            after=snapshot(tour_stop),
            venue=tour_stop.venue,
        )
    return made


def refresh_routes(region: RotationRegion, sets: Iterable[ExhibitionSet]) -> None:
    """Number each tour's stops and lay out every set's moves again: to each stop from where it
    was (its previous stop, or where it was first), and into its workshop for each maintenance
    period between stops — so the kilometres a set travels are all counted."""
    distances = RegionDistances(region)
    for item in sets:
        stops = list(
            TourStop.objects.filter(LIVE, set=item).select_related("venue").order_by("starts_on")
        )
        by_tour: dict[int, int] = {}
        for stop in stops:
            by_tour[stop.tour_id] = by_tour.get(stop.tour_id, 0) + 1
            if stop.sequence != by_tour[stop.tour_id]:
                stop.sequence = by_tour[stop.tour_id]
                stop.save(update_fields=["sequence"])
        Transfer.objects.filter(set=item).delete()
        moves: list[Transfer] = []
        here: Venue = item.location or item.base
        since: date | None = None  # when the set left its last stop
        spells = list(MaintenancePeriod.objects.filter(set=item).order_by("starts_on"))
        for stop in stops:
            for spell in spells:
                if spell.ends_on < stop.starts_on and (since is None or spell.starts_on > since):
                    if here.pk != item.base_id:
                        moves.append(
                            _move(item, here, item.base, None, since or spell.starts_on,
                                  spell.starts_on, distances)
                        )  # fmt: skip
                    here = item.base
            departs = since if since is not None else stop.starts_on
            moves.append(_move(item, here, stop.venue, stop, departs, stop.starts_on, distances))
            here, since = stop.venue, stop.ends_on
        for spell in spells:  # maintenance after the last stop
            if since is not None and spell.starts_on > since and here.pk != item.base_id:
                moves.append(_move(item, here, item.base, None, since, spell.starts_on, distances))
                here = item.base
        Transfer.objects.bulk_create(moves)


def _move(
    item: ExhibitionSet,
    origin: Venue,
    destination: Venue,
    stop: TourStop | None,
    departs: date,
    arrives: date,
    distances: RegionDistances,
) -> Transfer:
    km, estimated = distances.km(origin, destination)
    return Transfer(
        set=item,
        venue=item.venue,
        origin=origin,
        destination=destination,
        to_stop=stop,
        to_maintenance=stop is None,
        km=km,
        km_estimated=estimated,
        departs_on=min(departs, arrives),
        arrives_on=arrives,
    )


@transaction.atomic
def stop_create(*, actor: Actor, stop: StopInput) -> TourStop:
    """A stop entered by hand (a set lent for a festival, history from before kepu)."""
    region = stop.set.region
    require_region(actor, region, plan=True)
    return create_stops(actor, region, [stop])[0]


STOP_FIELDS = frozenset({"starts_on", "ends_on", "opens_on", "note"})


@transaction.atomic
def stop_update(*, actor: Actor, stop: TourStop, data: dict[str, Any]) -> TourStop:
    """Move a stop's dates (checked like a new stop) or change its note."""
    require_region(actor, stop.region, plan=True)
    reject_unknown_fields(data, STOP_FIELDS)
    if stop.status == StopStatus.CANCELLED:
        raise ConflictError(_("The stop was cancelled."))
    lock_sets([stop.set])
    hosts = lock_hosts(stop.region, [stop.venue])
    values = {name: data.get(name, getattr(stop, name)) for name in STOP_FIELDS}
    check_stops(
        stop.region,
        [
            StopInput(
                stop.set, stop.venue, values["starts_on"], values["ends_on"], values["opens_on"]
            )
        ],
        hosts,
        replacing=[stop.pk],
    )
    stop = apply_changes(
        actor=actor,
        instance=stop,
        data=data,
        allowed=STOP_FIELDS,
        action="stop.update",
        venue=stop.venue,
    )
    refresh_routes(stop.region, [stop.set])
    return stop


def _transition(
    actor: Actor, stop: TourStop, to: str, sources: Sequence[str], **fields: Any
) -> TourStop:
    if stop.status not in sources:
        raise ConflictError(
            _("The stop is %(status)s; it cannot become %(target)s.")
            % {"status": stop.get_status_display(), "target": StopStatus(to).label}
        )
    return apply_changes(
        actor=actor,
        instance=stop,
        data={"status": to, **fields},
        allowed={"status", *fields},
        action=f"stop.{to}",
        venue=stop.venue,
    )


@transaction.atomic
def stop_open(*, actor: Actor, stop: TourStop, opens_on: date) -> TourStop:
    """The stop opened to the public."""
    require_stop_recorder(actor, stop)
    if not stop.starts_on <= opens_on <= stop.ends_on:
        raise ApplicationError.for_field("opens_on", _("It must open within its dates."))
    return _transition(actor, stop, StopStatus.OPEN, [StopStatus.PLANNED], opens_on=opens_on)


@transaction.atomic
def stop_close(*, actor: Actor, stop: TourStop) -> TourStop:
    require_stop_recorder(actor, stop)
    return _transition(actor, stop, StopStatus.CLOSED, [StopStatus.OPEN])


@transaction.atomic
def stop_cancel(*, actor: Actor, stop: TourStop, reason: str = "") -> TourStop:
    """A planned stop will not happen; the set's route closes up around it."""
    require_region(actor, stop.region, plan=True)
    stop = _transition(actor, stop, StopStatus.CANCELLED, [StopStatus.PLANNED], note=reason[:300])
    refresh_routes(stop.region, [stop.set])
    return stop


ATTENDANCE_FIELDS = frozenset({"starts_on", "ends_on", "visitors", "approximate", "source", "note"})


def _check_attendance(record: StopAttendance) -> None:
    stop = record.stop
    _check_order(record)
    if record.starts_on < stop.starts_on or record.ends_on > stop.ends_on:
        raise ApplicationError.for_field(
            "starts_on",
            _("Record days of the stop (%(start)s to %(end)s).")
            % {"start": stop.starts_on, "end": stop.ends_on},
        )
    if record.ends_on > timezone.localdate():
        raise ApplicationError.for_field("ends_on", _("These days have not come yet."))
    overlapping = StopAttendance.objects.filter(
        stop=stop, starts_on__lte=record.ends_on, ends_on__gte=record.starts_on
    ).exclude(pk=record.pk)
    if overlapping.exists():
        raise ApplicationError.for_field(
            "starts_on", _("Visitors of some of these days are recorded already.")
        )


def _check_order(record: StopAttendance) -> None:
    if record.ends_on < record.starts_on:
        raise ApplicationError.for_field("ends_on", _("The end cannot be before the start."))


@transaction.atomic
def stop_record_visitors(*, actor: Actor, stop: TourStop, data: dict[str, Any]) -> StopAttendance:
    """Visitors of the stop over some of its days (a week, a month, the whole stop); a stop
    still planned is opened on the first day recorded."""
    require_stop_recorder(actor, stop)
    reject_unknown_fields(data, ATTENDANCE_FIELDS)
    if stop.status == StopStatus.CANCELLED:
        raise ConflictError(_("The stop was cancelled."))
    record = create_and_audit(
        actor=actor,
        instance=StopAttendance(stop=stop, venue=stop.venue, **data),
        action="stop.visitors",
        conflict=("starts_on", _("Visitors of some of these days are recorded already.")),
        venue=stop.venue,
        extra_validation=_check_attendance,
    )
    if stop.status == StopStatus.PLANNED:
        _transition(actor, stop, StopStatus.OPEN, [StopStatus.PLANNED], opens_on=record.starts_on)
    return record


@transaction.atomic
def stop_attendance_update(
    *, actor: Actor, record: StopAttendance, data: dict[str, Any]
) -> StopAttendance:
    require_stop_recorder(actor, record.stop)
    return apply_changes(
        actor=actor,
        instance=record,
        data=data,
        allowed=ATTENDANCE_FIELDS,
        action="stop.visitors_update",
        venue=record.venue,
        extra_validation=_check_attendance,
    )

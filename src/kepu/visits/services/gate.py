"""The gate: find who is booked (QR code or typed ID number), check in once, count walk-ins
and exits, and keep the number of people inside under the venue's cap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core import crypto
from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError, ConflictError, NotFoundError
from kepu.core.scopes import Capability, require_venue
from kepu.network.models import Venue
from kepu.visits.identity import normalise_number
from kepu.visits.models import (
    Booking,
    BookingKind,
    BookingPerson,
    BookingStatus,
    DailyAttendance,
    GateEvent,
    GateEventKind,
    PersonStatus,
    VisitRules,
)
from kepu.visits.services.booking import reference_from_qr

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None


@dataclass(frozen=True)
class GateFigures:
    checked_in: int
    group_visits: int
    walk_ins: int
    exits: int

    @property
    def entered(self) -> int:
        return self.checked_in + self.group_visits + self.walk_ins

    @property
    def inside(self) -> int:
        return max(self.entered - self.exits, 0)


def gate_figures(venue: Venue, day: date) -> GateFigures:
    checked_in = BookingPerson.objects.filter(
        venue=venue, date=day, hall_key=0, checked_in_at__isnull=False
    ).count()
    groups = (
        Booking.objects.filter(
            venue=venue, date=day, kind=BookingKind.GROUP, slot__hall__isnull=True
        ).aggregate(n=Sum("group_checked_in"))["n"]
        or 0
    )
    counts = {
        row["kind"]: row["n"]
        for row in GateEvent.objects.filter(venue=venue, date=day)
        .values("kind")
        .annotate(n=Sum("count"))
    }
    return GateFigures(
        checked_in=checked_in,
        group_visits=groups,
        walk_ins=counts.get(GateEventKind.WALK_IN, 0),
        exits=counts.get(GateEventKind.EXIT, 0),
    )


def gate_lookup(*, actor: Actor, venue: Venue, code: str, on: date | None = None) -> list[Booking]:
    """Today's bookings matching a scanned QR code, a reference or a typed ID number."""
    require_venue(actor, venue, Capability.OPERATE_GATE)
    day = on or timezone.localdate()
    code = code.strip()
    if not code:
        raise ApplicationError.for_field("code", _("Scan a QR code or type an ID number."))
    reference = reference_from_qr(code) if code.startswith("KEPU") else None
    bookings = (
        Booking.objects.filter(venue=venue, date=day)
        .exclude(status__in=[BookingStatus.CANCELLED, BookingStatus.DECLINED])
        .select_related("slot")
        .prefetch_related("people")
    )
    if reference is not None:
        found = list(bookings.filter(reference=reference))
    elif len(code) == 8 and code.upper().isalnum() and not code.isdigit():
        found = list(bookings.filter(reference=code.upper()))
    else:
        id_hash = crypto.blind_index(normalise_number(code), purpose="id")
        found = list(
            bookings.filter(
                people__id_hash=id_hash, people__status=PersonStatus.CONFIRMED
            ).distinct()
        )
    if not found:
        raise NotFoundError(_("No booking for today matches this code."))
    return found


def _lock_day(venue: Venue, day: date) -> None:
    """Serialise check-ins of one venue and day, so the cap on people inside holds."""
    DailyAttendance.objects.get_or_create(venue=venue, date=day)
    DailyAttendance.objects.select_for_update().filter(venue=venue, date=day).first()


def _check_room(venue: Venue, day: date, arriving: int) -> None:
    rules = VisitRules.objects.filter(venue=venue).first()
    if rules is None or not rules.inside_cap:
        return
    inside = gate_figures(venue, day).inside
    if inside + arriving > rules.inside_cap:
        raise ConflictError(
            _("%(inside)s people are inside; the cap is %(cap)s. Please wait for others to leave.")
            % {"inside": inside, "cap": rules.inside_cap},
            fields={"count": [_("Over the cap on people inside.")]},
        )


@transaction.atomic
def person_check_in(
    *, actor: Actor, person: BookingPerson, now: datetime | None = None
) -> BookingPerson:
    """Check one booked visitor in. A second check-in of the same person is refused."""
    venue = person.booking.venue
    require_venue(actor, venue, Capability.OPERATE_GATE)
    now = now or timezone.now()
    if person.date != timezone.localtime(now).date():
        raise ConflictError(_("This booking is for %(day)s.") % {"day": person.date.isoformat()})
    if person.status != PersonStatus.CONFIRMED:
        raise ConflictError(_("This booking was cancelled."))
    _lock_day(venue, person.date)
    if person.hall_key == 0:
        _check_room(venue, person.date, 1)
    updated = BookingPerson.objects.filter(pk=person.pk, checked_in_at__isnull=True).update(
        checked_in_at=now
    )
    if not updated:
        raise ConflictError(_("Already checked in."), code="already_checked_in")
    person.checked_in_at = now
    audit_record(
        actor=actor,
        action="visitor.check_in",
        target=person.booking,
        after={"person": person.pk, "checked_in_at": now.isoformat()},
        venue=venue,
    )
    return person


@transaction.atomic
def group_check_in(*, actor: Actor, booking: Booking, count: int) -> Booking:
    require_venue(actor, booking.venue, Capability.OPERATE_GATE)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.kind != BookingKind.GROUP or booking.status != BookingStatus.CONFIRMED:
        raise ConflictError(_("Only an approved group can be checked in."))
    if booking.date != timezone.localdate():
        raise ConflictError(_("This booking is for %(day)s.") % {"day": booking.date.isoformat()})
    if count < 1 or booking.group_checked_in + count > booking.party_size:
        raise ApplicationError.for_field(
            "count",
            _("The group has %(n)s people, %(in)s checked in already.")
            % {"n": booking.party_size, "in": booking.group_checked_in},
        )
    _lock_day(booking.venue, booking.date)
    _check_room(booking.venue, booking.date, count)
    before = snapshot(booking, ["group_checked_in"])
    booking.group_checked_in += count
    booking.save(update_fields=["group_checked_in"])
    audit_record(
        actor=actor,
        action="group.check_in",
        target=booking,
        before=before,
        after=snapshot(booking, ["group_checked_in"]),
        venue=booking.venue,
    )
    return booking


@transaction.atomic
def gate_count(*, actor: Actor, venue: Venue, kind: str, count: int) -> GateEvent:
    """Count walk-ins (where the venue allows them) or people leaving."""
    require_venue(actor, venue, Capability.OPERATE_GATE)
    if kind not in GateEventKind.values:
        raise ApplicationError.for_field("kind", _("Unknown kind of count."))
    if not 1 <= count <= 1000:
        raise ApplicationError.for_field("count", _("Count between 1 and 1,000 people at a time."))
    day = timezone.localdate()
    rules = VisitRules.objects.filter(venue=venue).first()
    _lock_day(venue, day)
    if kind == GateEventKind.WALK_IN:
        if rules is None or not rules.walk_ins_allowed:
            raise ConflictError(_("This venue does not admit visitors without a booking."))
        _check_room(venue, day, count)
    elif count > gate_figures(venue, day).inside:
        raise ApplicationError.for_field("count", _("More people cannot leave than are inside."))
    event = GateEvent.objects.create(venue=venue, date=day, kind=kind, count=count)
    audit_record(
        actor=actor, action=f"gate.{kind}", target=event, after=snapshot(event), venue=venue
    )
    return event

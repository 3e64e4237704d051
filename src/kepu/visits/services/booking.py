"""Individual and group bookings: create, look up, cancel, approve.

A booking is taken in one short transaction: take places from the slot's pool (and the day's cap),
insert the booking and its people, write the audit entry. Everything that can be checked before
(the party, the window, bans, the calendar) is checked before the transaction starts.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core import crypto, versions
from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError, ConflictError, NotFoundError
from kepu.core.scopes import Capability, require_venue
from kepu.network.models import Venue
from kepu.network.opening import OpeningCalendar, add_working_days, calendar_version
from kepu.visits import capacity
from kepu.visits.identity import Identity, IdType, normalise_mobile, validate_identity
from kepu.visits.models import (
    Booking,
    BookingKind,
    BookingPerson,
    BookingSource,
    BookingStatus,
    PersonStatus,
    PoolKind,
    SeatPool,
    TimeSlot,
    VisitorBan,
    VisitRules,
)
from kepu.visits.services.rules import bookable_until, rules_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

ADULT_AGE = 18
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: easy to read aloud
QR_PREFIX = "KEPU1"
VISITOR = "visitor"


@dataclass(frozen=True)
class PartyMember:
    name: str
    id_type: str
    id_number: str = ""
    birth_date: date | None = None


@dataclass(frozen=True)
class CheckedMember:
    name: str
    identity: Identity
    is_minor: bool
    id_hash: str | None


@dataclass(frozen=True)
class BookingResult:
    booking: Booking
    created: bool  # False when an idempotent retry returned the booking made the first time


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def qr_payload(booking: Booking) -> str:
    """What the QR code says: the reference and a signature, so codes cannot be guessed."""
    signature = signing.Signer(salt="kepu.visits.qr").signature(booking.reference)[:12]
    return f"{QR_PREFIX}:{booking.reference}:{signature}"


def reference_from_qr(payload: str) -> str | None:
    parts = payload.strip().split(":")
    if len(parts) != 3 or parts[0] != QR_PREFIX:
        return None
    expected = signing.Signer(salt="kepu.visits.qr").signature(parts[1])[:12]
    return parts[1] if secrets.compare_digest(expected, parts[2]) else None


# Checks before the transaction ---------------------------------------------------------------


def check_party(rules: VisitRules, people: Sequence[PartyMember], on: date) -> list[CheckedMember]:
    """Validate every person; report all problems at once, each on its own field."""
    if not people:
        raise ApplicationError.for_field("people", _("Add at least one visitor."))
    if len(people) > rules.max_party_size:
        raise ApplicationError.for_field(
            "people",
            _("At most %(n)s people per booking at this venue.") % {"n": rules.max_party_size},
        )
    errors: dict[str, list[str]] = {}
    checked: list[CheckedMember] = []
    seen: dict[str, int] = {}
    for index, person in enumerate(people):
        prefix = f"people.{index}."
        name = " ".join(person.name.split())
        if not name:
            errors.setdefault(prefix + "name", []).append(_("Enter the visitor's name."))
        if len(name) > 50:
            errors.setdefault(prefix + "name", []).append(_("The name is too long."))
        try:
            identity = validate_identity(
                person.id_type, person.id_number, person.birth_date, field=prefix + "id_number"
            )
        except ApplicationError as error:
            for field, reasons in error.fields.items():
                key = field if field.startswith(prefix) else prefix + field
                errors.setdefault(key, []).extend(str(r) for r in reasons)
            continue
        age = identity.age_on(on)
        if identity.id_type == IdType.NONE_CHILD and (age is None or age >= rules.child_free_age):
            errors.setdefault(prefix + "id_type", []).append(
                _("Only children under %(age)s may come without an ID.")
                % {"age": rules.child_free_age}
            )
        if identity.number:
            if identity.number in seen:
                errors.setdefault(prefix + "id_number", []).append(
                    _("This ID number is already in the booking.")
                )
            seen[identity.number] = index
        id_hash = crypto.blind_index(identity.number, purpose="id") if identity.number else None
        is_minor = age is not None and age < ADULT_AGE
        checked.append(
            CheckedMember(name=name, identity=identity, is_minor=is_minor, id_hash=id_hash)
        )
    if errors:
        raise ApplicationError(_("Please correct the errors below."), fields=errors)
    minors = sum(1 for member in checked if member.is_minor)
    adults = len(checked) - minors
    if minors and not adults:
        raise ApplicationError.for_field(
            "people", _("Minors need an adult of the same booking with them.")
        )
    if minors > adults * rules.max_minors_per_guardian:
        raise ApplicationError.for_field(
            "people",
            _("One adult may bring at most %(n)s minors.") % {"n": rules.max_minors_per_guardian},
        )
    return checked


def check_party_and_phone(
    rules: VisitRules, people: Sequence[PartyMember], phone: str, on: date
) -> tuple[list[CheckedMember], str]:
    """Check the party and the mobile number together, so every mistake is reported at once."""
    fields: dict[str, list[str]] = {}
    members: list[CheckedMember] = []
    phone_e164 = ""
    try:
        members = check_party(rules, people, on)
    except ApplicationError as error:
        fields.update({k: [str(r) for r in v] for k, v in error.fields.items()})
    try:
        phone_e164 = normalise_mobile(phone)
    except ApplicationError as error:
        fields.update({k: [str(r) for r in v] for k, v in error.fields.items()})
    if fields:
        raise ApplicationError(_("Please correct the errors below."), fields=fields)
    return members, phone_e164


def is_open_on(venue: Venue, day: date) -> bool:
    """The opening calendar's answer, cached (any change to the calendar starts a new cache)."""
    key = f"kepu:open:{venue.pk}:{calendar_version(venue.pk)}:{day.isoformat()}"
    answer = cache.get(key)
    if answer is None:
        answer = OpeningCalendar.for_venue(venue, day, day).day(day).is_open
        cache.set(key, answer, timeout=300)
    return bool(answer)


def check_slot(rules: VisitRules, slot: TimeSlot, now: datetime) -> None:
    local = timezone.localtime(now)
    if slot.is_closed or not is_open_on(slot.venue, slot.date):
        raise ApplicationError.for_field("slot", _("This slot is not open for booking."))
    if slot.date < local.date() or (slot.date == local.date() and slot.ends_at <= local.time()):
        raise ApplicationError.for_field("slot", _("This slot is over."))
    last = bookable_until(rules, now)
    if slot.date > last:
        opens = datetime.combine(
            slot.date - timedelta(days=rules.booking_window_days), rules.booking_opens_at
        )
        raise ApplicationError.for_field(
            "slot",
            _("Booking for %(day)s opens on %(when)s.")
            % {"day": slot.date.isoformat(), "when": opens.strftime("%Y-%m-%d %H:%M")},
        )


def bans_key(venue_id: int) -> str:
    return f"kepu:has-bans:{venue_id}"


def check_bans(venue: Venue, members: Sequence[CheckedMember], on: date) -> None:
    hashes = {m.id_hash: i for i, m in enumerate(members) if m.id_hash is not None}
    if not hashes:
        return
    # Most venues bar nobody: remember whether any ban is still running today (closing a day that
    # bars someone forgets it). A visit is never before today, so "none today" means "none then".
    has_bans = cache.get(bans_key(venue.pk))
    if has_bans is None:
        today = timezone.localdate()
        has_bans = VisitorBan.objects.filter(venue=venue, until__gte=min(on, today)).exists()
        cache.set(bans_key(venue.pk), has_bans, timeout=300)
    if not has_bans:
        return
    banned = VisitorBan.objects.filter(venue=venue, id_hash__in=list(hashes), until__gte=on).first()
    if banned is not None:
        raise ApplicationError.for_field(
            f"people.{hashes[banned.id_hash]}.id_number",
            _("After repeated no-shows this ID cannot book here until %(day)s.")
            % {"day": banned.until.isoformat()},
            code="banned",
        )


def check_already_booked(slot: TimeSlot, members: Sequence[CheckedMember]) -> None:
    hashes = {m.id_hash: i for i, m in enumerate(members) if m.id_hash is not None}
    taken = set(
        BookingPerson.objects.filter(
            venue_id=slot.venue_id,
            date=slot.date,
            hall_key=slot.hall_key,
            status=PersonStatus.CONFIRMED,
            id_hash__in=list(hashes),
        ).values_list("id_hash", flat=True)
    )
    if taken:
        raise ConflictError(
            _("This ID already holds a booking at this venue for that day."),
            fields={
                f"people.{hashes[h]}.id_number": [
                    _("This ID already holds a booking at this venue for that day.")
                ]
                for h in taken
                if h is not None
            },
        )


# What the booking path reads on every request and that rarely changes is remembered per
# process for a minute, under the venue's booking-setup version (kepu.core.versions), which every
# change to the venue, its rules or its seat pools bumps: the venue with its rules, and each
# slot's pool ids. A booking then costs one small slot query before its own writes.
_VENUES: dict[tuple[int, int], tuple[float, Venue]] = {}
_POOL_IDS: dict[tuple[int, str, int], tuple[float, list[int]]] = {}
_REMEMBER_SECONDS = 60


def forget_pool_ids() -> None:
    _VENUES.clear()
    _POOL_IDS.clear()


def _remember[V](store: dict[Any, tuple[float, V]], key: Any, value: V) -> V:
    if len(store) > 10_000:
        store.clear()
    store[key] = (time.monotonic() + _REMEMBER_SECONDS, value)
    return value


def _recall[V](store: dict[Any, tuple[float, V]], key: Any) -> V | None:
    hit = store.get(key)
    return hit[1] if hit is not None and hit[0] > time.monotonic() else None


def _bookable_venue(venue_id: int, version: int) -> Venue | None:
    venue = _recall(_VENUES, (venue_id, version))
    if venue is None:
        venue = Venue.objects.select_related("visit_rules").filter(pk=venue_id).first()
        if venue is None or not venue.is_active:
            return None
        _remember(_VENUES, (venue_id, version), venue)
    return venue


def find_slot(venue: Venue | int, slot_id: int) -> TimeSlot:
    """The slot, with its venue and the venue's rules (shared copies: read them, never change
    them); 404 for a venue that does not exist or is closed, a field error for another slot."""
    venue_id = venue if isinstance(venue, int) else venue.pk
    version = versions.current(versions.BOOKING_SETUP, venue_id)
    known = _bookable_venue(venue_id, version)
    if known is None:
        raise NotFoundError()
    slot = next(iter(TimeSlot.objects.filter(pk=slot_id, venue_id=venue_id).order_by()[:1]), None)
    if slot is None:
        raise ApplicationError.for_field("slot", _("Choose a time slot of this venue."))
    slot.venue = known
    slot.setup_version = version  # type: ignore[attr-defined]
    return slot


def _pool_ids(slot: TimeSlot, kind: str) -> list[int]:
    version = getattr(slot, "setup_version", None)
    if version is None:
        version = versions.current(versions.BOOKING_SETUP, slot.venue_id)
    key = (slot.pk, kind, version)
    ids = _recall(_POOL_IDS, key)
    if ids is None:
        ids = _remember(_POOL_IDS, key, _load_pool_ids(slot, kind))
    return ids


def _load_pool_ids(slot: TimeSlot, kind: str) -> list[int]:
    pools = list(
        SeatPool.objects.filter(venue_id=slot.venue_id, slot=slot, kind=kind).values_list(
            "id", flat=True
        )
    )
    if not pools:
        raise capacity.SoldOut(_("This slot takes no bookings of this kind."))
    day = capacity.day_pool(slot.venue_id, slot.date)
    return pools + ([day.pk] if day else [])


def _existing(venue: Venue, key: str | None) -> Booking | None:
    if not key:
        return None
    return Booking.objects.filter(venue=venue, idempotency_key=key).first()


# Individual bookings -------------------------------------------------------------------------


def booking_create(
    *,
    venue: Venue | int,
    slot_id: int,
    people: Sequence[PartyMember],
    phone: str,
    idempotency_key: str | None = None,
    source: str = BookingSource.WEB,
    now: datetime | None = None,
    holding_pools: bool = True,
) -> BookingResult:
    """Book places for a party. A retry with the same idempotency key returns the first booking.

    ``holding_pools=False`` is for a waiting-list offer whose places were taken when it was made.
    ``venue`` may be given by id: the slot's query checks it (the public API's fast path).
    """
    now = now or timezone.now()
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 64:
        raise ApplicationError.for_field("idempotency_key", _("Use a key of 1 to 64 characters."))
    slot = find_slot(venue, slot_id)
    venue = slot.venue
    rules = rules_for(venue)
    members, phone_e164 = check_party_and_phone(rules, people, phone, slot.date)
    check_slot(rules, slot, now)
    check_bans(venue, members, slot.date)
    # The happy path asks the database nothing it will not enforce itself: an idempotent retry
    # and an ID booked twice both fail on unique constraints, and are answered below.
    try:
        booking = _book(venue, slot, members, phone_e164, idempotency_key, source, holding_pools)
    except (IntegrityError, ConflictError):
        # A retry of a request that committed a moment ago clashes with its own first booking:
        # answer with that booking. Otherwise the clash is real (the same ID, or sold out).
        earlier = _existing(venue, idempotency_key)
        if earlier is not None:
            return BookingResult(earlier, created=False)
        check_already_booked(slot, members)
        raise
    return BookingResult(booking, created=True)


@transaction.atomic
def _book(
    venue: Venue,
    slot: TimeSlot,
    members: Sequence[CheckedMember],
    phone: str,
    idempotency_key: str | None,
    source: str,
    holding_pools: bool,
) -> Booking:
    if holding_pools:
        capacity.take(_pool_ids(slot, PoolKind.PUBLIC), len(members))
    booking = Booking.objects.create(
        venue=venue,
        slot=slot,
        date=slot.date,
        reference=new_reference(),
        source=source,
        party_size=len(members),
        phone_encrypted=crypto.encrypt(phone),
        phone_hash=crypto.blind_index(phone, purpose="phone"),
        phone_masked=crypto.mask_phone(phone),
        idempotency_key=idempotency_key,
    )
    booking.created_people = BookingPerson.objects.bulk_create(  # type: ignore[attr-defined]
        BookingPerson(
            venue=venue,
            booking=booking,
            date=slot.date,
            hall_key=slot.hall_key,
            id_type=member.identity.id_type,
            id_encrypted=crypto.encrypt(member.identity.number) if member.identity.number else "",
            id_hash=member.id_hash,
            id_masked=crypto.mask_id_number(member.identity.number)
            if member.identity.number
            else "",
            name_encrypted=crypto.encrypt(member.name),
            name_masked=crypto.mask_name(member.name),
            is_minor=member.is_minor,
        )
        for member in members
    )
    audit_record(
        actor=None,
        actor_name=VISITOR,
        action="booking.create",
        target=booking,
        after=snapshot(booking),
        venue=venue,
    )
    return booking


def booking_find(*, reference: str, phone: str) -> Booking:
    """A visitor's own booking: the reference and the mobile number used must both match."""
    try:
        phone_e164 = normalise_mobile(phone)
    except ApplicationError as error:
        raise NotFoundError() from error
    booking = (
        Booking.objects.select_related("slot", "venue")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if (
        booking is None
        or not booking.phone_hash
        or not secrets.compare_digest(
            booking.phone_hash, crypto.blind_index(phone_e164, purpose="phone")
        )
    ):
        raise NotFoundError(_("No booking matches this reference and mobile number."))
    return booking


def cancel_deadline(rules: VisitRules, booking: Booking) -> datetime:
    start = timezone.make_aware(datetime.combine(booking.date, booking.slot.starts_at))
    return start - timedelta(minutes=rules.cancel_cutoff_minutes)


@transaction.atomic
def booking_cancel(
    *, booking: Booking, actor: Actor = None, now: datetime | None = None
) -> Booking:
    """Cancel a booking (the visitor before the cut-off, or staff of the venue at any time)."""
    from kepu.visits.services.waitlist import waitlist_offer_next

    if actor is not None and actor.is_authenticated:
        require_venue(actor, booking.venue, Capability.HANDLE_GROUPS)
    booking = Booking.objects.select_for_update().select_related("slot", "venue").get(pk=booking.pk)
    if not booking.is_active:
        raise ConflictError(_("This booking is not active any more."))
    now = now or timezone.now()
    rules = VisitRules.objects.get(venue=booking.venue)
    staff = actor is not None and actor.is_authenticated
    if not staff and now > cancel_deadline(rules, booking):
        raise ConflictError(
            _("Bookings can be cancelled until %(when)s; that time has passed.")
            % {
                "when": timezone.localtime(cancel_deadline(rules, booking)).strftime(
                    "%Y-%m-%d %H:%M"
                )
            }
        )
    if booking.people.filter(checked_in_at__isnull=False).exists() or booking.group_checked_in:
        raise ConflictError(_("Someone of this booking has checked in already."))
    before = snapshot(booking, ["status"])
    was_confirmed_group = booking.kind == BookingKind.GROUP
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    booking.people.update(status=PersonStatus.CANCELLED)
    kind = PoolKind.GROUP if was_confirmed_group else PoolKind.PUBLIC
    capacity.give_back(_pool_ids(booking.slot, kind), booking.party_size)
    audit_record(
        actor=actor,
        actor_name="" if staff else VISITOR,
        action="booking.cancel",
        target=booking,
        before=before,
        after=snapshot(booking, ["status"]),
        venue=booking.venue,
    )
    if kind == PoolKind.PUBLIC:
        transaction.on_commit(lambda: waitlist_offer_next(slot_id=booking.slot_id))
    return booking


# Groups ----------------------------------------------------------------------------------------


def group_booking_request(
    *,
    venue: Venue,
    slot_id: int,
    headcount: int,
    school: str,
    leader_name: str,
    phone: str,
    note: str = "",
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> BookingResult:
    """A teacher asks for a class's visit. The group's places are held until staff decide."""
    now = now or timezone.now()
    earlier = _existing(venue, idempotency_key)
    if earlier is not None:
        return BookingResult(earlier, created=False)
    rules = rules_for(venue)
    slot = find_slot(venue, slot_id)
    errors: dict[str, list[str]] = {}
    if not rules.group_min_size <= headcount <= rules.group_max_size:
        errors["headcount"] = [
            _("Groups here have %(min)s to %(max)s people.")
            % {"min": rules.group_min_size, "max": rules.group_max_size}
        ]
    if not school.strip():
        errors["school"] = [_("Enter the school or organisation.")]
    if not leader_name.strip():
        errors["leader_name"] = [_("Enter the group leader's name.")]
    earliest = add_working_days(timezone.localtime(now).date(), rules.group_lead_working_days)
    if slot.date < earliest:
        errors["slot"] = [
            _("Groups book at least %(n)s working days ahead: the earliest date is %(day)s.")
            % {"n": rules.group_lead_working_days, "day": earliest.isoformat()}
        ]
    if errors:
        raise ApplicationError(_("Please correct the errors below."), fields=errors)
    phone_e164 = normalise_mobile(phone)
    if slot.is_closed or not is_open_on(venue, slot.date):
        raise ApplicationError.for_field("slot", _("This slot is not open for booking."))
    try:
        with transaction.atomic():
            capacity.take(_pool_ids(slot, PoolKind.GROUP), headcount)
            booking = Booking.objects.create(
                venue=venue,
                slot=slot,
                date=slot.date,
                reference=new_reference(),
                kind=BookingKind.GROUP,
                status=BookingStatus.PENDING,
                party_size=headcount,
                phone_encrypted=crypto.encrypt(phone_e164),
                phone_hash=crypto.blind_index(phone_e164, purpose="phone"),
                phone_masked=crypto.mask_phone(phone_e164),
                school=school.strip()[:200],
                leader_encrypted=crypto.encrypt(leader_name.strip()),
                leader_masked=crypto.mask_name(leader_name),
                note=note.strip()[:255],
                idempotency_key=idempotency_key,
            )
            audit_record(
                actor=None,
                actor_name=VISITOR,
                action="group_booking.request",
                target=booking,
                after=snapshot(booking),
                venue=venue,
            )
    except IntegrityError:
        earlier = _existing(venue, idempotency_key)
        if earlier is not None:
            return BookingResult(earlier, created=False)
        raise
    return BookingResult(booking, created=True)


@transaction.atomic
def group_booking_decide(
    *, actor: Actor, booking: Booking, approve: bool, reason: str = ""
) -> Booking:
    require_venue(actor, booking.venue, Capability.HANDLE_GROUPS)
    booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if booking.kind != BookingKind.GROUP or booking.status != BookingStatus.PENDING:
        raise ConflictError(_("Only a group request awaiting approval can be decided."))
    if not approve and not reason.strip():
        raise ApplicationError.for_field(
            "reason", _("Tell the teacher why the request is declined.")
        )
    before = snapshot(booking, ["status", "decision_reason"])
    booking.status = BookingStatus.CONFIRMED if approve else BookingStatus.DECLINED
    booking.decision_reason = reason.strip()[:255]
    booking.save(update_fields=["status", "decision_reason"])
    if not approve:
        capacity.give_back(_pool_ids(booking.slot, PoolKind.GROUP), booking.party_size)
    audit_record(
        actor=actor,
        action="group_booking.approve" if approve else "group_booking.decline",
        target=booking,
        before=before,
        after=snapshot(booking, ["status", "decision_reason"]),
        venue=booking.venue,
    )
    return booking

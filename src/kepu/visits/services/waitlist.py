"""The waiting list of a full slot.

When places are freed (a cancellation, an expired offer), they are offered to the first party in
line that fits: the places are taken from the pool for that party and held until the offer
expires. The party accepts with the token of its entry (the link it was given); an offer not taken
in time goes back to the pool and on to the next in line. ``kepu process-waitlist`` expires
offers on schedule (every minute, see docs/deploy.md); an offer is also checked when it is used.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core import crypto
from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError, ConflictError, NotFoundError
from kepu.network.models import Venue
from kepu.visits import capacity
from kepu.visits.models import (
    Booking,
    BookingSource,
    PoolKind,
    SeatPool,
    TimeSlot,
    VisitRules,
    WaitlistEntry,
    WaitlistStatus,
)
from kepu.visits.services.booking import (
    VISITOR,
    PartyMember,
    booking_create,
    check_already_booked,
    check_bans,
    check_party_and_phone,
    check_slot,
    find_slot,
)
from kepu.visits.services.rules import rules_for

logger = logging.getLogger("kepu.visits.waitlist")


def _public_pool_ids(slot: TimeSlot) -> list[int]:
    ids = list(
        SeatPool.objects.filter(slot=slot, kind=PoolKind.PUBLIC).values_list("id", flat=True)
    )
    day = capacity.day_pool(slot.venue_id, slot.date)
    return ids + ([day.pk] if day else [])


def _places_left(slot: TimeSlot) -> int:
    return min(capacity.remaining_by_pool(_public_pool_ids(slot)).values(), default=0)


def _encode_party(people: Sequence[PartyMember]) -> str:
    return crypto.encrypt(
        json.dumps(
            [
                {
                    "name": p.name,
                    "id_type": p.id_type,
                    "id_number": p.id_number,
                    "birth_date": p.birth_date.isoformat() if p.birth_date else None,
                }
                for p in people
            ],
            ensure_ascii=False,
        )
    )


def _decode_party(token: str) -> list[PartyMember]:
    return [
        PartyMember(
            name=item["name"],
            id_type=item["id_type"],
            id_number=item["id_number"],
            birth_date=date.fromisoformat(item["birth_date"]) if item["birth_date"] else None,
        )
        for item in json.loads(crypto.decrypt(token))
    ]


@transaction.atomic
def waitlist_join(
    *,
    venue: Venue,
    slot_id: int,
    people: Sequence[PartyMember],
    phone: str,
    now: datetime | None = None,
) -> WaitlistEntry:
    now = now or timezone.now()
    rules = rules_for(venue)
    slot = find_slot(venue, slot_id)
    members, phone_e164 = check_party_and_phone(rules, people, phone, slot.date)
    check_slot(rules, slot, now)
    check_bans(venue, members, slot.date)
    check_already_booked(slot, members)
    if _places_left(slot) >= len(members):
        raise ConflictError(_("There are places left in this slot: book them directly."))
    entry = WaitlistEntry.objects.create(
        venue=venue,
        slot=slot,
        date=slot.date,
        party_size=len(members),
        party_encrypted=_encode_party(people),
        phone_encrypted=crypto.encrypt(phone_e164),
        phone_hash=crypto.blind_index(phone_e164, purpose="phone"),
        phone_masked=crypto.mask_phone(phone_e164),
        token=secrets.token_urlsafe(16),
    )
    audit_record(
        actor=None,
        actor_name=VISITOR,
        action="waitlist.join",
        target=entry,
        after=snapshot(entry),
        venue=venue,
    )
    return entry


def _expire(entry: WaitlistEntry) -> None:
    capacity.give_back(_public_pool_ids(entry.slot), entry.party_size)
    entry.status = WaitlistStatus.EXPIRED
    entry.save(update_fields=["status"])
    audit_record(
        actor=None,
        action="waitlist.expire",
        target=entry,
        after=snapshot(entry, ["status"]),
        venue=entry.venue,
    )


@transaction.atomic
def waitlist_offer_next(*, slot_id: int, now: datetime | None = None) -> list[WaitlistEntry]:
    """Offer freed places to the waiting parties, in order, as long as the next one fits."""
    now = now or timezone.now()
    slot = TimeSlot.objects.select_for_update().select_related("venue").filter(pk=slot_id).first()
    if slot is None:
        return []
    local = timezone.localtime(now)
    if slot.date < local.date() or (slot.date == local.date() and slot.ends_at <= local.time()):
        return []
    for due in WaitlistEntry.objects.select_for_update().filter(
        slot=slot, status=WaitlistStatus.OFFERED, offered_until__lt=now
    ):
        _expire(due)
    minutes = VisitRules.objects.get(venue=slot.venue).waitlist_offer_minutes
    offered: list[WaitlistEntry] = []
    while True:
        entry = (
            WaitlistEntry.objects.select_for_update()
            .filter(slot=slot, status=WaitlistStatus.WAITING, party_size__lte=_places_left(slot))
            .order_by("created_at", "id")
            .first()
        )
        if entry is None:
            return offered
        capacity.take(_public_pool_ids(slot), entry.party_size)
        entry.status = WaitlistStatus.OFFERED
        entry.offered_until = now + timedelta(minutes=minutes)
        entry.save(update_fields=["status", "offered_until"])
        audit_record(
            actor=None,
            action="waitlist.offer",
            target=entry,
            after=snapshot(entry, ["status"]),
            venue=slot.venue,
        )
        # A notification adapter (SMS, WeChat) hooks in here; until one is configured the offer
        # is shown on the entry's own page, which the visitor was given when joining.
        logger.info(
            "waitlist offer",
            extra={"entry": entry.pk, "slot": slot.pk, "until": str(entry.offered_until)},
        )
        offered.append(entry)


def waitlist_get(token: str) -> WaitlistEntry:
    entry = (
        WaitlistEntry.objects.select_related("slot", "venue", "booking").filter(token=token).first()
    )
    if entry is None:
        raise NotFoundError()
    return entry


def waitlist_accept(*, token: str, now: datetime | None = None) -> Booking:
    """Take the place offered; an offer whose time is up is expired and refused."""
    now = now or timezone.now()
    booking = _accept(token, now)
    if booking is None:
        raise ConflictError(_("The offer has expired and passed to the next in line."))
    return booking


@transaction.atomic
def _accept(token: str, now: datetime) -> Booking | None:
    entry = (
        WaitlistEntry.objects.select_for_update()
        .select_related("slot", "venue")
        .filter(token=token)
        .first()
    )
    if entry is None:
        raise NotFoundError()
    if entry.status == WaitlistStatus.ACCEPTED and entry.booking is not None:
        return entry.booking
    if entry.status != WaitlistStatus.OFFERED:
        raise ConflictError(_("No place is being offered to you right now."))
    if entry.offered_until is not None and entry.offered_until < now:
        # Expire for good (this transaction commits), then say so: the places move on.
        waitlist_offer_next(slot_id=entry.slot_id, now=now)
        return None
    result = booking_create(
        venue=entry.venue,
        slot_id=entry.slot_id,
        people=_decode_party(entry.party_encrypted),
        phone=crypto.decrypt(entry.phone_encrypted),
        idempotency_key=f"waitlist-{entry.pk}",
        source=BookingSource.WAITLIST,
        now=now,
        holding_pools=False,
    )
    entry.status = WaitlistStatus.ACCEPTED
    entry.booking = result.booking
    entry.save(update_fields=["status", "booking"])
    audit_record(
        actor=None,
        actor_name=VISITOR,
        action="waitlist.accept",
        target=entry,
        after=snapshot(entry, ["status"]),
        venue=entry.venue,
    )
    return result.booking


@transaction.atomic
def waitlist_leave(*, token: str) -> WaitlistEntry:
    entry = WaitlistEntry.objects.select_for_update().filter(token=token).first()
    if entry is None:
        raise NotFoundError()
    if entry.status not in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED):
        raise ApplicationError(_("You are not on the waiting list any more."))
    offered = entry.status == WaitlistStatus.OFFERED
    if offered:
        capacity.give_back(_public_pool_ids(entry.slot), entry.party_size)
    entry.status = WaitlistStatus.CANCELLED
    entry.save(update_fields=["status"])
    if offered:
        transaction.on_commit(lambda: waitlist_offer_next(slot_id=entry.slot_id))
    return entry


def waitlist_process_due(*, now: datetime | None = None) -> int:
    """Expire offers whose time is up and offer their places on; returns the offers expired."""
    now = now or timezone.now()
    slot_ids = set(
        WaitlistEntry.objects.filter(
            status=WaitlistStatus.OFFERED, offered_until__lt=now
        ).values_list("slot_id", flat=True)
    )
    expired = WaitlistEntry.objects.filter(
        status=WaitlistStatus.OFFERED, offered_until__lt=now
    ).count()
    for slot_id in slot_ids:
        waitlist_offer_next(slot_id=slot_id, now=now)
    return expired

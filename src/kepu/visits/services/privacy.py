"""Personal data of visitors: revealing it (audited) and purging it when it is old (PIPL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core import crypto
from kepu.core.audit import audit_record
from kepu.core.errors import ApplicationError
from kepu.core.scopes import Capability, require_venue
from kepu.visits.models import Booking, BookingPerson, WaitlistEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None


@dataclass(frozen=True)
class Revealed:
    name: str
    id_number: str


@transaction.atomic
def person_reveal(*, actor: Actor, person: BookingPerson, reason: str) -> Revealed:
    """The full name and ID number of a visitor, for someone allowed to see it; audited."""
    require_venue(actor, person.booking.venue, Capability.REVEAL_PERSONAL_DATA)
    if not reason.strip():
        raise ApplicationError.for_field(
            "reason", _("Give the reason for looking at personal data.")
        )
    if not person.name_encrypted:
        raise ApplicationError(_("This visitor's personal data has been purged."))
    audit_record(
        actor=actor,
        action="personal_data.reveal",
        target=person.booking,
        after={"person": person.pk, "reason": reason.strip()[:200]},
        venue=person.booking.venue,
    )
    return Revealed(
        name=crypto.decrypt(person.name_encrypted),
        id_number=crypto.decrypt(person.id_encrypted) if person.id_encrypted else "",
    )


@dataclass(frozen=True)
class PurgeResult:
    bookings: int
    people: int
    waitlist: int


@transaction.atomic
def personal_data_purge(*, older_than_days: int) -> PurgeResult:
    """Erase names, ID and phone numbers of visits older than the given days; counts stay.

    ID hashes go too, so an old no-show can no longer be linked to a person once purged; bans
    still in force keep their own hash until they end.
    """
    if older_than_days < 1:
        raise ApplicationError.for_field("older_than", _("Keep at least one day of bookings."))
    cutoff = timezone.localdate() - timedelta(days=older_than_days)
    now = timezone.now()
    people = BookingPerson.objects.filter(date__lt=cutoff).exclude(name_encrypted="")
    people_count = people.update(
        name_encrypted="", name_masked="", id_encrypted="", id_hash=None, id_masked=""
    )
    bookings = Booking.objects.filter(date__lt=cutoff, personal_data_purged_at__isnull=True)
    booking_count = bookings.update(
        phone_encrypted="",
        phone_hash="",
        phone_masked="",
        leader_encrypted="",
        leader_masked="",
        personal_data_purged_at=now,
    )
    waitlist_count = (
        WaitlistEntry.objects.filter(date__lt=cutoff)
        .exclude(phone_hash="")
        .update(party_encrypted="", phone_encrypted="", phone_hash="", phone_masked="")
    )
    return PurgeResult(bookings=booking_count, people=people_count, waitlist=waitlist_count)

"""Sign-up for sessions with places: never more people than places, a retry takes effect once.

The session row carries ``places_left`` (CHECK >= 0). Signing up is one conditional UPDATE
(``places_left = places_left - n WHERE places_left >= n``) and the INSERT of the sign-up, in one
short transaction: on PostgreSQL the row lock serialises the few concurrent sign-ups of a
session, on SQLite ``BEGIN IMMEDIATE`` serialises writers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core import crypto
from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError, ConflictError, NotFoundError
from kepu.core.scopes import Capability, require_venue
from kepu.programs.models import Registration, Session, SessionStatus
from kepu.visits.identity import normalise_mobile
from kepu.visits.services.booking import VISITOR, new_reference

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

MAX_PERSON_PARTY = 5
MAX_CLASS_SIZE = 200


class SessionFull(ConflictError):
    default_code = "full"


@dataclass
class SignUp:
    kind: str
    name: str
    phone: str
    headcount: int = 1
    school_name: str = ""
    class_name: str = ""


@dataclass
class SignUpResult:
    registration: Registration
    created: bool


def open_session(session_id: int, now: datetime | None = None) -> Session:
    """A session the public may sign up for right now (404 if there is no such session)."""
    session = (
        Session.objects.select_related("activity", "venue", "hall")
        .filter(pk=session_id, venue__is_active=True)
        .first()
    )
    if session is None:
        raise NotFoundError()
    if not session.registration_open or session.capacity is None:
        raise ApplicationError(_("This session does not take sign-ups."), code="closed")
    if session.status != SessionStatus.PLANNED:
        raise ApplicationError(_("This session does not take sign-ups."), code="closed")
    if session.starts_at <= (now or timezone.now()):
        raise ApplicationError(_("This session has started; sign-up is closed."), code="closed")
    return session


def _check(signup: SignUp) -> tuple[str, str]:
    fields: dict[str, list[str]] = {}
    name = signup.name.strip()
    if not name or len(name) > 50:
        fields["name"] = [_("Enter a name of at most 50 characters.")]
    phone = ""
    try:
        phone = normalise_mobile(signup.phone)
    except ApplicationError as error:
        fields.update({k: [str(r) for r in v] for k, v in error.fields.items()})
    if signup.kind == Registration.Kind.PERSON:
        if not 1 <= signup.headcount <= MAX_PERSON_PARTY:
            fields["headcount"] = [
                _("Sign up 1 to %(n)s people at a time.") % {"n": MAX_PERSON_PARTY}
            ]
    elif signup.kind == Registration.Kind.CLASS:
        if not 1 <= signup.headcount <= MAX_CLASS_SIZE:
            fields["headcount"] = [_("A class has 1 to %(n)s students.") % {"n": MAX_CLASS_SIZE}]
        if not signup.school_name.strip():
            fields["school_name"] = [_("Enter the school.")]
        if not signup.class_name.strip():
            fields["class_name"] = [_("Enter the class, e.g. 五年级二班.")]
    else:
        fields["kind"] = [_("Sign up a person or a class.")]
    if fields:
        raise ApplicationError(_("Please correct the errors below."), fields=fields)
    return name, phone


def registration_create(
    *,
    session_id: int,
    signup: SignUp,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> SignUpResult:
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 64:
        raise ApplicationError.for_field("idempotency_key", _("Use a key of 1 to 64 characters."))
    session = open_session(session_id, now)
    name, phone = _check(signup)
    try:
        registration = _take(session, signup, name, phone, idempotency_key)
    except (IntegrityError, SessionFull):
        earlier = (
            Registration.objects.filter(session=session, idempotency_key=idempotency_key).first()
            if idempotency_key
            else None
        )
        if earlier is not None:
            return SignUpResult(earlier, created=False)
        if (
            signup.kind == Registration.Kind.PERSON
            and Registration.objects.filter(
                session=session,
                kind=Registration.Kind.PERSON,
                status=Registration.Status.CONFIRMED,
                phone_hash=crypto.blind_index(phone, purpose="phone"),
            ).exists()
        ):
            raise ConflictError(
                _("This mobile number has signed up for this session already."),
                code="already_signed_up",
                fields={"phone": [_("Signed up already.")]},
            ) from None
        raise
    return SignUpResult(registration, created=True)


@transaction.atomic
def _take(
    session: Session, signup: SignUp, name: str, phone: str, idempotency_key: str | None
) -> Registration:
    taken = Session.objects.filter(
        pk=session.pk,
        places_left__gte=signup.headcount,
        status=SessionStatus.PLANNED,  # not cancelled meanwhile: the cancel locks this row
        registration_open=True,
    ).update(places_left=F("places_left") - signup.headcount)
    if not taken:
        raise SessionFull(_("Sorry, this session is full."))
    registration = Registration.objects.create(
        venue_id=session.venue_id,
        session=session,
        kind=signup.kind,
        reference=new_reference(),
        headcount=signup.headcount,
        name_encrypted=crypto.encrypt(name),
        name_masked=crypto.mask_name(name),
        phone_encrypted=crypto.encrypt(phone),
        phone_hash=crypto.blind_index(phone, purpose="phone"),
        phone_masked=crypto.mask_phone(phone),
        school_name=signup.school_name.strip()[:200],
        class_name=signup.class_name.strip()[:100],
        idempotency_key=idempotency_key,
    )
    audit_record(
        actor=None,
        actor_name=VISITOR,
        action="registration.create",
        target=registration,
        after=snapshot(registration),
        venue=session.venue,
    )
    return registration


def registration_find(*, reference: str, phone: str) -> Registration:
    try:
        phone_e164 = normalise_mobile(phone)
    except ApplicationError as error:
        raise NotFoundError() from error
    registration = (
        Registration.objects.select_related("session__activity", "session__venue")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if registration is None or registration.phone_hash != crypto.blind_index(
        phone_e164, purpose="phone"
    ):
        raise NotFoundError()
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: Actor = None) -> Registration:
    """Cancel a sign-up (the person before the session starts, staff at any time)."""
    if actor is not None and actor.is_authenticated:
        require_venue(actor, registration.session.venue, Capability.MANAGE_PROGRAMS)
    elif registration.session.starts_at <= timezone.now():
        raise ConflictError(_("The session has started; it can no longer be cancelled."))
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status != Registration.Status.CONFIRMED:
        raise ConflictError(_("This sign-up is cancelled already."))
    Session.objects.filter(pk=locked.session_id, places_left__isnull=False).update(
        places_left=F("places_left") + locked.headcount
    )
    locked.status = Registration.Status.CANCELLED
    locked.save(update_fields=["status"])
    audit_record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name="" if actor is not None and actor.is_authenticated else VISITOR,
        action="registration.cancel",
        target=locked,
        after=snapshot(locked, ["status"]),
        venue=registration.session.venue,
    )
    return locked


@transaction.atomic
def registration_attend(*, actor: Actor, registration: Registration, attended: int) -> Registration:
    """Staff record how many of a sign-up came (0 for a no-show)."""
    require_venue(actor, registration.session.venue, Capability.MANAGE_PROGRAMS)
    if registration.status != Registration.Status.CONFIRMED:
        raise ConflictError(_("This sign-up is cancelled."))
    if not 0 <= attended <= registration.headcount:
        raise ApplicationError.for_field(
            "attended",
            _("Between 0 and %(n)s people of this sign-up can attend.")
            % {"n": registration.headcount},
        )
    before = snapshot(registration, ["attended"])
    registration.attended = attended
    registration.save(update_fields=["attended"])
    audit_record(
        actor=actor,
        action="registration.attend",
        target=registration,
        before=before,
        after=snapshot(registration, ["attended"]),
        venue=registration.session.venue,
    )
    return registration

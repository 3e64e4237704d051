"""What every volunteer service shares: who may act, the venue's settings, personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from kepu.core import crypto
from kepu.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from kepu.core.scopes import Capability, require_venue, scope_for
from kepu.network.models import Venue
from kepu.visits.identity import IdType, normalise_mobile, validate_identity
from kepu.volunteers.models import PersonalData, Volunteer

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

ADULT_AGE = 18
VISITOR = "visitor"


def require_volunteers(actor: Actor, venue: Venue) -> None:
    """The venue's volunteer coordinator (or its manager, or a national administrator)."""
    require_venue(actor, venue, Capability.MANAGE_VOLUNTEERS)


def is_own(actor: Actor, volunteer: Volunteer) -> bool:
    return bool(
        actor is not None
        and actor.is_authenticated
        and volunteer.user_id is not None
        and volunteer.user_id == actor.pk
    )


def require_own_or_coordinator(actor: Actor, volunteer: Volunteer) -> bool:
    """The volunteer themselves, or someone who manages the venue's volunteers.

    Returns True when it is the volunteer. Anybody else gets "not found", as if the record did
    not exist.
    """
    if is_own(actor, volunteer):
        return True
    require_volunteers(actor, volunteer.venue)
    return False


def require_desk(actor: Actor, venue: Venue) -> None:
    """Check-in desk: the coordinator, or gate staff scanning volunteers' codes."""
    scope = scope_for(actor)
    if not scope.can(Capability.VIEW, venue.pk):
        raise NotFoundError()
    if not (
        scope.can(Capability.MANAGE_VOLUNTEERS, venue.pk)
        or scope.can(Capability.OPERATE_GATE, venue.pk)
    ):
        raise PermissionDeniedError()


def actor_or_none(actor: Actor) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


# Personal data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonInput:
    name: str
    id_type: str
    id_number: str
    phone: str
    birth_date: date | None = None
    gender: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""


@dataclass(frozen=True)
class CheckedPerson:
    fields: dict[str, Any]  # the PersonalData fields, encrypted and masked
    birth_date: date
    age: int


def check_person(person: PersonInput, today: date) -> CheckedPerson:
    """Validate name, document, phone and guardian; every problem reported on its own field."""
    errors: dict[str, list[str]] = {}
    name = " ".join(person.name.split())
    if not name or len(name) > 50:
        errors["name"] = [_("Enter a name of at most 50 characters.")]
    identity = None
    if person.id_type == IdType.NONE_CHILD:
        errors["id_type"] = [_("Volunteers register with an identity document.")]
    else:
        try:
            identity = validate_identity(person.id_type, person.id_number, person.birth_date)
        except ApplicationError as error:
            errors.update({k: [str(r) for r in v] for k, v in error.fields.items()})
    if identity is not None and identity.birth_date is None:
        errors["birth_date"] = [_("Give the date of birth.")]
    phone = _mobile(person.phone, "phone", errors)
    guardian_phone = ""
    guardian_name = " ".join(person.guardian_name.split())
    if person.guardian_phone.strip():
        guardian_phone = _mobile(person.guardian_phone, "guardian_phone", errors)
    if len(guardian_name) > 50:
        errors["guardian_name"] = [_("Enter a name of at most 50 characters.")]
    if person.gender and person.gender not in ("female", "male"):
        errors["gender"] = [_("Choose female or male, or leave it empty.")]
    if errors or identity is None or identity.birth_date is None:
        raise ApplicationError(_("Please correct the errors below."), fields=errors)
    fields: dict[str, Any] = {
        "name_encrypted": crypto.encrypt(name),
        "name_masked": crypto.mask_name(name),
        "id_type": identity.id_type,
        "id_encrypted": crypto.encrypt(identity.number),
        "id_hash": crypto.blind_index(identity.number, purpose="id"),
        "id_masked": crypto.mask_id_number(identity.number),
        "birth_date": identity.birth_date,
        "gender": person.gender,
        "phone_encrypted": crypto.encrypt(phone),
        "phone_hash": crypto.blind_index(phone, purpose="phone"),
        "phone_masked": crypto.mask_phone(phone),
        "guardian_name_encrypted": crypto.encrypt(guardian_name) if guardian_name else "",
        "guardian_name_masked": crypto.mask_name(guardian_name),
        "guardian_phone_encrypted": crypto.encrypt(guardian_phone) if guardian_phone else "",
        "guardian_phone_masked": crypto.mask_phone(guardian_phone) if guardian_phone else "",
    }
    born = identity.birth_date
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return CheckedPerson(fields=fields, birth_date=born, age=age)


def _mobile(value: str, field: str, errors: dict[str, list[str]]) -> str:
    try:
        return normalise_mobile(value, field)
    except ApplicationError as error:
        errors.update({k: [str(r) for r in v] for k, v in error.fields.items()})
        return ""


PERSONAL_FIELDS = (
    "name_encrypted",
    "name_masked",
    "id_type",
    "id_encrypted",
    "id_hash",
    "id_masked",
    "birth_date",
    "gender",
    "phone_encrypted",
    "phone_hash",
    "phone_masked",
    "guardian_name_encrypted",
    "guardian_name_masked",
    "guardian_phone_encrypted",
    "guardian_phone_masked",
)


def copy_personal_data(source: PersonalData, target: PersonalData) -> None:
    for name in PERSONAL_FIELDS:
        setattr(target, name, getattr(source, name))


def full_name(person: PersonalData) -> str:
    """The decrypted name, or the mask once the personal data is purged."""
    return crypto.decrypt(person.name_encrypted) if person.name_encrypted else person.name_masked

"""Recruitment and selection: drives, applications (public), interview, acceptance, rejection.

An application moves pending → interviewed → accepted or rejected (or is withdrawn by the
applicant); acceptance makes the applicant a volunteer on probation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError, ConflictError, NotFoundError
from kepu.core.models import User
from kepu.core.services import apply_changes, create_and_audit, reject_unknown_fields
from kepu.network.models import Venue
from kepu.programs.models import School
from kepu.visits.services.booking import new_reference
from kepu.volunteers import selectors
from kepu.volunteers.models import (
    ON_ROLL,
    OPEN_APPLICATION,
    Application,
    ApplicationStatus,
    Availability,
    Category,
    Drive,
    Language,
    Team,
    Volunteer,
    VolunteerStatus,
)
from kepu.volunteers.services.common import (
    ADULT_AGE,
    VISITOR,
    PersonInput,
    actor_or_none,
    check_person,
    copy_personal_data,
    require_volunteers,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    Actor = User | AnonymousUser | None

DEFAULT_AGREEMENT = gettext_lazy(
    "1. I volunteer of my own free will and serve without pay.\n"
    "2. I take the training my posts require and follow the venue's rules and my team leader.\n"
    "3. I sign up for shifts I can keep, arrive on time, check in and out, and cancel in good "
    "time when I cannot come.\n"
    "4. I look after visitors' safety and the exhibits, and keep confidential what I learn "
    "about visitors.\n"
    "5. The venue records my service, training, awards and evaluation, and issues certificates "
    "of the service it recorded (Ministry of Civil Affairs Order No. 67).\n"
    "6. I agree that the venue keeps my identity and contact details, encrypted, while I serve "
    "and for the retention period after I leave."
)

# Drives ------------------------------------------------------------------------------------------

DRIVE_FIELDS = frozenset(
    {
        "title",
        "title_en",
        "description",
        "categories",
        "places",
        "opens_on",
        "closes_on",
        "agreement",
    }
)


def _check_drive(drive: Drive) -> None:
    categories = list(dict.fromkeys(drive.categories or []))
    if not categories:
        raise ApplicationError.for_field("categories", _("Choose who may apply."))
    unknown = [code for code in categories if code not in Category.values]
    if unknown:
        raise ApplicationError.for_field("categories", _("Unknown category of volunteer."))
    drive.categories = categories
    if drive.opens_on and drive.closes_on and drive.closes_on < drive.opens_on:
        raise ApplicationError.for_field("closes_on", _("A drive cannot close before it opens."))
    if not (drive.agreement or "").strip():
        raise ApplicationError.for_field(
            "agreement", _("Give the volunteer agreement applicants accept.")
        )


def _set_colleges(drive: Drive, colleges: Iterable[School] | None) -> None:
    if colleges is not None:
        drive.colleges.set(list(colleges))


@transaction.atomic
def drive_create(
    *,
    actor: Actor,
    venue: Venue,
    data: Mapping[str, Any],
    colleges: Sequence[School] | None = None,
    publish: bool = False,
) -> Drive:
    require_volunteers(actor, venue)
    reject_unknown_fields(data, DRIVE_FIELDS)
    drive = Drive(
        venue=venue,
        status=Drive.Status.OPEN if publish else Drive.Status.DRAFT,
        **{"agreement": str(DEFAULT_AGREEMENT), **data},
    )
    created = create_and_audit(
        actor=actor,
        instance=drive,
        action="volunteer_drive.create",
        conflict=("title", _("This drive exists already.")),
        venue=venue,
        extra_validation=_check_drive,
    )
    _set_colleges(created, colleges)
    return created


@transaction.atomic
def drive_update(
    *,
    actor: Actor,
    drive: Drive,
    data: Mapping[str, Any],
    colleges: Sequence[School] | None = None,
) -> Drive:
    require_volunteers(actor, drive.venue)
    if drive.status == Drive.Status.CLOSED:
        raise ConflictError(_("This drive is closed."))
    updated = apply_changes(
        actor=actor,
        instance=drive,
        data=data,
        allowed=DRIVE_FIELDS,
        action="volunteer_drive.update",
        venue=drive.venue,
        extra_validation=_check_drive,
    )
    _set_colleges(updated, colleges)
    return updated


@transaction.atomic
def drive_set_status(*, actor: Actor, drive: Drive, status: str) -> Drive:
    """Open a draft drive for applications, or close an open one early."""
    require_volunteers(actor, drive.venue)
    allowed = {
        Drive.Status.DRAFT: {Drive.Status.OPEN},
        Drive.Status.OPEN: {Drive.Status.CLOSED},
        Drive.Status.CLOSED: set(),
    }[Drive.Status(drive.status)]
    if status not in allowed:
        raise ConflictError(_("This drive cannot change to that status."))
    return apply_changes(
        actor=actor,
        instance=drive,
        data={"status": status},
        allowed={"status"},
        action=f"volunteer_drive.{status}",
        venue=drive.venue,
    )


# Applications ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantInput:
    category: str
    person: PersonInput
    college_id: int | None = None
    organisation: str = ""
    professional_title: str = ""
    skills: str = ""
    languages: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    motivation: str = ""
    guardian_consent: bool = False
    agreed: bool = False


@dataclass(frozen=True)
class AccountInput:
    username: str
    password: str


@dataclass(frozen=True)
class ApplicationResult:
    application: Application
    created: bool  # False when an idempotent retry returned the first application


def open_drive(drive_id: int, today: date | None = None) -> Drive:
    """A drive taking applications today (404 when there is no such drive)."""
    drive = (
        Drive.objects.select_related("venue")
        .filter(pk=drive_id, venue__is_active=True)
        .exclude(status=Drive.Status.DRAFT)
        .first()
    )
    if drive is None:
        raise NotFoundError()
    if not drive.accepts_on(today or timezone.localdate()):
        raise ApplicationError(_("This drive does not take applications now."), code="closed")
    return drive


def _check_eligibility(drive: Drive, applicant: ApplicantInput, age: int) -> dict[str, list[str]]:
    rules = selectors.settings_of(drive.venue_id)
    errors: dict[str, list[str]] = {}
    category = applicant.category
    if category not in drive.categories:
        errors["category"] = [_("This drive does not recruit this category of volunteer.")]
        return errors
    if category == Category.LITTLE:
        if not rules.little_min_age <= age <= rules.little_max_age:
            errors["birth_date"] = [
                _("Little volunteers are %(min)s to %(max)s years old.")
                % {"min": rules.little_min_age, "max": rules.little_max_age}
            ]
    elif not rules.min_age <= age <= rules.max_age:
        errors["birth_date"] = [
            _("Volunteers here are %(min)s to %(max)s years old.")
            % {"min": rules.min_age, "max": rules.max_age}
        ]
    elif category == Category.EXPERT and age < ADULT_AGE:
        errors["category"] = [_("S&T expert volunteers are adults.")]
    if category == Category.STUDENT:
        partner_ids = set(drive.colleges.values_list("pk", flat=True))
        if partner_ids and applicant.college_id not in partner_ids:
            errors["college"] = [_("Choose your college from the drive's partner colleges.")]
        if not partner_ids and not applicant.organisation.strip():
            errors["organisation"] = [_("Enter your school or college.")]
    if category == Category.EXPERT and not applicant.organisation.strip():
        errors["organisation"] = [_("Enter your work unit.")]
    if age < ADULT_AGE:
        if not applicant.person.guardian_name.strip():
            errors["guardian_name"] = [_("A minor applies with a guardian: give their name.")]
        if not applicant.person.guardian_phone.strip():
            errors["guardian_phone"] = [_("Give the guardian's mobile number.")]
        if not applicant.guardian_consent:
            errors["guardian_consent"] = [_("A minor needs the guardian's consent.")]
    return errors


def _check_choices(applicant: ApplicantInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if any(code not in Language.values for code in applicant.languages):
        errors["languages"] = [_("Unknown language.")]
    if not applicant.availability:
        errors["availability"] = [_("Tell us when you can serve.")]
    elif any(code not in Availability.values for code in applicant.availability):
        errors["availability"] = [_("Unknown time of availability.")]
    if not applicant.agreed:
        errors["agreed"] = [_("Read and accept the volunteer agreement to apply.")]
    for name, limit in (("skills", 300), ("organisation", 200), ("professional_title", 100)):
        if len(getattr(applicant, name)) > limit:
            errors[name] = [_("At most %(n)s characters.") % {"n": limit}]
    if len(applicant.motivation) > 2000:
        errors["motivation"] = [_("At most %(n)s characters.") % {"n": 2000}]
    return errors


def _check_account(account: AccountInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    username = account.username.strip()
    try:
        User.username_validator(username)
    except DjangoValidationError:
        errors["username"] = [
            _("Use letters, digits and @ . + - _ only, for example zhang.san2024.")
        ]
    if not 3 <= len(username) <= 150:
        errors["username"] = [_("A username has 3 to 150 characters.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken.")]
    try:
        validate_password(account.password, User(username=username))
    except DjangoValidationError as error:
        errors["password"] = [str(message) for message in error.messages]
    return errors


def _duplicate_check(venue_id: int, id_hash: str) -> None:
    if Application.objects.filter(
        venue_id=venue_id, id_hash=id_hash, status__in=OPEN_APPLICATION
    ).exists():
        raise ConflictError(
            _("An application with this ID number is being considered already."),
            code="already_applied",
            fields={"id_number": [_("Applied already.")]},
        )
    if Volunteer.objects.filter(venue_id=venue_id, id_hash=id_hash, status__in=ON_ROLL).exists():
        raise ConflictError(
            _("This ID number belongs to a volunteer of this venue already."),
            code="already_volunteer",
            fields={"id_number": [_("A volunteer here already.")]},
        )


def application_submit(
    *,
    drive_id: int,
    applicant: ApplicantInput,
    account: AccountInput | None = None,
    user: User | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> ApplicationResult:
    """Someone applies to a drive; with ``account`` a sign-in is created for them, ``user`` links
    the signed-in person. A retry with the same idempotency key returns the first application."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 64:
        raise ApplicationError.for_field("idempotency_key", _("Use a key of 1 to 64 characters."))
    drive = open_drive(drive_id, today)
    if idempotency_key:
        earlier = Application.objects.filter(
            venue_id=drive.venue_id, idempotency_key=idempotency_key
        ).first()
        if earlier is not None:
            return ApplicationResult(earlier, created=False)
    errors = _check_choices(applicant)
    if account is not None and user is None:
        errors.update(_check_account(account))
    try:
        person = check_person(applicant.person, today)
    except ApplicationError as error:
        errors.update({k: [str(r) for r in v] for k, v in error.fields.items()})
        person = None
    if person is not None:
        errors.update(_check_eligibility(drive, applicant, person.age))
    if errors or person is None:
        raise ApplicationError(_("Please correct the errors below."), fields=errors)
    _duplicate_check(drive.venue_id, person.fields["id_hash"])
    try:
        application = _create(drive, applicant, person.fields, account, user, idempotency_key, now)
    except IntegrityError:
        if idempotency_key:
            earlier = Application.objects.filter(
                venue_id=drive.venue_id, idempotency_key=idempotency_key
            ).first()
            if earlier is not None:
                return ApplicationResult(earlier, created=False)
        if account is not None and User.objects.filter(username__iexact=account.username).exists():
            raise ConflictError(
                _("This username is taken."), fields={"username": [_("This username is taken.")]}
            ) from None
        _duplicate_check(drive.venue_id, person.fields["id_hash"])
        raise
    return ApplicationResult(application, created=True)


@transaction.atomic
def _create(
    drive: Drive,
    applicant: ApplicantInput,
    personal: dict[str, Any],
    account: AccountInput | None,
    user: User | None,
    idempotency_key: str | None,
    now: datetime,
) -> Application:
    if user is None and account is not None:
        user = User(username=account.username.strip(), display_name=personal["name_masked"])
        user.set_password(account.password)
        user.save()
        audit_record(
            actor=None,
            actor_name=VISITOR,
            action="user.register",
            target=user,
            after=snapshot(user),
        )
    application = Application.objects.create(
        venue_id=drive.venue_id,
        drive=drive,
        reference=new_reference(),
        category=applicant.category,
        user=user,
        college_id=applicant.college_id if applicant.category == Category.STUDENT else None,
        organisation=applicant.organisation.strip(),
        professional_title=applicant.professional_title.strip(),
        skills=applicant.skills.strip(),
        languages=list(dict.fromkeys(applicant.languages)),
        availability=list(dict.fromkeys(applicant.availability)),
        motivation=applicant.motivation.strip(),
        agreement_text=drive.agreement,
        agreed_at=now,
        created_at=now,
        guardian_consent=applicant.guardian_consent,
        idempotency_key=idempotency_key,
        **personal,
    )
    audit_record(
        actor=user,
        actor_name="" if user is not None else VISITOR,
        action="volunteer_application.submit",
        target=application,
        after=snapshot(application),
        venue=drive.venue,
    )
    return application


def _locked(application: Application, allowed: Iterable[str]) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("venue", "drive")
        .get(pk=application.pk)
    )
    if locked.status not in set(allowed):
        raise ConflictError(
            _("This application is %(status)s; it cannot change like this.")
            % {"status": locked.get_status_display()},
            code="wrong_stage",
        )
    return locked


def _decide(
    actor: Actor, application: Application, status: str, action: str, **changes: Any
) -> Application:
    before = snapshot(application, ["status", *changes])
    application.status = status
    for name, value in changes.items():
        setattr(application, name, value)
    application.save()
    audit_record(
        actor=actor,
        action=action,
        target=application,
        before=before,
        after=snapshot(application, ["status", *changes]),
        venue=application.venue,
    )
    return application


@transaction.atomic
def application_interview(
    *,
    actor: Actor,
    application: Application,
    interviewed_at: datetime,
    score: int | None = None,
    note: str = "",
) -> Application:
    """Record the interview; the application moves on to the decision."""
    require_volunteers(actor, application.venue)
    locked = _locked(application, OPEN_APPLICATION)
    if interviewed_at > timezone.now() + timedelta(minutes=5):
        raise ApplicationError.for_field(
            "interviewed_at", _("Record an interview once it has taken place.")
        )
    if score is not None and not 0 <= score <= 100:
        raise ApplicationError.for_field("score", _("A score is between 0 and 100."))
    return _decide(
        actor,
        locked,
        ApplicationStatus.INTERVIEWED,
        "volunteer_application.interview",
        interview_at=interviewed_at,
        interview_score=score,
        interview_note=note.strip(),
    )


@transaction.atomic
def application_reject(
    *, actor: Actor, application: Application, reason: str, now: datetime | None = None
) -> Application:
    require_volunteers(actor, application.venue)
    if not reason.strip():
        raise ApplicationError.for_field("reason", _("Give the reason for the decision."))
    locked = _locked(application, OPEN_APPLICATION)
    return _decide(
        actor,
        locked,
        ApplicationStatus.REJECTED,
        "volunteer_application.reject",
        decision_reason=reason.strip()[:300],
        decided_at=now or timezone.now(),
    )


@transaction.atomic
def application_withdraw(*, actor: Actor, application: Application) -> Application:
    """The applicant takes their application back (signed in with the account they applied
    with)."""
    if actor is None or not actor.is_authenticated or application.user_id != actor.pk:
        raise NotFoundError()
    locked = _locked(application, OPEN_APPLICATION)
    return _decide(
        actor,
        locked,
        ApplicationStatus.WITHDRAWN,
        "volunteer_application.withdraw",
        decided_at=timezone.now(),
    )


def _next_number(venue_id: int, year: int) -> str:
    """The year and a running number: 20260001, 20260002 … (the longest is the latest)."""
    prefix = f"{year}"
    latest = (
        Volunteer.objects.filter(venue_id=venue_id, number__startswith=prefix)
        .annotate(length=Length("number"))
        .order_by("-length", "-number")
        .values_list("number", flat=True)
        .first()
    )
    tail = latest[len(prefix) :] if latest else ""
    return f"{prefix}{(int(tail) if tail.isdigit() else 0) + 1:04d}"


@transaction.atomic
def application_accept(
    *,
    actor: Actor,
    application: Application,
    team: Team | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Volunteer:
    """Accept an interviewed applicant: they become a volunteer on probation."""
    require_volunteers(actor, application.venue)
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    rules = selectors.settings_of(application.venue_id)
    # The venue's settings row serialises its acceptances: numbers are never drawn twice and a
    # drive's places are counted by one acceptance at a time. Then the application is locked.
    type(rules).objects.select_for_update().filter(pk=rules.pk).first()
    locked = _locked(application, OPEN_APPLICATION)
    drive = locked.drive
    if locked.status == ApplicationStatus.PENDING:
        raise ConflictError(_("Interview the applicant before deciding."), code="wrong_stage")
    if team is not None and team.venue_id != locked.venue_id:
        raise ApplicationError.for_field("team", _("Choose a team of this venue."))
    accepted = Application.objects.filter(drive=drive, status=ApplicationStatus.ACCEPTED).count()
    if accepted >= drive.places:
        raise ConflictError(
            _("The drive's %(n)s places are filled.") % {"n": drive.places}, code="drive_full"
        )
    same_person = Q(id_hash=locked.id_hash) if locked.id_hash else Q(pk__in=[])
    if locked.user_id is not None:
        same_person |= Q(user_id=locked.user_id)
    records = list(Volunteer.objects.filter(same_person, venue_id=locked.venue_id))
    if any(record.status in ON_ROLL for record in records):
        raise ConflictError(
            _("This person is a volunteer of this venue already."), code="already_volunteer"
        )
    # Someone who served here before comes back to their own record, hours and all.
    former = next(
        (r for r in records if locked.user_id is not None and r.user_id == locked.user_id), None
    )
    volunteer = former or Volunteer(
        venue_id=locked.venue_id,
        user_id=locked.user_id,
        number=_next_number(locked.venue_id, today.year),
        joined_on=today,
    )
    before = snapshot(former) if former is not None else None
    volunteer.application = locked
    volunteer.category = locked.category
    volunteer.status = VolunteerStatus.PROBATION
    volunteer.team = team
    volunteer.college_id = locked.college_id
    volunteer.organisation = locked.organisation
    volunteer.professional_title = locked.professional_title
    volunteer.skills = locked.skills
    volunteer.languages = locked.languages
    volunteer.availability = locked.availability
    volunteer.probation_until = today + timedelta(days=rules.probation_days)
    volunteer.appointed_on = volunteer.left_on = None
    volunteer.exit_kind = volunteer.exit_reason = ""
    volunteer.personal_data_purged_at = None
    copy_personal_data(locked, volunteer)
    volunteer.save()
    _decide(
        actor,
        locked,
        ApplicationStatus.ACCEPTED,
        "volunteer_application.accept",
        decision_reason=reason.strip()[:300],
        decided_at=now,
    )
    audit_record(
        actor=actor_or_none(actor),
        action="volunteer.rejoin" if former is not None else "volunteer.create",
        target=volunteer,
        before=before,
        after=snapshot(volunteer),
        venue=locked.venue,
    )
    return volunteer

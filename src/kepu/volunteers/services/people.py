"""Volunteers after acceptance: the venue's settings, teams, probation and appointment,
suspension, exit, revealing personal data (audited) and purging it after the retention period."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core import crypto
from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError, ConflictError
from kepu.core.services import apply_changes, create_and_audit, reject_unknown_fields
from kepu.network.models import Venue
from kepu.volunteers import selectors
from kepu.volunteers.models import (
    ON_ROLL,
    Application,
    ApplicationStatus,
    Assignment,
    AssignmentStatus,
    ShiftPost,
    Team,
    Volunteer,
    VolunteerSettings,
    VolunteerStatus,
)
from kepu.volunteers.services.common import (
    require_own_or_coordinator,
    require_volunteers,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

SETTINGS_FIELDS = frozenset(
    {
        "star_1_hours",
        "star_2_hours",
        "star_3_hours",
        "star_4_hours",
        "star_5_hours",
        "probation_days",
        "probation_hours",
        "probation_tours",
        "renewal_hours",
        "renewal_tours",
        "min_age",
        "max_age",
        "little_min_age",
        "little_max_age",
        "check_in_early_minutes",
        "retention_days",
        "application_retention_days",
    }
)


def _check_settings(rules: VolunteerSettings) -> None:
    thresholds = rules.star_thresholds
    if thresholds[0] < 1 or any(b <= a for a, b in itertools.pairwise(thresholds)):
        raise ApplicationError.for_field(
            "star_2_hours", _("Each star needs more hours than the one before.")
        )
    if rules.max_age <= rules.min_age:
        raise ApplicationError.for_field("max_age", _("The oldest age must exceed the youngest."))
    if rules.little_max_age < rules.little_min_age:
        raise ApplicationError.for_field(
            "little_max_age", _("The oldest age must exceed the youngest.")
        )


@transaction.atomic
def settings_update(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> VolunteerSettings:
    require_volunteers(actor, venue)
    return apply_changes(
        actor=actor,
        instance=VolunteerSettings.objects.get_or_create(venue=venue)[0],
        data=data,
        allowed=SETTINGS_FIELDS,
        action="volunteer_settings.update",
        venue=venue,
        extra_validation=_check_settings,
    )


# Teams -------------------------------------------------------------------------------------------

TEAM_FIELDS = frozenset({"name", "name_en", "leader", "college", "description", "is_active"})


def _check_team(team: Team) -> None:
    leader = team.leader
    if leader is not None and (leader.venue_id != team.venue_id or not leader.is_on_roll):
        raise ApplicationError.for_field("leader", _("Choose a serving volunteer of this venue."))
    if leader is not None and team.pk and leader.team_id not in (None, team.pk):
        raise ApplicationError.for_field("leader", _("The leader must be a member of the team."))


@transaction.atomic
def team_create(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> Team:
    require_volunteers(actor, venue)
    reject_unknown_fields(data, TEAM_FIELDS)
    team = create_and_audit(
        actor=actor,
        instance=Team(venue=venue, **data),
        action="volunteer_team.create",
        conflict=("name", _("A team of this name exists.")),
        venue=venue,
        extra_validation=_check_team,
    )
    if team.leader is not None and team.leader.team_id is None:
        Volunteer.objects.filter(pk=team.leader.pk).update(team=team)
    return team


@transaction.atomic
def team_update(*, actor: Actor, team: Team, data: Mapping[str, Any]) -> Team:
    require_volunteers(actor, team.venue)
    return apply_changes(
        actor=actor,
        instance=team,
        data=data,
        allowed=TEAM_FIELDS,
        action="volunteer_team.update",
        venue=team.venue,
        extra_validation=_check_team,
    )


# The volunteer's record --------------------------------------------------------------------------

VOLUNTEER_FIELDS = frozenset(
    {"team", "skills", "languages", "availability", "organisation", "professional_title", "note"}
)
OWN_FIELDS = frozenset({"skills", "languages", "availability"})


def _check_volunteer(volunteer: Volunteer) -> None:
    if volunteer.team is not None and volunteer.team.venue_id != volunteer.venue_id:
        raise ApplicationError.for_field("team", _("Choose a team of this venue."))


@transaction.atomic
def volunteer_update(*, actor: Actor, volunteer: Volunteer, data: Mapping[str, Any]) -> Volunteer:
    """The coordinator changes team and details; a volunteer their skills and availability."""
    own = require_own_or_coordinator(actor, volunteer)
    return apply_changes(
        actor=actor,
        instance=volunteer,
        data=data,
        allowed=OWN_FIELDS if own else VOLUNTEER_FIELDS,
        action="volunteer.update",
        venue=volunteer.venue,
        extra_validation=_check_volunteer,
    )


def _lock(volunteer: Volunteer) -> Volunteer:
    return (
        Volunteer.objects.select_for_update(of=("self",))
        .select_related("venue")
        .get(pk=volunteer.pk)
    )


def _transition(
    actor: Actor, volunteer: Volunteer, action: str, changes: Mapping[str, Any]
) -> Volunteer:
    before = snapshot(volunteer, changes.keys())
    for name, value in changes.items():
        setattr(volunteer, name, value)
    volunteer.save(update_fields=list(changes))
    audit_record(
        actor=actor,
        action=action,
        target=volunteer,
        before=before,
        after=snapshot(volunteer, changes.keys()),
        venue=volunteer.venue,
    )
    return volunteer


@transaction.atomic
def volunteer_appoint(
    *, actor: Actor, volunteer: Volunteer, waiver_reason: str = "", today: date | None = None
) -> Volunteer:
    """Probation completed: the volunteer is appointed. Short of the hours and tours the venue
    requires, only with a reason for waiving them (an expert, say)."""
    from kepu.volunteers.selectors import served

    require_volunteers(actor, volunteer.venue)
    today = today or timezone.localdate()
    locked = _lock(volunteer)
    if locked.status != VolunteerStatus.PROBATION:
        raise ConflictError(_("Only a volunteer on probation can be appointed."))
    rules = selectors.settings_of(locked.venue_id)
    record = served([locked.pk], locked.joined_on, today).get(locked.pk)
    minutes, tours = (record.minutes, record.tours) if record else (0, 0)
    short = minutes < rules.probation_hours * 60 or tours < rules.probation_tours
    if short and not waiver_reason.strip():
        raise ConflictError(
            _(
                "Probation asks for %(hours)s hours and %(tours)s guided tours; so far "
                "%(served)s hours and %(given)s tours. Give a reason to waive them."
            )
            % {
                "hours": rules.probation_hours,
                "tours": rules.probation_tours,
                "served": f"{minutes / 60:.1f}",
                "given": tours,
            },
            code="probation_not_met",
            fields={"waiver_reason": [_("Required when the probation targets are not met.")]},
        )
    # The waiver's reason stays on the record (and in the audit entry of the appointment).
    note = waiver_reason.strip()[:300] if short else locked.note
    return _transition(
        actor,
        locked,
        "volunteer.appoint",
        {"status": VolunteerStatus.ACTIVE, "appointed_on": today, "note": note},
    )


@transaction.atomic
def volunteer_extend_probation(*, actor: Actor, volunteer: Volunteer, until: date) -> Volunteer:
    require_volunteers(actor, volunteer.venue)
    locked = _lock(volunteer)
    if locked.status != VolunteerStatus.PROBATION:
        raise ConflictError(_("Only a volunteer on probation can have probation extended."))
    if until <= (locked.probation_until or locked.joined_on):
        raise ApplicationError.for_field("until", _("Choose a later date than the current one."))
    return _transition(actor, locked, "volunteer.extend_probation", {"probation_until": until})


def _cancel_future(volunteer: Volunteer, now: datetime) -> int:
    """Give back the places of the volunteer's shifts that have not started."""
    future = list(
        Assignment.objects.select_for_update()
        .filter(volunteer=volunteer, status=AssignmentStatus.SIGNED_UP, starts_at__gt=now)
        .order_by("shift_post_id")
    )
    for assignment in future:
        ShiftPost.objects.filter(pk=assignment.shift_post_id).update(
            places_left=F("places_left") + 1
        )
    Assignment.objects.filter(pk__in=[a.pk for a in future]).update(
        status=AssignmentStatus.CANCELLED
    )
    return len(future)


@transaction.atomic
def volunteer_suspend(*, actor: Actor, volunteer: Volunteer, reason: str) -> Volunteer:
    """A penalty: no shifts until reinstated; coming shifts are given back."""
    require_volunteers(actor, volunteer.venue)
    if not reason.strip():
        raise ApplicationError.for_field("reason", _("Give the reason."))
    locked = _lock(volunteer)
    if not locked.is_serving:
        raise ConflictError(_("Only a serving volunteer can be suspended."))
    _cancel_future(locked, timezone.now())
    return _transition(
        actor,
        locked,
        "volunteer.suspend",
        {"status": VolunteerStatus.SUSPENDED, "note": reason.strip()[:300]},
    )


@transaction.atomic
def volunteer_reinstate(*, actor: Actor, volunteer: Volunteer) -> Volunteer:
    require_volunteers(actor, volunteer.venue)
    locked = _lock(volunteer)
    if locked.status != VolunteerStatus.SUSPENDED:
        raise ConflictError(_("Only a suspended volunteer can be reinstated."))
    status = VolunteerStatus.ACTIVE if locked.appointed_on else VolunteerStatus.PROBATION
    return _transition(actor, locked, "volunteer.reinstate", {"status": status})


@transaction.atomic
def volunteer_exit(
    *,
    actor: Actor,
    volunteer: Volunteer,
    kind: str,
    reason: str = "",
    today: date | None = None,
) -> Volunteer:
    """A volunteer leaves (they may say so themselves) or is removed or not renewed by the
    coordinator. The record stays for certificates; coming shifts are given back."""
    own = require_own_or_coordinator(actor, volunteer)
    if kind not in Volunteer.ExitKind.values:
        raise ApplicationError.for_field("kind", _("Choose how the volunteer leaves."))
    if own and kind != Volunteer.ExitKind.LEFT:
        raise ApplicationError.for_field("kind", _("You can only leave of your own accord."))
    if kind != Volunteer.ExitKind.LEFT and not reason.strip():
        raise ApplicationError.for_field("reason", _("Give the reason."))
    locked = _lock(volunteer)
    if locked.status not in ON_ROLL:
        raise ConflictError(_("This volunteer has left already."))
    _cancel_future(locked, timezone.now())
    Team.objects.filter(leader=locked).update(leader=None)
    status = VolunteerStatus.REMOVED if kind == Volunteer.ExitKind.REMOVED else VolunteerStatus.LEFT
    return _transition(
        actor,
        locked,
        "volunteer.exit",
        {
            "status": status,
            "left_on": today or timezone.localdate(),
            "exit_kind": kind,
            "exit_reason": reason.strip()[:300],
        },
    )


# Personal data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevealedPerson:
    name: str
    id_number: str
    phone: str
    guardian_name: str
    guardian_phone: str


def _reveal(value: str) -> str:
    return crypto.decrypt(value) if value else ""


@transaction.atomic
def person_reveal(*, actor: Actor, person: Volunteer | Application, reason: str) -> RevealedPerson:
    """Full name, ID and phone numbers of a volunteer or applicant, with a reason; audited."""
    require_volunteers(actor, person.venue)
    if not reason.strip():
        raise ApplicationError.for_field(
            "reason", _("Give the reason for looking at personal data.")
        )
    if not person.name_encrypted:
        raise ApplicationError(_("This person's personal data has been purged."))
    audit_record(
        actor=actor,
        action="personal_data.reveal",
        target=person,
        after={"reason": reason.strip()[:200]},
        venue=person.venue,
    )
    return RevealedPerson(
        name=_reveal(person.name_encrypted),
        id_number=_reveal(person.id_encrypted),
        phone=_reveal(person.phone_encrypted),
        guardian_name=_reveal(person.guardian_name_encrypted),
        guardian_phone=_reveal(person.guardian_phone_encrypted),
    )


ERASED: dict[str, Any] = {
    "name_encrypted": "",
    "id_encrypted": "",
    "id_hash": None,
    "id_masked": "",
    "birth_date": None,
    "phone_encrypted": "",
    "phone_hash": "",
    "phone_masked": "",
    "guardian_name_encrypted": "",
    "guardian_name_masked": "",
    "guardian_phone_encrypted": "",
    "guardian_phone_masked": "",
}


@dataclass(frozen=True)
class PurgeResult:
    volunteers: int
    applications: int


@transaction.atomic
def personal_data_purge(*, now: datetime | None = None) -> PurgeResult:
    """Erase the personal data of volunteers who left longer ago than their venue keeps it, and
    of declined or withdrawn applications. Service records, hours and certificates stay (with
    the masked name and the volunteer number)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    defaults = VolunteerSettings()
    custom = {rules.venue_id: rules for rules in VolunteerSettings.objects.all()}
    gone = Volunteer.objects.filter(
        status__in=[VolunteerStatus.LEFT, VolunteerStatus.REMOVED],
        personal_data_purged_at__isnull=True,
    )
    declined = Application.objects.filter(
        status__in=[ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN],
        personal_data_purged_at__isnull=True,
    )
    venue_ids = set(gone.values_list("venue_id", flat=True)) | set(
        declined.values_list("venue_id", flat=True)
    )
    volunteers = applications = 0
    for venue_id in sorted(venue_ids):
        rules = custom.get(venue_id, defaults)
        left_before = today - timedelta(days=rules.retention_days)
        purged = list(
            gone.filter(venue_id=venue_id, left_on__lt=left_before).values_list("pk", flat=True)
        )
        volunteers += Volunteer.objects.filter(pk__in=purged).update(
            personal_data_purged_at=now, **ERASED
        )
        applications += Application.objects.filter(volunteer__pk__in=purged).update(
            personal_data_purged_at=now, name_masked="", **ERASED
        )
        applications += declined.filter(
            venue_id=venue_id,
            decided_at__lt=now - timedelta(days=rules.application_retention_days),
        ).update(personal_data_purged_at=now, name_masked="", **ERASED)
    return PurgeResult(volunteers=volunteers, applications=applications)

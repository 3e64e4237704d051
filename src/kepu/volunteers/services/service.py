"""Service on a shift: check-in and check-out (by staff, or by scanning the volunteer's QR code
at the desk), no-shows, recording after the fact, corrections with a reason, feedback, and the
nightly closing of past shifts.

The minutes credited are the overlap of [check-in, check-out] with the shift: arriving early or
staying late counts only through a correction, which says why and is audited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError, ConflictError, NotFoundError
from kepu.network.models import Venue
from kepu.volunteers import selectors
from kepu.volunteers.models import (
    Assignment,
    AssignmentStatus,
    HoursCorrection,
    ShiftStatus,
    Volunteer,
)
from kepu.volunteers.services.common import (
    actor_or_none,
    is_own,
    require_desk,
    require_volunteers,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

QR_PREFIX = "KEPUV1"
QR_SALT = "kepu.volunteers.qr"
MAX_SHIFT_MINUTES = 16 * 60
MAX_TOURS = 100


def qr_payload(volunteer: Volunteer) -> str:
    """What the volunteer's QR code says: venue, number and a signature nobody can guess."""
    body = f"{volunteer.venue_id}:{volunteer.number}"
    return f"{QR_PREFIX}:{body}:{signing.Signer(salt=QR_SALT).signature(body)[:16]}"


def volunteer_from_code(venue: Venue, code: str) -> Volunteer:
    """The venue's volunteer a scanned QR code (or a typed volunteer number) names."""
    text = code.strip()
    number = text
    if text.upper().startswith(QR_PREFIX + ":"):
        parts = text.split(":")
        if len(parts) != 4:
            raise NotFoundError(_("This code is not a volunteer's code."))
        body = f"{parts[1]}:{parts[2]}"
        expected = signing.Signer(salt=QR_SALT).signature(body)[:16]
        if not secrets.compare_digest(expected, parts[3]) or parts[1] != str(venue.pk):
            raise NotFoundError(_("This code is not a volunteer's code of this venue."))
        number = parts[2]
    volunteer = Volunteer.objects.filter(venue=venue, number=number).first()
    if volunteer is None:
        raise NotFoundError(_("No volunteer of this venue has this number."))
    return volunteer


def credited_minutes(assignment: Assignment, checked_in: datetime, checked_out: datetime) -> int:
    start = max(checked_in, assignment.starts_at)
    end = min(checked_out, assignment.ends_at)
    return max(0, int((end - start).total_seconds() // 60))


def _lock(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("shift__venue", "shift_post__post", "volunteer")
        .get(pk=assignment.pk)
    )


def _save(actor: Actor, assignment: Assignment, action: str, before: dict[str, object]) -> None:
    assignment.save(update_fields=list(before))
    audit_record(
        actor=actor_or_none(actor),
        action=action,
        target=assignment,
        before=before,
        after=snapshot(assignment, before.keys()),
        venue=assignment.shift.venue,
    )


def _check_tours(assignment: Assignment, tours: int) -> int:
    if tours and not assignment.shift_post.post.counts_tours:
        raise ApplicationError.for_field("tours", _("This post does not record guided tours."))
    if not 0 <= tours <= MAX_TOURS:
        raise ApplicationError.for_field(
            "tours", _("Between 0 and %(n)s tours.") % {"n": MAX_TOURS}
        )
    return tours


@transaction.atomic
def assignment_check_in(
    *, actor: Actor, assignment: Assignment, now: datetime | None = None
) -> Assignment:
    require_desk(actor, assignment.shift.venue)
    now = now or timezone.now()
    locked = _lock(assignment)
    if locked.status != AssignmentStatus.SIGNED_UP:
        raise ConflictError(
            _("Checked in already.")
            if locked.status == AssignmentStatus.CHECKED_IN
            else _("This sign-up cannot be checked in."),
            code="wrong_status",
        )
    if locked.shift.status != ShiftStatus.PLANNED:
        raise ConflictError(_("This shift was cancelled."))
    early = timedelta(minutes=selectors.settings_of(locked.venue_id).check_in_early_minutes)
    if now < locked.starts_at - early:
        raise ConflictError(
            _("Check-in opens %(minutes)s minutes before the shift.")
            % {"minutes": int(early.total_seconds() // 60)},
            code="too_early",
        )
    if now >= locked.ends_at:
        raise ConflictError(
            _("The shift is over; the coordinator records the service instead."), code="too_late"
        )
    before = snapshot(locked, ["status", "checked_in_at"])
    locked.status, locked.checked_in_at = AssignmentStatus.CHECKED_IN, now
    _save(actor, locked, "volunteer_assignment.check_in", before)
    return locked


@transaction.atomic
def assignment_check_out(
    *, actor: Actor, assignment: Assignment, tours: int = 0, now: datetime | None = None
) -> Assignment:
    require_desk(actor, assignment.shift.venue)
    now = now or timezone.now()
    locked = _lock(assignment)
    if locked.status != AssignmentStatus.CHECKED_IN or locked.checked_in_at is None:
        raise ConflictError(_("Check the volunteer in first."), code="wrong_status")
    before = snapshot(locked, ["status", "checked_out_at", "minutes", "tours"])
    locked.status = AssignmentStatus.COMPLETED
    locked.checked_out_at = max(now, locked.checked_in_at)
    locked.minutes = credited_minutes(locked, locked.checked_in_at, locked.checked_out_at)
    locked.tours = _check_tours(locked, tours)
    _save(actor, locked, "volunteer_assignment.check_out", before)
    return locked


@dataclass(frozen=True)
class DeskResult:
    assignment: Assignment
    action: str  # "check_in" or "check_out"


def desk_scan(
    *, actor: Actor, venue: Venue, code: str, tours: int = 0, now: datetime | None = None
) -> DeskResult:
    """At the venue's desk: the volunteer's code checks them in to their current shift, or out
    of it when they are checked in."""
    require_desk(actor, venue)
    now = now or timezone.now()
    volunteer = volunteer_from_code(venue, code)
    early = timedelta(minutes=selectors.settings_of(venue.pk).check_in_early_minutes)
    current = (
        Assignment.objects.filter(
            volunteer=volunteer,
            status__in=[AssignmentStatus.SIGNED_UP, AssignmentStatus.CHECKED_IN],
            starts_at__lte=now + early,
            ends_at__gt=now - timedelta(hours=4),  # a late check-out is still taken
        )
        .select_related("shift__venue", "shift_post__post", "volunteer")
        .order_by("-status", "starts_at")  # someone checked in is checked out first
        .first()
    )
    if current is None:
        raise NotFoundError(
            _("%(volunteer)s has no shift now.") % {"volunteer": volunteer.name_masked}
        )
    if current.status == AssignmentStatus.CHECKED_IN:
        done = assignment_check_out(actor=actor, assignment=current, tours=tours, now=now)
        return DeskResult(done, "check_out")
    return DeskResult(assignment_check_in(actor=actor, assignment=current, now=now), "check_in")


@transaction.atomic
def assignment_record(
    *,
    actor: Actor,
    assignment: Assignment,
    checked_in_at: datetime,
    checked_out_at: datetime,
    tours: int = 0,
    now: datetime | None = None,
) -> Assignment:
    """The coordinator records a service after the fact (a forgotten check-in, a paper list)."""
    require_volunteers(actor, assignment.shift.venue)
    now = now or timezone.now()
    locked = _lock(assignment)
    if locked.status not in (AssignmentStatus.SIGNED_UP, AssignmentStatus.CHECKED_IN):
        raise ConflictError(_("This service is recorded already; correct it instead."))
    if locked.starts_at > now:
        raise ConflictError(_("The shift has not started yet."))
    if checked_out_at < checked_in_at:
        raise ApplicationError.for_field(
            "checked_out_at", _("Check-out cannot be before check-in.")
        )
    if checked_out_at > now:
        raise ApplicationError.for_field("checked_out_at", _("Check-out cannot be in the future."))
    before = snapshot(locked, ["status", "checked_in_at", "checked_out_at", "minutes", "tours"])
    locked.status = AssignmentStatus.COMPLETED
    locked.checked_in_at, locked.checked_out_at = checked_in_at, checked_out_at
    locked.minutes = credited_minutes(locked, checked_in_at, checked_out_at)
    locked.tours = _check_tours(locked, tours)
    _save(actor, locked, "volunteer_assignment.record", before)
    return locked


@transaction.atomic
def assignment_no_show(
    *, actor: Actor, assignment: Assignment, now: datetime | None = None
) -> Assignment:
    require_volunteers(actor, assignment.shift.venue)
    now = now or timezone.now()
    locked = _lock(assignment)
    if locked.status != AssignmentStatus.SIGNED_UP:
        raise ConflictError(_("Only a sign-up not checked in can be a no-show."))
    if locked.starts_at > now:
        raise ConflictError(_("The shift has not started yet."))
    before = snapshot(locked, ["status"])
    locked.status = AssignmentStatus.NO_SHOW
    _save(actor, locked, "volunteer_assignment.no_show", before)
    return locked


@transaction.atomic
def assignment_correct(
    *, actor: Actor, assignment: Assignment, minutes: int, tours: int, reason: str
) -> Assignment:
    """Change the minutes (and tours) credited for a served shift, or credit a no-show who did
    serve; the reason is kept with the correction."""
    require_volunteers(actor, assignment.shift.venue)
    if not reason.strip():
        raise ApplicationError.for_field("reason", _("Give the reason for the correction."))
    if not 0 <= minutes <= MAX_SHIFT_MINUTES:
        raise ApplicationError.for_field(
            "minutes", _("Between 0 and %(n)s minutes.") % {"n": MAX_SHIFT_MINUTES}
        )
    locked = _lock(assignment)
    if locked.status not in (AssignmentStatus.COMPLETED, AssignmentStatus.NO_SHOW):
        raise ConflictError(_("Only a past shift's service can be corrected."))
    tours = _check_tours(locked, tours)
    if locked.minutes == minutes and locked.tours == tours:
        raise ConflictError(_("Nothing to correct: the figures are the same."))
    HoursCorrection.objects.create(
        venue_id=locked.venue_id,
        assignment=locked,
        minutes_before=locked.minutes,
        minutes_after=minutes,
        tours_before=locked.tours,
        tours_after=tours,
        reason=reason.strip()[:300],
        corrected_by=actor_or_none(actor),
    )
    before = snapshot(locked, ["status", "minutes", "tours", "corrected"])
    locked.minutes, locked.tours, locked.corrected = minutes, tours, True
    locked.status = AssignmentStatus.COMPLETED if minutes else locked.status
    locked.save(update_fields=list(before))
    audit_record(
        actor=actor_or_none(actor),
        action="volunteer_assignment.correct",
        target=locked,
        before=before,
        after={**snapshot(locked, before.keys()), "reason": reason.strip()[:300]},
        venue=locked.shift.venue,
    )
    return locked


@transaction.atomic
def assignment_feedback(
    *, actor: Actor, assignment: Assignment, rating: int | None, feedback: str = ""
) -> Assignment:
    """The coordinator's per-shift feedback: a rating of 1 to 5 stars and a comment."""
    require_volunteers(actor, assignment.shift.venue)
    if rating is not None and not 1 <= rating <= 5:
        raise ApplicationError.for_field("rating", _("Rate from 1 to 5."))
    locked = _lock(assignment)
    if locked.status != AssignmentStatus.COMPLETED:
        raise ConflictError(_("Feedback is given on a served shift."))
    before = snapshot(locked, ["rating", "feedback"])
    locked.rating, locked.feedback = rating, feedback.strip()[:300]
    _save(actor, locked, "volunteer_assignment.feedback", before)
    return locked


@transaction.atomic
def assignment_comment(*, actor: Actor, assignment: Assignment, comment: str) -> Assignment:
    """The volunteer's own word on a shift they served."""
    if not is_own(actor, assignment.volunteer):
        raise NotFoundError()
    locked = _lock(assignment)
    if locked.status != AssignmentStatus.COMPLETED:
        raise ConflictError(_("Comment on a shift you served."))
    before = snapshot(locked, ["volunteer_comment"])
    locked.volunteer_comment = comment.strip()[:300]
    _save(actor, locked, "volunteer_assignment.comment", before)
    return locked


@dataclass(frozen=True)
class CloseResult:
    shifts: int
    no_shows: int
    checked_out: int


@transaction.atomic
def shifts_close(*, now: datetime | None = None) -> CloseResult:
    """After a shift: whoever never checked in is a no-show; whoever forgot to check out is
    checked out at the shift's end. Run nightly (``kepu close-volunteer-shifts``)."""
    now = now or timezone.now()
    open_ones = Assignment.objects.select_for_update().filter(
        ends_at__lte=now,
        status__in=[AssignmentStatus.SIGNED_UP, AssignmentStatus.CHECKED_IN],
        shift__status=ShiftStatus.PLANNED,
    )
    shifts: set[int] = set()
    no_shows = checked_out = 0
    for assignment in open_ones.select_related("shift__venue").order_by("pk"):
        shifts.add(assignment.shift_id)
        if assignment.status == AssignmentStatus.SIGNED_UP:
            before = snapshot(assignment, ["status"])
            assignment.status = AssignmentStatus.NO_SHOW
            no_shows += 1
            _save(None, assignment, "volunteer_assignment.no_show", before)
            continue
        before = snapshot(assignment, ["status", "checked_out_at", "minutes"])
        checked_in = assignment.checked_in_at or assignment.starts_at
        assignment.status = AssignmentStatus.COMPLETED
        assignment.checked_out_at = max(assignment.ends_at, checked_in)
        assignment.minutes = credited_minutes(assignment, checked_in, assignment.ends_at)
        checked_out += 1
        _save(None, assignment, "volunteer_assignment.auto_check_out", before)
    return CloseResult(shifts=len(shifts), no_shows=no_shows, checked_out=checked_out)

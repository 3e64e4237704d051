"""Training: courses, their sessions, completion records, and the gate a post's required
course puts before its shifts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record
from kepu.core.errors import ApplicationError, ConflictError
from kepu.core.services import apply_changes, create_and_audit, reject_unknown_fields
from kepu.network.models import Venue
from kepu.volunteers.models import (
    Course,
    CourseSession,
    Post,
    TrainingRecord,
    Volunteer,
)
from kepu.volunteers.services.common import require_volunteers

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

COURSE_FIELDS = frozenset({"name", "name_en", "description", "hours", "valid_months", "is_active"})
SESSION_FIELDS = frozenset({"starts_at", "ends_at", "place", "trainer"})


@transaction.atomic
def course_create(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> Course:
    require_volunteers(actor, venue)
    reject_unknown_fields(data, COURSE_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=Course(venue=venue, **data),
        action="volunteer_course.create",
        conflict=("name", _("A course of this name exists.")),
        venue=venue,
    )


@transaction.atomic
def course_update(*, actor: Actor, course: Course, data: Mapping[str, Any]) -> Course:
    require_volunteers(actor, course.venue)
    return apply_changes(
        actor=actor,
        instance=course,
        data=data,
        allowed=COURSE_FIELDS,
        action="volunteer_course.update",
        venue=course.venue,
    )


def _check_session(session: CourseSession) -> None:
    if session.ends_at and session.starts_at and session.ends_at <= session.starts_at:
        raise ApplicationError.for_field("ends_at", _("A session must end after it starts."))


@transaction.atomic
def course_session_create(
    *, actor: Actor, course: Course, data: Mapping[str, Any]
) -> CourseSession:
    require_volunteers(actor, course.venue)
    reject_unknown_fields(data, SESSION_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=CourseSession(venue_id=course.venue_id, course=course, **data),
        action="volunteer_course_session.create",
        conflict=("starts_at", _("This session exists already.")),
        venue=course.venue,
        extra_validation=_check_session,
    )


@transaction.atomic
def training_record(
    *,
    actor: Actor,
    course: Course,
    volunteers: Sequence[Volunteer],
    completed_on: date,
    passed: bool = True,
    session: CourseSession | None = None,
    note: str = "",
) -> list[TrainingRecord]:
    """Record that these volunteers took the course (at a session, or on a given day)."""
    require_volunteers(actor, course.venue)
    if not volunteers:
        raise ApplicationError.for_field("volunteers", _("Choose the volunteers who took part."))
    if completed_on > timezone.localdate():
        raise ApplicationError.for_field(
            "completed_on", _("Record a course once it has taken place.")
        )
    if session is not None and session.course_id != course.pk:
        raise ApplicationError.for_field("session", _("Choose a session of this course."))
    if any(v.venue_id != course.venue_id or not v.is_on_roll for v in volunteers):
        raise ApplicationError.for_field(
            "volunteers", _("Choose serving volunteers of this venue.")
        )
    try:
        with transaction.atomic():
            records = TrainingRecord.objects.bulk_create(
                TrainingRecord(
                    venue_id=course.venue_id,
                    volunteer=volunteer,
                    course=course,
                    session=session,
                    completed_on=completed_on,
                    passed=passed,
                    note=note.strip()[:200],
                )
                for volunteer in volunteers
            )
    except IntegrityError as error:
        raise ConflictError(
            _("Some of these volunteers have this course recorded on that day already."),
            fields={"volunteers": [_("Recorded already.")]},
        ) from error
    audit_record(
        actor=actor,
        action="volunteer_training.record",
        target=course,
        after={
            "volunteers": sorted(v.pk for v in volunteers),
            "completed_on": completed_on.isoformat(),
            "passed": passed,
            "session": session.pk if session else None,
        },
        venue=course.venue,
    )
    return records


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover  (28 always exists)


def has_passed(volunteer: Volunteer, course: Course, on: date) -> bool:
    """Whether the volunteer passed the course and it is still valid on that day."""
    records = TrainingRecord.objects.filter(
        volunteer=volunteer, course=course, passed=True, completed_on__lte=on
    ).order_by("-completed_on")
    latest = records.values_list("completed_on", flat=True).first()
    if latest is None:
        return False
    return course.valid_months is None or on < _months_later(latest, course.valid_months)


def check_training_gate(volunteer: Volunteer, post: Post, on: date) -> None:
    """A post with a required course takes only volunteers who passed it (the training gate)."""
    course = post.required_course
    if course is not None and not has_passed(volunteer, course, on):
        raise ConflictError(
            _("The post %(post)s needs the course %(course)s first.")
            % {"post": post.display_name, "course": course.display_name},
            code="training_required",
            fields={"post": [_("Take the required course first.")]},
        )

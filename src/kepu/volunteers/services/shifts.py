"""Deployment: posts, shifts (from a pattern or one-off) with places per post, sign-up and
assignment, cancellation.

A place is taken in one short transaction that locks, in this fixed order, the volunteer (so
their overlap check cannot race with their own other sign-ups), the shift (so it is not cancelled
meanwhile), then takes the place with a conditional UPDATE (``places_left >= 1``; CHECK >= 0 is
the last safety net). On SQLite, BEGIN IMMEDIATE serialises writers instead of the row locks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError, ConflictError, NotFoundError
from kepu.core.services import apply_changes, create_and_audit, reject_unknown_fields
from kepu.network.models import OpeningPattern, Venue
from kepu.network.opening import OpeningCalendar
from kepu.volunteers.models import (
    HOLDING_PLACE,
    SERVING,
    Assignment,
    AssignmentStatus,
    Post,
    Shift,
    ShiftPattern,
    ShiftPost,
    ShiftStatus,
    Volunteer,
)
from kepu.volunteers.services.common import (
    actor_or_none,
    is_own,
    require_volunteers,
)
from kepu.volunteers.services.training import check_training_gate

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

MAX_GENERATE_DAYS = 93
MAX_PLACES = 200


class ShiftFull(ConflictError):
    default_code = "full"


# Posts -------------------------------------------------------------------------------------------

POST_FIELDS = frozenset(
    {"name", "name_en", "kind", "description", "required_course", "counts_tours", "is_active"}
)


def _check_post(post: Post) -> None:
    if post.required_course is not None and post.required_course.venue_id != post.venue_id:
        raise ApplicationError.for_field("required_course", _("Choose a course of this venue."))


@transaction.atomic
def post_create(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> Post:
    require_volunteers(actor, venue)
    reject_unknown_fields(data, POST_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=Post(venue=venue, **data),
        action="volunteer_post.create",
        conflict=("name", _("A post of this name exists.")),
        venue=venue,
        extra_validation=_check_post,
    )


@transaction.atomic
def post_update(*, actor: Actor, post: Post, data: Mapping[str, Any]) -> Post:
    require_volunteers(actor, post.venue)
    return apply_changes(
        actor=actor,
        instance=post,
        data=data,
        allowed=POST_FIELDS,
        action="volunteer_post.update",
        venue=post.venue,
        extra_validation=_check_post,
    )


# Shifts ------------------------------------------------------------------------------------------

SHIFT_FIELDS = frozenset({"title", "starts_at", "ends_at", "hall", "place_name", "team", "note"})


def _check_places(venue: Venue, places: Mapping[Post, int]) -> dict[Post, int]:
    wanted = {post: count for post, count in places.items() if count}
    if not wanted:
        raise ApplicationError.for_field("places", _("Give the places of at least one post."))
    for post, count in wanted.items():
        if post.venue_id != venue.pk or not post.is_active:
            raise ApplicationError.for_field("places", _("Choose posts of this venue."))
        if not 1 <= count <= MAX_PLACES:
            raise ApplicationError.for_field(
                "places", _("A post has 1 to %(n)s places on a shift.") % {"n": MAX_PLACES}
            )
    return wanted


def _check_shift(shift: Shift) -> None:
    if shift.ends_at <= shift.starts_at:
        raise ApplicationError.for_field("ends_at", _("A shift must end after it starts."))
    if shift.ends_at - shift.starts_at > timedelta(hours=16):
        raise ApplicationError.for_field("ends_at", _("A shift lasts at most 16 hours."))
    if shift.hall is not None and shift.hall.venue_id != shift.venue_id:
        raise ApplicationError.for_field("hall", _("Choose a hall of this venue."))
    if shift.team is not None and shift.team.venue_id != shift.venue_id:
        raise ApplicationError.for_field("team", _("Choose a team of this venue."))


def _make_posts(shift: Shift, places: Mapping[Post, int]) -> None:
    ShiftPost.objects.bulk_create(
        ShiftPost(venue_id=shift.venue_id, shift=shift, post=post, places=n, places_left=n)
        for post, n in places.items()
    )


@transaction.atomic
def shift_create(
    *, actor: Actor, venue: Venue, data: Mapping[str, Any], places: Mapping[Post, int]
) -> Shift:
    """A one-off shift with its places per post (an event post, a caravan trip …)."""
    require_volunteers(actor, venue)
    reject_unknown_fields(data, SHIFT_FIELDS)
    wanted = _check_places(venue, places)
    shift = create_and_audit(
        actor=actor,
        instance=Shift(venue=venue, **data),
        action="volunteer_shift.create",
        conflict=("starts_at", _("This shift exists already.")),
        venue=venue,
        extra_validation=_check_shift,
    )
    _make_posts(shift, wanted)
    return shift


@transaction.atomic
def shift_set_places(*, actor: Actor, shift: Shift, post: Post, places: int) -> ShiftPost:
    """Add a post to a shift or change its places; never fewer than the places taken."""
    require_volunteers(actor, shift.venue)
    locked = Shift.objects.select_for_update().get(pk=shift.pk)
    if locked.status != ShiftStatus.PLANNED:
        raise ConflictError(_("This shift was cancelled."))
    _check_places(shift.venue, {post: places})
    entry = ShiftPost.objects.select_for_update().filter(shift=locked, post=post).first()
    if entry is None:
        entry = ShiftPost.objects.create(
            venue_id=shift.venue_id, shift=locked, post=post, places=places, places_left=places
        )
        before = None
    else:
        taken = entry.places - entry.places_left
        if places < taken:
            raise ConflictError(
                _("%(taken)s places are taken already; the places cannot be fewer.")
                % {"taken": taken},
                fields={"places": [_("Fewer than the places taken.")]},
            )
        before = snapshot(entry, ["places", "places_left"])
        entry.places, entry.places_left = places, places - taken
        entry.save(update_fields=["places", "places_left"])
    audit_record(
        actor=actor,
        action="volunteer_shift.places",
        target=entry,
        before=before,
        after=snapshot(entry, ["post", "places", "places_left"]),
        venue=shift.venue,
    )
    return entry


@transaction.atomic
def shift_cancel(*, actor: Actor, shift: Shift, reason: str = "") -> Shift:
    """Cancel a shift nobody has started serving; its sign-ups are cancelled with it."""
    require_volunteers(actor, shift.venue)
    locked = Shift.objects.select_for_update().get(pk=shift.pk)
    if locked.status == ShiftStatus.CANCELLED:
        raise ConflictError(_("This shift was cancelled already."))
    if locked.assignments.filter(
        status__in=[AssignmentStatus.CHECKED_IN, AssignmentStatus.COMPLETED]
    ).exists():
        raise ConflictError(_("Volunteers have served on this shift; it cannot be cancelled."))
    locked.assignments.filter(status=AssignmentStatus.SIGNED_UP).update(
        status=AssignmentStatus.CANCELLED
    )
    ShiftPost.objects.filter(shift=locked).update(places_left=F("places"))
    return apply_changes(
        actor=actor,
        instance=locked,
        data={"status": ShiftStatus.CANCELLED, "note": reason.strip()[:300]},
        allowed={"status", "note"},
        action="volunteer_shift.cancel",
        venue=shift.venue,
    )


# Patterns ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatternInput:
    title: str
    weekdays: list[int]  # ISO: Monday 1 … Sunday 7
    starts_at: time
    ends_at: time
    valid_from: date
    valid_until: date | None
    places: Mapping[Post, int]
    hall: Any = None
    team: Any = None


@transaction.atomic
def pattern_create(*, actor: Actor, venue: Venue, pattern: PatternInput) -> ShiftPattern:
    """A recurring shift, e.g. 周六上午 09:00–12:00 with 4 explainers and 2 guides."""
    require_volunteers(actor, venue)
    wanted = _check_places(venue, pattern.places)
    if not pattern.weekdays or any(not 1 <= day <= 7 for day in pattern.weekdays):
        raise ApplicationError.for_field("weekdays", _("Choose at least one weekday."))
    if pattern.ends_at <= pattern.starts_at:
        raise ApplicationError.for_field("ends_at", _("A shift must end after it starts."))
    if pattern.valid_until is not None and pattern.valid_until < pattern.valid_from:
        raise ApplicationError.for_field("valid_until", _("Choose a date after the first day."))
    for name, value in (("hall", pattern.hall), ("team", pattern.team)):
        if value is not None and value.venue_id != venue.pk:
            raise ApplicationError.for_field(name, _("Choose one of this venue."))
    return create_and_audit(
        actor=actor,
        instance=ShiftPattern(
            venue=venue,
            title=pattern.title.strip(),
            weekdays=OpeningPattern.mask_from_weekdays(pattern.weekdays),
            starts_at=pattern.starts_at,
            ends_at=pattern.ends_at,
            valid_from=pattern.valid_from,
            valid_until=pattern.valid_until,
            hall=pattern.hall,
            team=pattern.team,
            places={str(post.pk): count for post, count in wanted.items()},
        ),
        action="volunteer_pattern.create",
        conflict=("title", _("This pattern exists already.")),
        venue=venue,
    )


@transaction.atomic
def shifts_generate(*, actor: Actor, pattern: ShiftPattern, start: date, end: date) -> list[Shift]:
    """Make the pattern's shifts for [start, end] on the days the venue is open; days that have
    the shift already are skipped, so running it twice changes nothing."""
    venue = pattern.venue
    require_volunteers(actor, venue)
    if end < start:
        raise ApplicationError.for_field("end", _("The end of the period is before its start."))
    if (end - start).days >= MAX_GENERATE_DAYS:
        raise ApplicationError.for_field(
            "end", _("Generate at most %(n)s days at a time.") % {"n": MAX_GENERATE_DAYS}
        )
    first = max(start, pattern.valid_from)
    last = min(end, pattern.valid_until) if pattern.valid_until else end
    posts = {
        post.pk: post
        for post in Post.objects.filter(
            venue=venue, pk__in=[int(k) for k in pattern.places], is_active=True
        )
    }
    places = {posts[int(k)]: n for k, n in pattern.places.items() if int(k) in posts}
    if not places or last < first:
        return []
    calendar = OpeningCalendar.for_venue(venue, first, last)
    existing = set(
        Shift.objects.filter(pattern=pattern, starts_at__date__gte=first - timedelta(days=1))
        .filter(starts_at__date__lte=last + timedelta(days=1))
        .values_list("starts_at", flat=True)
    )
    new_shifts = []
    for status in calendar.days(first, last):
        if not status.is_open or not pattern.weekdays >> status.day.weekday() & 1:
            continue
        starts = timezone.make_aware(datetime.combine(status.day, pattern.starts_at))
        if starts in existing:
            continue
        new_shifts.append(
            Shift(
                venue=venue,
                pattern=pattern,
                title=pattern.title,
                starts_at=starts,
                ends_at=timezone.make_aware(datetime.combine(status.day, pattern.ends_at)),
                hall=pattern.hall,
                team=pattern.team,
            )
        )
    made = Shift.objects.bulk_create(new_shifts)
    ShiftPost.objects.bulk_create(
        ShiftPost(venue=venue, shift=shift, post=post, places=n, places_left=n)
        for shift in made
        for post, n in places.items()
    )
    audit_record(
        actor=actor,
        action="volunteer_pattern.generate",
        target=pattern,
        after={"start": first.isoformat(), "end": last.isoformat(), "shifts": len(made)},
        venue=venue,
    )
    return made


# Taking and giving back places -------------------------------------------------------------------


@dataclass(frozen=True)
class SignUpResult:
    assignment: Assignment
    created: bool  # False when an idempotent retry returned the first sign-up


def _shift_post(shift_post_id: int, venue_id: int | None = None) -> ShiftPost:
    found = ShiftPost.objects.select_related("shift__venue", "shift__team", "post__required_course")
    entry = found.filter(pk=shift_post_id).first()
    if entry is None or (venue_id is not None and entry.venue_id != venue_id):
        raise NotFoundError()
    return entry


def shift_sign_up(
    *,
    actor: Actor,
    volunteer: Volunteer,
    shift_post_id: int,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> SignUpResult:
    """The volunteer signs up for a place on a shift that has not started."""
    if not is_own(actor, volunteer):
        raise NotFoundError()
    now = now or timezone.now()
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 64:
        raise ApplicationError.for_field("idempotency_key", _("Use a key of 1 to 64 characters."))
    entry = _shift_post(shift_post_id, volunteer.venue_id)
    shift = entry.shift
    earlier = _earlier(volunteer, idempotency_key)
    if earlier is not None:
        return SignUpResult(earlier, created=False)
    if shift.starts_at <= now:
        raise ConflictError(_("This shift has started; sign-up is closed."), code="closed")
    if shift.team_id is not None and shift.team_id != volunteer.team_id:
        raise ConflictError(
            _("This shift is reserved for the team %(team)s.")
            % {"team": shift.team.display_name if shift.team else ""},
            code="team_only",
        )
    check_training_gate(volunteer, entry.post, timezone.localtime(shift.starts_at).date())
    try:
        assignment = _take(actor, volunteer, entry, Assignment.Source.SELF, idempotency_key)
    except (IntegrityError, ConflictError) as error:
        # A retry racing its own first request finds that request's place: answer with it.
        earlier = _earlier(volunteer, idempotency_key)
        if earlier is not None:
            return SignUpResult(earlier, created=False)
        if isinstance(error, ConflictError):
            raise
        raise ConflictError(_("You are on this shift already."), code="already_signed_up") from None
    return SignUpResult(assignment, created=True)


def shift_assign(
    *, actor: Actor, volunteer: Volunteer, shift_post: ShiftPost, now: datetime | None = None
) -> Assignment:
    """The coordinator puts a volunteer on a shift (also after the fact, to record service)."""
    require_volunteers(actor, shift_post.shift.venue)
    if volunteer.venue_id != shift_post.venue_id:
        raise ApplicationError.for_field("volunteer", _("Choose a volunteer of this venue."))
    check_training_gate(
        volunteer, shift_post.post, timezone.localtime(shift_post.shift.starts_at).date()
    )
    try:
        return _take(actor, volunteer, shift_post, Assignment.Source.ASSIGNED, None)
    except IntegrityError:
        raise ConflictError(
            _("This volunteer is on this shift already."), code="already_signed_up"
        ) from None


def _earlier(volunteer: Volunteer, key: str | None) -> Assignment | None:
    if not key:
        return None
    return Assignment.objects.filter(volunteer=volunteer, idempotency_key=key).first()


@transaction.atomic
def _take(
    actor: Actor, volunteer: Volunteer, entry: ShiftPost, source: str, key: str | None
) -> Assignment:
    locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if locked.status not in SERVING:
        raise ConflictError(
            _("Only volunteers on probation or appointed take shifts."), code="not_serving"
        )
    shift = Shift.objects.select_for_update().get(pk=entry.shift_id)
    if shift.status != ShiftStatus.PLANNED:
        raise ConflictError(_("This shift was cancelled."), code="cancelled")
    clash = (
        Assignment.objects.filter(
            volunteer=locked,
            status__in=HOLDING_PLACE,
            starts_at__lt=shift.ends_at,
            ends_at__gt=shift.starts_at,
        )
        .select_related("shift")
        .first()
    )
    if clash is not None:
        raise ConflictError(
            _("This overlaps another shift of the volunteer: %(shift)s.")
            % {"shift": _shift_label(clash.shift)},
            code="overlap",
        )
    taken = ShiftPost.objects.filter(pk=entry.pk, places_left__gte=1).update(
        places_left=F("places_left") - 1
    )
    if not taken:
        raise ShiftFull(_("Sorry, this post is full on this shift."))
    assignment = Assignment.objects.create(
        venue_id=entry.venue_id,
        shift=shift,
        shift_post=entry,
        volunteer=locked,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        source=source,
        idempotency_key=key,
    )
    audit_record(
        actor=actor_or_none(actor),
        action="volunteer_assignment.create",
        target=assignment,
        after=snapshot(assignment),
        venue=entry.shift.venue,
    )
    return assignment


def _shift_label(shift: Shift) -> str:
    starts = timezone.localtime(shift.starts_at)
    return f"{shift.title} {starts:%Y-%m-%d %H:%M}–{timezone.localtime(shift.ends_at):%H:%M}"


@transaction.atomic
def assignment_cancel(
    *, actor: Actor, assignment: Assignment, now: datetime | None = None
) -> Assignment:
    """Give the place back: the volunteer before the shift starts, the coordinator any time
    before the volunteer checks in."""
    own = is_own(actor, assignment.volunteer)
    if not own:
        require_volunteers(actor, assignment.shift.venue)
    now = now or timezone.now()
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status != AssignmentStatus.SIGNED_UP:
        raise ConflictError(_("Only a sign-up not yet checked in can be cancelled."))
    if own and locked.starts_at <= now:
        raise ConflictError(_("The shift has started; ask your coordinator."))
    ShiftPost.objects.filter(pk=locked.shift_post_id).update(places_left=F("places_left") + 1)
    locked.status = AssignmentStatus.CANCELLED
    locked.save(update_fields=["status"])
    audit_record(
        actor=actor_or_none(actor),
        action="volunteer_assignment.cancel",
        target=locked,
        before={"status": AssignmentStatus.SIGNED_UP},
        after={"status": AssignmentStatus.CANCELLED},
        venue=assignment.shift.venue,
    )
    return locked

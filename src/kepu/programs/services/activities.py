"""Activities and their sessions: plan them, hold them, record who came."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError, ConflictError
from kepu.core.scopes import Capability, require_venue
from kepu.core.services import apply_changes, create_and_audit, reject_unknown_fields
from kepu.network.models import Venue
from kepu.programs.models import (
    AT_VENUE,
    Activity,
    Expert,
    PlaceKind,
    Registration,
    Session,
    SessionStatus,
    SessionWorker,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

ACTIVITY_FIELDS = frozenset(
    {
        "name",
        "name_en",
        "activity_type",
        "audience",
        "description",
        "owner",
        "partners",
        "topics",
        "theme_day",
        "campaign_theme",
    }
)
SESSION_FIELDS = frozenset(
    {
        "starts_at",
        "ends_at",
        "place_kind",
        "hall",
        "place_name",
        "school",
        "division",
        "trip",
        "capacity",
        "registration_open",
        "note",
    }
)
RECORD_FIELDS = frozenset(
    {
        "participants",
        "participants_approximate",
        "online_viewers",
        "online_approximate",
        "st_workers",
        "st_workers_approximate",
    }
)


def _check_activity(activity: Activity) -> None:
    theme = activity.campaign_theme
    if theme is not None and theme.campaign.alliance_id is not None:
        from kepu.network.models import Membership
        from kepu.network.selectors import alliance_tree_ids, current_membership_q

        alliance = theme.campaign.alliance
        if (
            alliance is None
            or not Membership.objects.filter(
                current_membership_q(),
                alliance_id__in=alliance_tree_ids(alliance),
                venue_id=activity.venue_id,
            ).exists()
        ):
            raise ApplicationError.for_field(
                "campaign_theme",
                _("This venue is not a member of the alliance running this action."),
            )
    if activity.owner_id is not None:
        from kepu.core.scopes import scope_for

        if not scope_for(activity.owner).can(Capability.VIEW, activity.venue_id):
            raise ApplicationError.for_field("owner", _("Choose someone who works at this venue."))


@transaction.atomic
def activity_create(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> Activity:
    require_venue(actor, venue, Capability.MANAGE_PROGRAMS)
    reject_unknown_fields(data, ACTIVITY_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=Activity(venue=venue, **data),
        action="activity.create",
        conflict=("name", _("This activity exists already.")),
        venue=venue,
        extra_validation=_check_activity,
    )


@transaction.atomic
def activity_update(*, actor: Actor, activity: Activity, data: Mapping[str, Any]) -> Activity:
    require_venue(actor, activity.venue, Capability.MANAGE_PROGRAMS)
    return apply_changes(
        actor=actor,
        instance=activity,
        data=data,
        allowed=ACTIVITY_FIELDS,
        action="activity.update",
        venue=activity.venue,
        extra_validation=_check_activity,
    )


@transaction.atomic
def activity_delete(*, actor: Actor, activity: Activity) -> None:
    """Remove an activity that has no held session and no sign-up (otherwise cancel sessions)."""
    require_venue(actor, activity.venue, Capability.MANAGE_PROGRAMS)
    if activity.sessions.filter(status=SessionStatus.HELD).exists():
        raise ConflictError(_("Sessions of this activity were held; their records stay."))
    if Registration.objects.filter(session__activity=activity).exists():
        raise ConflictError(_("People signed up for this activity; cancel its sessions instead."))
    before = snapshot(activity)
    venue = activity.venue
    audit_record(actor=actor, action="activity.delete", target=activity, before=before, venue=venue)
    activity.delete()


def _check_session(session: Session) -> None:
    venue_id = session.venue_id
    kind = session.place_kind
    if kind == PlaceKind.HALL:
        if session.hall_id is None:
            raise ApplicationError.for_field("hall", _("Choose the hall."))
        if session.hall is not None and session.hall.venue_id != venue_id:
            raise ApplicationError.for_field("hall", _("Choose a hall of this venue."))
    elif session.hall_id is not None:
        raise ApplicationError.for_field(
            "hall", _("A hall is chosen only for sessions held in a hall.")
        )
    if (
        kind not in AT_VENUE
        and kind != PlaceKind.ONLINE
        and not (session.place_name or session.school_id)
    ):
        raise ApplicationError.for_field(
            "place_name", _("Say where the session is held (or choose the school).")
        )
    if kind == PlaceKind.SCHOOL and session.school is not None and not session.place_name:
        session.place_name = session.school.name
    if session.school is not None and session.division_id is None:
        session.division_id = session.school.division_id
    if session.trip is not None and session.trip.venue_id != venue_id:
        raise ApplicationError.for_field("trip", _("Choose a caravan trip of this venue."))
    if session.ends_at is not None and session.ends_at <= session.starts_at:
        raise ApplicationError.for_field("ends_at", _("A session must end after it starts."))
    if session.registration_open and not session.capacity:
        raise ApplicationError.for_field(
            "capacity", _("Give the number of places to open the session for sign-up.")
        )


def _check_created_status(session: Session) -> None:
    """A session is entered as planned, as held afterwards with its figures, or as cancelled
    (imports of past lists); only a held session has figures, and none is held in the future."""
    recorded = any(getattr(session, name) not in (None, 0, False) for name in RECORD_FIELDS)
    if session.status != SessionStatus.HELD and recorded:
        raise ApplicationError.for_field(
            "participants", _("Participants are recorded once the session is held.")
        )
    if session.status == SessionStatus.HELD:
        if session.starts_at > timezone.now():
            raise ApplicationError.for_field(
                "starts_at", _("A session in the future cannot have been held.")
            )
        if session.participants is None and session.online_viewers is None:
            raise ApplicationError.for_field(
                "participants", _("Give the number of participants (or of online viewers).")
            )


def _signed_up(session: Session) -> int:
    from django.db.models import Sum

    total = Registration.objects.filter(
        session=session, status=Registration.Status.CONFIRMED
    ).aggregate(n=Sum("headcount"))["n"]
    return int(total or 0)


@transaction.atomic
def session_create(*, actor: Actor, activity: Activity, data: Mapping[str, Any]) -> Session:
    require_venue(actor, activity.venue, Capability.MANAGE_PROGRAMS)
    reject_unknown_fields(data, SESSION_FIELDS | RECORD_FIELDS | {"status"})
    session = Session(venue=activity.venue, activity=activity, **data)
    session.places_left = session.capacity
    _check_created_status(session)
    return create_and_audit(
        actor=actor,
        instance=session,
        action="session.create",
        conflict=("starts_at", _("This session exists already.")),
        venue=activity.venue,
        extra_validation=_check_session,
    )


@transaction.atomic
def session_update(*, actor: Actor, session: Session, data: Mapping[str, Any]) -> Session:
    """Change when, where and for how many. Places cannot drop below those signed up."""
    require_venue(actor, session.venue, Capability.MANAGE_PROGRAMS)
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if "capacity" in data and data["capacity"] != locked.capacity:
        taken = _signed_up(locked)
        capacity = data["capacity"]
        if capacity is None and taken:
            raise ConflictError(
                _("People signed up; the session keeps places for them."),
                fields={"capacity": [_("People signed up.")]},
            )
        if capacity is not None and capacity < taken:
            raise ConflictError(
                _("%(taken)s places are taken already; the capacity cannot be lower.")
                % {"taken": taken},
                fields={"capacity": [_("Lower than the places already taken.")]},
            )
        session.places_left = None if capacity is None else capacity - taken
    else:
        session.places_left = locked.places_left
    return apply_changes(
        actor=actor,
        instance=session,
        data=data,
        allowed=SESSION_FIELDS,
        action="session.update",
        venue=session.venue,
        extra_validation=_check_session,
    )


@transaction.atomic
def session_record(*, actor: Actor, session: Session, data: Mapping[str, Any]) -> Session:
    """Afterwards: how many took part (perhaps approximate), online viewers, S&T workers."""
    require_venue(actor, session.venue, Capability.MANAGE_PROGRAMS)
    reject_unknown_fields(data, RECORD_FIELDS)
    if session.status == SessionStatus.CANCELLED:
        raise ConflictError(_("This session was cancelled."))
    named = session.workers.count()
    if "st_workers" in data and data["st_workers"] is not None and data["st_workers"] < named:
        raise ApplicationError.for_field(
            "st_workers",
            _("%(n)s S&T workers are named for this session; the count cannot be lower.")
            % {"n": named},
        )
    if data.get("participants") is None and data.get("online_viewers") is None:
        raise ApplicationError.for_field(
            "participants", _("Give the number of participants (or of online viewers).")
        )
    if session.starts_at > timezone.now():
        raise ConflictError(_("This session has not started yet; record it once it is held."))
    changes = {**data, "status": SessionStatus.HELD}
    return apply_changes(
        actor=actor,
        instance=session,
        data=changes,
        allowed=RECORD_FIELDS | {"status"},
        action="session.record",
        venue=session.venue,
    )


@transaction.atomic
def session_cancel(*, actor: Actor, session: Session, reason: str = "") -> Session:
    """Cancel a planned session; its sign-ups are cancelled with it."""
    require_venue(actor, session.venue, Capability.MANAGE_PROGRAMS)
    Session.objects.select_for_update().filter(pk=session.pk).first()  # no sign-up slips in
    if session.status == SessionStatus.HELD:
        raise ConflictError(_("This session was held; record its participants instead."))
    Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED).update(
        status=Registration.Status.CANCELLED
    )
    return apply_changes(
        actor=actor,
        instance=session,
        data={"status": SessionStatus.CANCELLED, "registration_open": False, "note": reason[:300]},
        allowed={"status", "registration_open", "note"},
        action="session.cancel",
        venue=session.venue,
    )


@transaction.atomic
def session_workers_set(
    *, actor: Actor, session: Session, workers: Sequence[tuple[Expert, str]]
) -> list[SessionWorker]:
    """Name the S&T workers who took part, and as what (replaces the list)."""
    require_venue(actor, session.venue, Capability.MANAGE_PROGRAMS)
    for index, (expert, role) in enumerate(workers):
        if expert.venue_id != session.venue_id:
            raise ApplicationError.for_field(
                f"workers.{index}", _("Choose an S&T worker of this venue's register.")
            )
        if role not in SessionWorker.Role.values:
            raise ApplicationError.for_field(f"workers.{index}", _("Unknown role."))
    before = sorted(session.workers.values_list("expert_id", flat=True))
    session.workers.all().delete()
    made = SessionWorker.objects.bulk_create(
        SessionWorker(session=session, expert=expert, role=role) for expert, role in workers
    )
    if session.st_workers < len(made):
        Session.objects.filter(pk=session.pk).update(st_workers=len(made))
        session.st_workers = len(made)
    audit_record(
        actor=actor,
        action="session.workers",
        target=session,
        before={"experts": before},
        after={"experts": sorted(w.expert_id for w in made)},
        venue=session.venue,
    )
    return made

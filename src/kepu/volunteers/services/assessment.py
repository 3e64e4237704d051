"""Assessment and recognition: the yearly assessment with renewal, commendations and penalties."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.errors import ApplicationError, ConflictError
from kepu.core.services import create_and_audit
from kepu.volunteers import selectors
from kepu.volunteers.models import Assessment, Recognition, Volunteer
from kepu.volunteers.services.common import actor_or_none, require_volunteers
from kepu.volunteers.services.people import volunteer_exit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None


@transaction.atomic
def assessment_record(
    *,
    actor: Actor,
    volunteer: Volunteer,
    year: int,
    rating: str,
    renew: bool,
    comment: str = "",
    override_reason: str = "",
    today: date | None = None,
) -> Assessment:
    """Assess a volunteer's year from the records. Renewal needs the venue's yearly hours (and
    guided tours, for those on touring posts) and a passing rating, or a reason to override;
    not renewing ends their service."""
    from kepu.volunteers.selectors import served

    require_volunteers(actor, volunteer.venue)
    today = today or timezone.localdate()
    if rating not in Assessment.Rating.values:
        raise ApplicationError.for_field("rating", _("Choose a rating."))
    if not 2000 <= year <= today.year:
        raise ApplicationError.for_field("year", _("Assess a year that has begun."))
    if volunteer.joined_on.year > year:
        raise ApplicationError.for_field("year", _("The volunteer joined after that year."))
    if renew and not volunteer.is_on_roll:
        raise ConflictError(_("This volunteer has left; there is nothing to renew."))
    record = served([volunteer.pk], date(year, 1, 1), date(year, 12, 31)).get(volunteer.pk)
    minutes = record.minutes if record else 0
    tours = record.tours if record else 0
    rules = selectors.settings_of(volunteer.venue_id)
    short_hours = minutes < rules.renewal_hours * 60
    short_tours = bool(record and record.tour_shifts) and tours < rules.renewal_tours
    if renew and (short_hours or short_tours or rating == Assessment.Rating.FAIL):
        if not override_reason.strip():
            raise ConflictError(
                _(
                    "Renewal asks for %(hours)s hours (and %(tours)s guided tours on touring "
                    "posts) and a passing rating; give a reason to renew anyway."
                )
                % {"hours": rules.renewal_hours, "tours": rules.renewal_tours},
                code="renewal_not_met",
                fields={"override_reason": [_("Required to renew below the thresholds.")]},
            )
        comment = f"{comment.strip()}\n{override_reason.strip()}".strip()
    assessment = create_and_audit(
        actor=actor,
        instance=Assessment(
            venue_id=volunteer.venue_id,
            volunteer=volunteer,
            year=year,
            minutes=minutes,
            shifts=record.shifts if record else 0,
            tours=tours,
            no_shows=record.no_shows if record else 0,
            rating=rating,
            renewed=renew,
            comment=comment.strip(),
            assessed_on=today,
            assessed_by=actor_or_none(actor),
        ),
        action="volunteer_assessment.create",
        conflict=("year", _("This year is assessed already.")),
        venue=volunteer.venue,
    )
    if not renew and volunteer.is_on_roll:
        volunteer_exit(
            actor=actor,
            volunteer=volunteer,
            kind=Volunteer.ExitKind.NOT_RENEWED,
            reason=(_("Not renewed after the %(year)s assessment.") % {"year": year}),
            today=today,
        )
    return assessment


@transaction.atomic
def recognition_add(
    *,
    actor: Actor,
    volunteer: Volunteer,
    kind: str,
    title: str,
    reason: str,
    awarded_on: date,
) -> Recognition:
    """A commendation (优秀志愿者 …) or a penalty (a warning …), with its reason."""
    require_volunteers(actor, volunteer.venue)
    if awarded_on > timezone.localdate():
        raise ApplicationError.for_field("awarded_on", _("The date cannot be in the future."))
    return create_and_audit(
        actor=actor,
        instance=Recognition(
            venue_id=volunteer.venue_id,
            volunteer=volunteer,
            kind=kind,
            title=title.strip(),
            reason=reason.strip(),
            awarded_on=awarded_on,
            created_by=actor_or_none(actor),
        ),
        action=f"volunteer_recognition.{kind}",
        conflict=("title", _("This is recorded already.")),
        venue=volunteer.venue,
    )

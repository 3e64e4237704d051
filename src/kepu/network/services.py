"""Writes to the network registry. Each one: scope check, validation, one transaction, audit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core import versions
from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError, ConflictError, NotFoundError
from kepu.core.scopes import (
    Capability,
    require_alliance,
    require_national,
    require_venue,
    scope_for,
)
from kepu.core.services import (
    apply_changes,
    create_and_audit,
    reject_unknown_fields,
    validate_model,
)
from kepu.network.models import (
    Alliance,
    CalendarException,
    Division,
    Hall,
    Membership,
    OpeningPattern,
    Organisation,
    OrganisationYear,
    Venue,
    VenueKind,
)
from kepu.network.opening import bump_calendar_version

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

# What a venue manager may edit on their own venue; the rest is the national registry's.
VENUE_MANAGER_FIELDS = frozenset(
    {
        "name_en",
        "short_name",
        "address",
        "latitude",
        "longitude",
        "phone",
        "website",
        "description",
        "opened_on",
    }
)
VENUE_NATIONAL_FIELDS = VENUE_MANAGER_FIELDS | {
    "name",
    "kind",
    "level",
    "organisation",
    "division",
    "is_active",
}
HALL_FIELDS = frozenset(
    {"name", "name_en", "kind", "area_m2", "floor", "opened_on", "closed_on", "description"}
)
PATTERN_FIELDS = frozenset(
    {
        "valid_from",
        "open_weekdays",
        "opens_at",
        "closes_at",
        "last_entry_at",
        "holiday_policy",
        "closed_day_reason",
        "note",
    }
)
EXCEPTION_FIELDS = frozenset({"kind", "category", "starts_on", "ends_on", "reason", "reason_en"})
ORGANISATION_FIELDS = frozenset(
    {
        "name",
        "name_en",
        "credit_code",
        "purpose_and_scope",
        "address",
        "division",
        "legal_representative",
        "startup_capital_cny",
        "funding_source",
        "sponsor",
        "online_name",
    }
)
ORGANISATION_YEAR_FIELDS = frozenset({"assets_start_cny", "assets_end_cny", "headcount"})
ALLIANCE_FIELDS = frozenset(
    {"name", "name_en", "short_name", "parent", "founded_on", "region", "description"}
)


# Venues ----------------------------------------------------------------------------------------


def _check_venue(venue: Venue) -> None:
    if venue.kind == VenueKind.MUSEUM and not venue.level:
        raise ApplicationError.for_field("level", _("A museum needs its level."))
    if venue.latitude is None and venue.longitude is None and venue.division_id:
        # Until the venue is placed exactly, it sits at the centre of its division.
        division = Division.objects.get(pk=venue.division_id)
        venue.latitude, venue.longitude = division.latitude, division.longitude
    if (venue.latitude is None) != (venue.longitude is None):
        raise ApplicationError.for_field(
            "longitude", _("Give both latitude and longitude, or neither.")
        )


@transaction.atomic
def venue_create(*, actor: Actor, data: Mapping[str, Any]) -> Venue:
    require_national(actor)
    reject_unknown_fields(data, VENUE_NATIONAL_FIELDS)
    venue = Venue(**data)
    return create_and_audit(
        actor=actor,
        instance=venue,
        action="venue.create",
        conflict=("name", _("A venue with this name exists in this division.")),
        venue=venue,
        extra_validation=_check_venue,
    )


@transaction.atomic
def venue_update(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> Venue:
    scope = require_venue(actor, venue, Capability.MANAGE_REGISTRY)
    allowed = VENUE_NATIONAL_FIELDS if scope.is_national else VENUE_MANAGER_FIELDS
    versions.bump(versions.BOOKING_SETUP, venue.pk)  # app processes keep a copy for bookings
    return apply_changes(
        actor=actor,
        instance=venue,
        data=data,
        allowed=allowed,
        action="venue.update",
        venue=venue,
        extra_validation=_check_venue,
    )


# Halls -----------------------------------------------------------------------------------------


def _check_hall(hall: Hall) -> None:
    if hall.opened_on and hall.closed_on and hall.closed_on < hall.opened_on:
        raise ApplicationError.for_field("closed_on", _("A hall cannot close before it opens."))


@transaction.atomic
def hall_create(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> Hall:
    require_venue(actor, venue, Capability.MANAGE_REGISTRY)
    reject_unknown_fields(data, HALL_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=Hall(venue=venue, **data),
        action="hall.create",
        conflict=("name", _("This venue already has a hall of this name.")),
        venue=venue,
        extra_validation=_check_hall,
    )


@transaction.atomic
def hall_update(*, actor: Actor, hall: Hall, data: Mapping[str, Any]) -> Hall:
    require_venue(actor, hall.venue, Capability.MANAGE_REGISTRY)
    return apply_changes(
        actor=actor,
        instance=hall,
        data=data,
        allowed=HALL_FIELDS,
        action="hall.update",
        venue=hall.venue,
        extra_validation=_check_hall,
    )


# Opening calendar ------------------------------------------------------------------------------


def _check_pattern(pattern: OpeningPattern) -> None:
    if not pattern.open_weekdays:
        raise ApplicationError.for_field(
            "open_weekdays", _("Choose at least one day of the week on which the venue opens.")
        )
    if pattern.opens_at and pattern.closes_at and pattern.opens_at >= pattern.closes_at:
        raise ApplicationError.for_field("closes_at", _("Closing time must be after opening time."))
    if pattern.last_entry_at and not (
        pattern.opens_at <= pattern.last_entry_at <= pattern.closes_at
    ):
        raise ApplicationError.for_field(
            "last_entry_at", _("Last entry must fall between opening and closing time.")
        )


@transaction.atomic
def opening_pattern_create(
    *, actor: Actor, venue: Venue, data: Mapping[str, Any]
) -> OpeningPattern:
    require_venue(actor, venue, Capability.MANAGE_REGISTRY)
    reject_unknown_fields(data, PATTERN_FIELDS)
    transaction.on_commit(lambda: bump_calendar_version(venue.pk))
    return create_and_audit(
        actor=actor,
        instance=OpeningPattern(venue=venue, **data),
        action="opening_pattern.create",
        conflict=("valid_from", _("A weekly pattern already starts on this date.")),
        venue=venue,
        extra_validation=_check_pattern,
    )


@transaction.atomic
def opening_pattern_update(
    *, actor: Actor, pattern: OpeningPattern, data: Mapping[str, Any]
) -> OpeningPattern:
    require_venue(actor, pattern.venue, Capability.MANAGE_REGISTRY)
    transaction.on_commit(lambda: bump_calendar_version(pattern.venue_id))
    return apply_changes(
        actor=actor,
        instance=pattern,
        data=data,
        allowed=PATTERN_FIELDS,
        action="opening_pattern.update",
        venue=pattern.venue,
        extra_validation=_check_pattern,
    )


def _check_exception(exception: CalendarException) -> None:
    if exception.starts_on and exception.ends_on and exception.ends_on < exception.starts_on:
        raise ApplicationError.for_field("ends_on", _("The last day cannot be before the first."))
    if (
        exception.starts_on
        and exception.ends_on
        and (exception.ends_on - exception.starts_on).days > 3660
    ):
        raise ApplicationError.for_field("ends_on", _("A closure cannot last more than ten years."))
    overlapping = CalendarException.objects.filter(
        venue_id=exception.venue_id,
        starts_on__lte=exception.ends_on,
        ends_on__gte=exception.starts_on,
    ).exclude(pk=exception.pk)
    clash = overlapping.first()
    if clash is not None:
        raise ConflictError(
            _("These dates overlap %(reason)s (%(start)s – %(end)s).")
            % {"reason": clash.display_reason, "start": clash.starts_on, "end": clash.ends_on},
            fields={"starts_on": [_("Overlaps another closure or special opening.")]},
        )


@transaction.atomic
def calendar_exception_create(
    *, actor: Actor, venue: Venue, data: Mapping[str, Any]
) -> CalendarException:
    """Announce a closure or a special opening. Overlapping ranges are refused."""
    require_venue(actor, venue, Capability.MANAGE_CALENDAR)
    reject_unknown_fields(data, EXCEPTION_FIELDS)
    # Lock the venue row so two overlapping announcements cannot both pass the overlap check.
    Venue.objects.select_for_update().filter(pk=venue.pk).first()
    exception = CalendarException(venue=venue, **data)
    validate_model(exception)
    _check_exception(exception)
    exception.save()
    transaction.on_commit(lambda: bump_calendar_version(venue.pk))
    audit_record(
        actor=actor,
        action="calendar_exception.create",
        target=exception,
        after=snapshot(exception),
        venue=venue,
    )
    return exception


@transaction.atomic
def calendar_exception_delete(*, actor: Actor, exception: CalendarException) -> None:
    require_venue(actor, exception.venue, Capability.MANAGE_CALENDAR)
    venue_id = exception.venue_id
    audit_record(
        actor=actor,
        action="calendar_exception.delete",
        target=exception,
        before=snapshot(exception),
        venue=exception.venue,
    )
    exception.delete()
    transaction.on_commit(lambda: bump_calendar_version(venue_id))


# Organisations ---------------------------------------------------------------------------------


def _require_organisation(actor: Actor, organisation: Organisation) -> Venue | None:
    """National administrators, or a manager of one of the organisation's venues."""
    scope = scope_for(actor)
    if scope.is_national:
        return organisation.venues.first()
    for venue in organisation.venues.all():
        if scope.can(Capability.VIEW, venue.pk):
            require_venue(actor, venue, Capability.MANAGE_REGISTRY)
            return venue
    raise NotFoundError()


@transaction.atomic
def organisation_create(*, actor: Actor, data: Mapping[str, Any]) -> Organisation:
    require_national(actor)
    reject_unknown_fields(data, ORGANISATION_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=Organisation(**data),
        action="organisation.create",
        conflict=("name", _("This organisation is registered already.")),
    )


@transaction.atomic
def organisation_update(
    *, actor: Actor, organisation: Organisation, data: Mapping[str, Any]
) -> Organisation:
    venue = _require_organisation(actor, organisation)
    return apply_changes(
        actor=actor,
        instance=organisation,
        data=data,
        allowed=ORGANISATION_FIELDS,
        action="organisation.update",
        venue=venue,
    )


@transaction.atomic
def organisation_year_save(
    *, actor: Actor, organisation: Organisation, year: int, data: Mapping[str, Any]
) -> OrganisationYear:
    """Record (or correct) one year's registration figures."""
    venue = _require_organisation(actor, organisation)
    reject_unknown_fields(data, ORGANISATION_YEAR_FIELDS)
    record = (
        OrganisationYear.objects.select_for_update()
        .filter(organisation=organisation, year=year)
        .first()
    )
    if record is None:
        return create_and_audit(
            actor=actor,
            instance=OrganisationYear(organisation=organisation, year=year, **data),
            action="organisation_year.create",
            conflict=("year", _("This year is recorded already.")),
            venue=venue,
        )
    return apply_changes(
        actor=actor,
        instance=record,
        data=data,
        allowed=ORGANISATION_YEAR_FIELDS,
        action="organisation_year.update",
        venue=venue,
    )


# Alliances -------------------------------------------------------------------------------------


def _check_alliance(alliance: Alliance) -> None:
    seen: set[int] = set()
    parent = alliance.parent
    while parent is not None:
        if parent.pk == alliance.pk or parent.pk in seen:
            raise ApplicationError.for_field(
                "parent", _("An alliance cannot be part of itself or of one of its members.")
            )
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def alliance_create(*, actor: Actor, data: Mapping[str, Any]) -> Alliance:
    require_national(actor)
    reject_unknown_fields(data, ALLIANCE_FIELDS)
    alliance = Alliance(**data)
    return create_and_audit(
        actor=actor,
        instance=alliance,
        action="alliance.create",
        conflict=("name", _("An alliance of this name exists.")),
        alliance=alliance,
    )


@transaction.atomic
def alliance_update(*, actor: Actor, alliance: Alliance, data: Mapping[str, Any]) -> Alliance:
    scope = require_alliance(actor, alliance, manage=True)
    if "parent" in data and not scope.is_national:
        reject_unknown_fields(data, ALLIANCE_FIELDS - {"parent"})
    return apply_changes(
        actor=actor,
        instance=alliance,
        data=data,
        allowed=ALLIANCE_FIELDS,
        action="alliance.update",
        alliance=alliance,
        extra_validation=_check_alliance,
    )


@transaction.atomic
def membership_add(
    *,
    actor: Actor,
    alliance: Alliance,
    venue: Venue,
    role: str,
    since: date,
) -> Membership:
    require_alliance(actor, alliance, manage=True)
    if Membership.objects.filter(alliance=alliance, venue=venue, until__isnull=True).exists():
        raise ConflictError(
            _("%(venue)s is already a member.") % {"venue": venue.display_name},
            fields={"venue": [_("Already a member of this alliance.")]},
        )
    return create_and_audit(
        actor=actor,
        instance=Membership(alliance=alliance, venue=venue, role=role, since=since),
        action="membership.add",
        conflict=("venue", _("Already a member of this alliance.")),
        venue=venue,
        alliance=alliance,
    )


@transaction.atomic
def membership_update(
    *, actor: Actor, membership: Membership, data: Mapping[str, Any]
) -> Membership:
    require_alliance(actor, membership.alliance, manage=True)

    def check(instance: Membership) -> None:
        if instance.until is not None and instance.until < instance.since:
            raise ApplicationError.for_field("until", _("Membership cannot end before it began."))

    return apply_changes(
        actor=actor,
        instance=membership,
        data=data,
        allowed={"role", "since", "until"},
        action="membership.update",
        venue=membership.venue,
        alliance=membership.alliance,
        extra_validation=check,
    )


def membership_end(
    *, actor: Actor, membership: Membership, until: date | None = None
) -> Membership:
    return membership_update(
        actor=actor, membership=membership, data={"until": until or timezone.localdate()}
    )

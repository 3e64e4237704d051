"""Schools and partnerships, S&T workers, caravans and trips, theme days, joint actions,
competitions: every change validated, in one transaction, audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record
from kepu.core.errors import ApplicationError, PermissionDeniedError
from kepu.core.scopes import (
    Capability,
    require_alliance,
    require_national,
    require_venue,
    scope_for,
)
from kepu.core.services import apply_changes, create_and_audit, reject_unknown_fields
from kepu.network.models import Alliance, Division, Venue
from kepu.network.selectors import current_membership_q
from kepu.programs.models import (
    Campaign,
    CampaignReport,
    CampaignTheme,
    Caravan,
    CaravanTrip,
    Competition,
    Exhibition,
    Expert,
    Partnership,
    PlaceKind,
    School,
    ScienceVicePrincipal,
    ThemeDay,
    TripStop,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None


def require_programs_somewhere(actor: Actor) -> None:
    """Shared registers (schools) are kept by anyone who runs programmes at some venue."""
    scope = scope_for(actor)
    if scope.is_national:
        return
    if not any(Capability.MANAGE_PROGRAMS in caps for caps in scope.venue_capabilities.values()):
        raise PermissionDeniedError()


# Schools --------------------------------------------------------------------------------------

SCHOOL_FIELDS = frozenset({"name", "name_en", "kind", "division", "is_rural", "address"})


@transaction.atomic
def school_create(*, actor: Actor, data: Mapping[str, Any]) -> School:
    require_programs_somewhere(actor)
    reject_unknown_fields(data, SCHOOL_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=School(**data),
        action="school.create",
        conflict=("name", _("A school of this name exists in this division.")),
    )


@transaction.atomic
def school_update(*, actor: Actor, school: School, data: Mapping[str, Any]) -> School:
    require_programs_somewhere(actor)
    return apply_changes(
        actor=actor, instance=school, data=data, allowed=SCHOOL_FIELDS, action="school.update"
    )


def school_get_or_create(*, actor: Actor, name: str, division: Division, **extra: Any) -> School:
    """The register's school of that name in that division, added when it is not there yet."""
    found = School.objects.filter(division=division, name=name.strip()).first()
    if found is not None:
        return found
    return school_create(actor=actor, data={"name": name.strip(), "division": division, **extra})


PARTNERSHIP_FIELDS = frozenset({"school", "signed_on", "ends_on", "status", "note"})


def _check_partnership(partnership: Partnership) -> None:
    if (
        partnership.ends_on
        and partnership.signed_on
        and partnership.ends_on < partnership.signed_on
    ):
        raise ApplicationError.for_field("ends_on", _("An agreement cannot end before it starts."))


@transaction.atomic
def partnership_create(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> Partnership:
    require_venue(actor, venue, Capability.MANAGE_PROGRAMS)
    reject_unknown_fields(data, PARTNERSHIP_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=Partnership(venue=venue, **data),
        action="partnership.create",
        conflict=("school", _("This agreement is recorded already.")),
        venue=venue,
        extra_validation=_check_partnership,
    )


@transaction.atomic
def partnership_update(
    *, actor: Actor, partnership: Partnership, data: Mapping[str, Any]
) -> Partnership:
    require_venue(actor, partnership.venue, Capability.MANAGE_PROGRAMS)
    return apply_changes(
        actor=actor,
        instance=partnership,
        data=data,
        allowed=PARTNERSHIP_FIELDS - {"school"},
        action="partnership.update",
        venue=partnership.venue,
        extra_validation=_check_partnership,
    )


# S&T workers and science vice-principals ------------------------------------------------------

EXPERT_FIELDS = frozenset({"name", "kind", "organisation", "field", "title", "degree", "is_active"})


@transaction.atomic
def expert_create(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> Expert:
    require_venue(actor, venue, Capability.MANAGE_PROGRAMS)
    reject_unknown_fields(data, EXPERT_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=Expert(venue=venue, **data),
        action="expert.create",
        conflict=("name", _("This person is in the register already.")),
        venue=venue,
    )


@transaction.atomic
def expert_update(*, actor: Actor, expert: Expert, data: Mapping[str, Any]) -> Expert:
    require_venue(actor, expert.venue, Capability.MANAGE_PROGRAMS)
    return apply_changes(
        actor=actor,
        instance=expert,
        data=data,
        allowed=EXPERT_FIELDS,
        action="expert.update",
        venue=expert.venue,
    )


@transaction.atomic
def vice_principal_appoint(
    *, actor: Actor, expert: Expert, school: School, appointed_on: date, ends_on: date | None = None
) -> ScienceVicePrincipal:
    require_venue(actor, expert.venue, Capability.MANAGE_PROGRAMS)
    if expert.kind != Expert.Kind.STAFF:
        raise ApplicationError.for_field(
            "expert", _("Science vice-principals are appointed from the venue's own staff.")
        )
    if ends_on is not None and ends_on < appointed_on:
        raise ApplicationError.for_field(
            "ends_on", _("An appointment cannot end before it starts.")
        )
    return create_and_audit(
        actor=actor,
        instance=ScienceVicePrincipal(
            venue=expert.venue,
            expert=expert,
            school=school,
            appointed_on=appointed_on,
            ends_on=ends_on,
        ),
        action="vice_principal.appoint",
        conflict=("school", _("This appointment is recorded already.")),
        venue=expert.venue,
    )


# Caravans and their trips ---------------------------------------------------------------------

CARAVAN_FIELDS = frozenset({"name", "plate_number", "exhibits", "in_service_since", "is_active"})


@transaction.atomic
def caravan_create(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> Caravan:
    require_venue(actor, venue, Capability.MANAGE_PROGRAMS)
    reject_unknown_fields(data, CARAVAN_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=Caravan(venue=venue, **data),
        action="caravan.create",
        conflict=("name", _("This venue has a caravan of this name already.")),
        venue=venue,
    )


@transaction.atomic
def caravan_update(*, actor: Actor, caravan: Caravan, data: Mapping[str, Any]) -> Caravan:
    require_venue(actor, caravan.venue, Capability.MANAGE_PROGRAMS)
    return apply_changes(
        actor=actor,
        instance=caravan,
        data=data,
        allowed=CARAVAN_FIELDS,
        action="caravan.update",
        venue=caravan.venue,
    )


@dataclass
class StopInput:
    day: date
    name: str
    place_kind: str = PlaceKind.SCHOOL
    school: School | None = None
    division: Division | None = None
    people_served: int = 0
    people_approximate: bool = False


TRIP_FIELDS = frozenset(
    {"caravan", "title", "starts_on", "ends_on", "km", "km_approximate", "note"}
)


def _check_trip(trip: CaravanTrip, stops: Sequence[StopInput]) -> None:
    if trip.caravan_id is not None and trip.caravan.venue_id != trip.venue_id:
        raise ApplicationError.for_field("caravan", _("Choose a caravan of this venue."))
    if trip.starts_on and trip.ends_on and trip.ends_on < trip.starts_on:
        raise ApplicationError.for_field("ends_on", _("A trip cannot end before it starts."))
    if trip.km is not None and Decimal(trip.km) < 0:
        raise ApplicationError.for_field("km", _("Kilometres cannot be negative."))
    fields: dict[str, list[str]] = {}
    for index, stop in enumerate(stops):
        if not stop.name.strip() and stop.school is None:
            fields[f"stops.{index}.name"] = [_("Name the place.")]
        if stop.place_kind not in PlaceKind.values or stop.place_kind in (
            PlaceKind.HALL,
            PlaceKind.ONLINE,
        ):
            fields[f"stops.{index}.place_kind"] = [_("A caravan stops at a school, village, …")]
        if trip.starts_on and trip.ends_on and not trip.starts_on <= stop.day <= trip.ends_on:
            fields[f"stops.{index}.day"] = [_("The stop's day is outside the trip's dates.")]
        if stop.people_served < 0:
            fields[f"stops.{index}.people_served"] = [_("Cannot be negative.")]
    if fields:
        raise ApplicationError(_("Please correct the errors below."), fields=fields)


def _save_stops(trip: CaravanTrip, stops: Sequence[StopInput]) -> list[TripStop]:
    trip.stops.all().delete()
    return TripStop.objects.bulk_create(
        TripStop(
            trip=trip,
            sequence=index + 1,
            day=stop.day,
            place_kind=stop.place_kind,
            name=(stop.name.strip() or (stop.school.name if stop.school else ""))[:200],
            school=stop.school,
            division=stop.division or (stop.school.division if stop.school is not None else None),
            people_served=stop.people_served,
            people_approximate=stop.people_approximate,
        )
        for index, stop in enumerate(stops)
    )


def _stops_snapshot(stops: Sequence[TripStop]) -> list[dict[str, Any]]:
    return [{"day": s.day.isoformat(), "name": s.name, "people": s.people_served} for s in stops]


@transaction.atomic
def trip_create(
    *, actor: Actor, venue: Venue, data: Mapping[str, Any], stops: Sequence[StopInput]
) -> CaravanTrip:
    """A caravan trip with its stops, saved together or not at all."""
    require_venue(actor, venue, Capability.MANAGE_PROGRAMS)
    reject_unknown_fields(data, TRIP_FIELDS)
    trip = CaravanTrip(venue=venue, **data)
    _check_trip(trip, stops)
    trip = create_and_audit(
        actor=actor,
        instance=trip,
        action="trip.create",
        conflict=("title", _("This trip is recorded already.")),
        venue=venue,
    )
    made = _save_stops(trip, stops)
    audit_record(
        actor=actor,
        action="trip.stops",
        target=trip,
        after={"stops": _stops_snapshot(made)},
        venue=venue,
    )
    return trip


@transaction.atomic
def trip_update(
    *,
    actor: Actor,
    trip: CaravanTrip,
    data: Mapping[str, Any],
    stops: Sequence[StopInput] | None = None,
) -> CaravanTrip:
    require_venue(actor, trip.venue, Capability.MANAGE_PROGRAMS)
    reject_unknown_fields(data, TRIP_FIELDS)
    for name, value in data.items():
        setattr(trip, name, value)
    current = list(trip.stops.all())
    if stops is None:
        stops = [
            StopInput(
                day=s.day,
                name=s.name,
                place_kind=s.place_kind,
                school=s.school,
                division=s.division,
                people_served=s.people_served,
                people_approximate=s.people_approximate,
            )
            for s in current
        ]
    _check_trip(trip, stops)
    if data:  # back to the stored values, so that the audit entry shows what changed
        trip.refresh_from_db(fields=list(data))
    trip = apply_changes(
        actor=actor,
        instance=trip,
        data=data,
        allowed=TRIP_FIELDS,
        action="trip.update",
        venue=trip.venue,
    )
    made = _save_stops(trip, stops)
    if _stops_snapshot(made) != _stops_snapshot(current):
        audit_record(
            actor=actor,
            action="trip.stops",
            target=trip,
            before={"stops": _stops_snapshot(current)},
            after={"stops": _stops_snapshot(made)},
            venue=trip.venue,
        )
    return trip


# Theme days, joint actions, their reports -----------------------------------------------------

THEME_DAY_FIELDS = frozenset({"name", "name_en", "kind", "starts_on", "ends_on"})


def _check_dates(item: Any) -> None:
    if item.starts_on and item.ends_on and item.ends_on < item.starts_on:
        raise ApplicationError.for_field("ends_on", _("The end cannot be before the start."))


@transaction.atomic
def theme_day_create(*, actor: Actor, data: Mapping[str, Any]) -> ThemeDay:
    require_national(actor)
    reject_unknown_fields(data, THEME_DAY_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=ThemeDay(**data),
        action="theme_day.create",
        conflict=("name", _("This theme day is in the calendar already.")),
        extra_validation=_check_dates,
    )


CAMPAIGN_FIELDS = frozenset(
    {"name", "name_en", "year", "alliance", "organiser", "starts_on", "ends_on", "description"}
)


def _require_campaign_owner(actor: Actor, alliance: Alliance | None) -> None:
    if alliance is None:
        require_national(actor)
    else:
        require_alliance(actor, alliance, manage=True)


@transaction.atomic
def campaign_create(
    *,
    actor: Actor,
    data: Mapping[str, Any],
    themes: Sequence[tuple[int, str, str]] = (),
) -> Campaign:
    """A joint action of the network (national administrators) or of an alliance (its
    coordinators), with its monthly themes: (month, name, English name)."""
    reject_unknown_fields(data, CAMPAIGN_FIELDS)
    _require_campaign_owner(actor, data.get("alliance"))
    campaign = create_and_audit(
        actor=actor,
        instance=Campaign(**data),
        action="campaign.create",
        conflict=("name", _("This joint action exists already.")),
        alliance=data.get("alliance"),
        extra_validation=_check_dates,
    )
    campaign_themes_set(actor=actor, campaign=campaign, themes=themes)
    return campaign


@transaction.atomic
def campaign_themes_set(
    *, actor: Actor, campaign: Campaign, themes: Sequence[tuple[int, str, str]]
) -> list[CampaignTheme]:
    """Set the monthly themes; a month already used by tagged activities keeps its row."""
    _require_campaign_owner(actor, campaign.alliance)
    fields: dict[str, list[str]] = {}
    seen: set[int] = set()
    for index, (month, name, _name_en) in enumerate(themes):
        if not 1 <= month <= 12:
            fields[f"themes.{index}.month"] = [_("Choose a month from 1 to 12.")]
        elif month in seen:
            fields[f"themes.{index}.month"] = [_("Each month has one theme.")]
        seen.add(month)
        if not name.strip():
            fields[f"themes.{index}.name"] = [_("Name the theme.")]
    if fields:
        raise ApplicationError(_("Please correct the errors below."), fields=fields)
    existing = {theme.month: theme for theme in campaign.themes.all()}
    before = {m: t.name for m, t in existing.items()}
    kept: list[CampaignTheme] = []
    for month, name, name_en in themes:
        theme = existing.pop(month, None) or CampaignTheme(campaign=campaign, month=month)
        theme.name, theme.name_en = name.strip(), name_en.strip()
        theme.save()
        kept.append(theme)
    for theme in existing.values():
        if theme.activities.exists():
            raise ApplicationError.for_field(
                "themes",
                _("Activities are tagged with the theme of month %(m)s; keep it.")
                % {"m": theme.month},
            )
        theme.delete()
    after = {t.month: t.name for t in kept}
    if before != after:
        audit_record(
            actor=actor,
            action="campaign.themes",
            target=campaign,
            before={str(k): v for k, v in before.items()},
            after={str(k): v for k, v in after.items()},
            alliance=campaign.alliance,
        )
    return kept


# Ordered as the form and the API show them.
CAMPAIGN_REPORT_FIELDS = (
    "theme",
    "title",
    "starts_on",
    "ends_on",
    "sites",
    "service_team",
    "on_site",
    "on_site_approximate",
    "online_viewers",
    "online_approximate",
    "note",
)


def _check_campaign_report(report: CampaignReport) -> None:
    _check_dates(report)
    campaign = report.campaign
    if report.theme is not None and report.theme.campaign_id != campaign.pk:
        raise ApplicationError.for_field("theme", _("Choose a theme of this joint action."))
    if campaign.alliance_id is not None:
        from kepu.network.models import Membership
        from kepu.network.selectors import alliance_tree_ids

        members = Membership.objects.filter(
            current_membership_q(),
            alliance_id__in=alliance_tree_ids(campaign.alliance),  # type: ignore[arg-type]
            venue_id=report.venue_id,
        )
        if not members.exists():
            raise ApplicationError.for_field(
                "campaign", _("This venue is not a member of the alliance running this action.")
            )


@transaction.atomic
def campaign_report_create(
    *, actor: Actor, campaign: Campaign, venue: Venue, data: Mapping[str, Any]
) -> CampaignReport:
    """A member unit reports its part of a joint action."""
    require_venue(actor, venue, Capability.MANAGE_PROGRAMS)
    reject_unknown_fields(data, CAMPAIGN_REPORT_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=CampaignReport(campaign=campaign, venue=venue, **data),
        action="campaign_report.create",
        conflict=("title", _("This report exists already.")),
        venue=venue,
        extra_validation=_check_campaign_report,
    )


@transaction.atomic
def campaign_report_update(
    *, actor: Actor, report: CampaignReport, data: Mapping[str, Any]
) -> CampaignReport:
    require_venue(actor, report.venue, Capability.MANAGE_PROGRAMS)
    return apply_changes(
        actor=actor,
        instance=report,
        data=data,
        allowed=CAMPAIGN_REPORT_FIELDS,
        action="campaign_report.update",
        venue=report.venue,
        extra_validation=_check_campaign_report,
    )


COMPETITION_FIELDS = frozenset(
    {
        "name",
        "kind",
        "role",
        "level",
        "starts_on",
        "ends_on",
        "regions",
        "organisations",
        "sessions_held",
        "participants",
        "participants_approximate",
        "results",
    }
)


@transaction.atomic
def competition_create(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> Competition:
    require_venue(actor, venue, Capability.MANAGE_PROGRAMS)
    reject_unknown_fields(data, COMPETITION_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=Competition(venue=venue, **data),
        action="competition.create",
        conflict=("name", _("This competition is recorded already.")),
        venue=venue,
        extra_validation=_check_dates,
    )


@transaction.atomic
def competition_update(
    *, actor: Actor, competition: Competition, data: Mapping[str, Any]
) -> Competition:
    require_venue(actor, competition.venue, Capability.MANAGE_PROGRAMS)
    return apply_changes(
        actor=actor,
        instance=competition,
        data=data,
        allowed=COMPETITION_FIELDS,
        action="competition.update",
        venue=competition.venue,
        extra_validation=_check_dates,
    )


# In the order the form and the API show them.
EXHIBITION_FIELDS = (
    "title",
    "title_en",
    "kind",
    "hall",
    "starts_on",
    "ends_on",
    "partners",
    "visitors",
    "visitors_approximate",
    "description",
)


def _check_exhibition(exhibition: Exhibition) -> None:
    _check_dates(exhibition)
    if exhibition.hall is not None and exhibition.hall.venue_id != exhibition.venue_id:
        raise ApplicationError.for_field("hall", _("Choose a hall of this venue."))


@transaction.atomic
def exhibition_save(
    *,
    actor: Actor,
    venue: Venue,
    data: Mapping[str, Any],
    exhibition: Exhibition | None = None,
) -> Exhibition:
    """Record a special exhibition of the venue, or change one (``exhibition`` given)."""
    require_venue(actor, venue, Capability.MANAGE_PROGRAMS)
    if exhibition is None:
        reject_unknown_fields(data, EXHIBITION_FIELDS)
        return create_and_audit(
            actor=actor,
            instance=Exhibition(venue=venue, **data),
            action="exhibition.create",
            conflict=("title", _("This exhibition is recorded already.")),
            venue=venue,
            extra_validation=_check_exhibition,
        )
    if exhibition.venue_id != venue.pk:
        raise ApplicationError.for_field("venue", _("This exhibition belongs to another venue."))
    return apply_changes(
        actor=actor,
        instance=exhibition,
        data=data,
        allowed=EXHIBITION_FIELDS,
        action="exhibition.update",
        venue=venue,
        extra_validation=_check_exhibition,
    )

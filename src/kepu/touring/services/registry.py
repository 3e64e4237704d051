"""Rotation regions, themes, touring sets with their exhibits and maintenance, host venues with
their hosting dates, and road distances: every change validated, in one transaction, audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record
from kepu.core.errors import ApplicationError, PermissionDeniedError
from kepu.core.scopes import Capability, require_venue, scope_for
from kepu.core.services import apply_changes, create_and_audit, reject_unknown_fields
from kepu.network.models import Venue
from kepu.touring.access import require_region
from kepu.touring.models import (
    Exhibit,
    ExhibitionSet,
    HostAvailability,
    HostVenue,
    MaintenancePeriod,
    RoadDistance,
    RotationRegion,
    Theme,
)
from kepu.touring.planning.distances import MatrixError, read_distance_csv

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None


def _check_dates(item: Any) -> None:
    if item.starts_on and item.ends_on and item.ends_on < item.starts_on:
        raise ApplicationError.for_field("ends_on", _("The end cannot be before the start."))


def in_region(region: RotationRegion, venue: Venue) -> bool:
    """Whether the venue lies in the region's administrative division."""
    code = region.division_id
    prefix = code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
    return venue.division_id.startswith(prefix)


# Regions and themes -----------------------------------------------------------------------------

REGION_FIELDS = frozenset(
    {
        "name",
        "name_en",
        "coordinator",
        "alliance",
        "division",
        "repeat_years",
        "road_factor",
        "periods_per_year",
        "period_weeks",
        "first_month",
        "gap_days",
        "weighting",
        "description",
    }
)


@transaction.atomic
def region_create(*, actor: Actor, data: Mapping[str, Any]) -> RotationRegion:
    """A rotation region, set up by the manager of its coordinating venue (or nationally)."""
    reject_unknown_fields(data, REGION_FIELDS)
    coordinator = data.get("coordinator")
    if coordinator is None:
        raise ApplicationError.for_field("coordinator", _("Choose the coordinating venue."))
    require_venue(actor, coordinator, Capability.PLAN_TOURING)
    return create_and_audit(
        actor=actor,
        instance=RotationRegion(**data),
        action="region.create",
        conflict=("name", _("A region of this name exists already.")),
        venue=coordinator,
    )


@transaction.atomic
def region_update(
    *, actor: Actor, region: RotationRegion, data: Mapping[str, Any]
) -> RotationRegion:
    require_region(actor, region, plan=True)
    return apply_changes(
        actor=actor,
        instance=region,
        data=data,
        allowed=REGION_FIELDS - {"coordinator"},
        action="region.update",
        venue=region.coordinator,
    )


def require_touring_somewhere(actor: Actor) -> None:
    """The shared list of themes is kept by anyone who plans touring somewhere."""
    scope = scope_for(actor)
    if scope.is_national or scope.coordinated_alliance_ids:
        return
    if not any(Capability.PLAN_TOURING in caps for caps in scope.venue_capabilities.values()):
        raise PermissionDeniedError()


@transaction.atomic
def theme_create(*, actor: Actor, name: str, name_en: str = "", description: str = "") -> Theme:
    require_touring_somewhere(actor)
    return create_and_audit(
        actor=actor,
        instance=Theme(name=name.strip(), name_en=name_en.strip(), description=description),
        action="theme.create",
        conflict=("name", _("A theme of this name exists already.")),
    )


def themes_by_name(*, actor: Actor, names: Iterable[str]) -> list[Theme]:
    """The themes of these names, added to the list when they are new."""
    found = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        theme = Theme.objects.filter(name=name).first()
        found.append(theme or theme_create(actor=actor, name=name))
    return found


# Touring sets -----------------------------------------------------------------------------------

# A set's editable fields, in the order forms and the API show them.
SET_FIELDS = (
    "code",
    "name",
    "name_en",
    "owner",
    "base",
    "location",
    "floor_area_m2",
    "status",
    "description",
)


def _check_set(item: ExhibitionSet) -> None:
    if item.floor_area_m2 is not None and Decimal(item.floor_area_m2) <= 0:
        raise ApplicationError.for_field(
            "floor_area_m2", _("The floor area must be greater than zero.")
        )


def _set_themes(actor: Actor, item: ExhibitionSet, themes: Sequence[Theme]) -> None:
    before = sorted(item.themes.values_list("name", flat=True))
    if not themes:
        raise ApplicationError.for_field("themes", _("A set carries at least one theme."))
    item.themes.set(themes)
    after = sorted(theme.name for theme in themes)
    if before != after:
        audit_record(
            actor=actor,
            action="set.themes",
            target=item,
            before={"themes": before},
            after={"themes": after},
            venue=item.venue,
        )


@transaction.atomic
def set_create(
    *,
    actor: Actor,
    region: RotationRegion,
    data: Mapping[str, Any],
    themes: Sequence[Theme],
) -> ExhibitionSet:
    """A touring set of the region, managed by the region's coordinating venue."""
    require_region(actor, region, plan=True)
    reject_unknown_fields(data, SET_FIELDS)
    values = {"base": region.coordinator, **data}
    item = create_and_audit(
        actor=actor,
        instance=ExhibitionSet(region=region, venue=region.coordinator, **values),
        action="set.create",
        conflict=("code", _("The region has a set with this code already.")),
        venue=region.coordinator,
        extra_validation=_check_set,
    )
    _set_themes(actor, item, themes)
    return item


@transaction.atomic
def set_update(
    *,
    actor: Actor,
    item: ExhibitionSet,
    data: Mapping[str, Any],
    themes: Sequence[Theme] | None = None,
) -> ExhibitionSet:
    require_region(actor, item.region, plan=True)
    item = apply_changes(
        actor=actor,
        instance=item,
        data=data,
        allowed=SET_FIELDS,
        action="set.update",
        venue=item.venue,
        extra_validation=_check_set,
    )
    if themes is not None:
        _set_themes(actor, item, themes)
    return item


@dataclass(frozen=True)
class ExhibitInput:
    name: str
    weight_kg: Decimal
    floor_area_m2: Decimal
    crates: int = 1
    name_en: str = ""


def _recount(item: ExhibitionSet) -> None:
    """The set's totals from its exhibits; the floor area it needs is theirs when recorded."""
    totals = item.exhibits.aggregate(
        count=Count("id"), crates=Sum("crates"), weight=Sum("weight_kg"), area=Sum("floor_area_m2")
    )
    item.exhibit_count = totals["count"] or 0
    item.crates = totals["crates"] or 0
    item.weight_kg = totals["weight"] or Decimal(0)
    fields = ["exhibit_count", "crates", "weight_kg"]
    if totals["area"]:
        item.floor_area_m2 = totals["area"]
        fields.append("floor_area_m2")
    item.save(update_fields=fields)


@transaction.atomic
def exhibits_add(
    *, actor: Actor, item: ExhibitionSet, exhibits: Sequence[ExhibitInput]
) -> list[Exhibit]:
    """Add exhibits to a set (one audit entry for the batch); the set's totals follow."""
    require_region(actor, item.region, plan=True)
    fields: dict[str, list[str]] = {}
    names = set(item.exhibits.values_list("name", flat=True))
    for index, exhibit in enumerate(exhibits):
        if not exhibit.name.strip():
            fields[f"exhibits.{index}.name"] = [_("Name the exhibit.")]
        elif exhibit.name.strip() in names:
            fields[f"exhibits.{index}.name"] = [_("The set has an exhibit of this name already.")]
        names.add(exhibit.name.strip())
        if exhibit.weight_kg < 0 or exhibit.floor_area_m2 < 0 or exhibit.crates < 0:
            fields[f"exhibits.{index}.weight_kg"] = [_("Cannot be negative.")]
    if fields:
        raise ApplicationError(_("Please correct the errors below."), fields=fields)
    made = Exhibit.objects.bulk_create(
        Exhibit(
            set=item,
            venue=item.venue,
            name=exhibit.name.strip(),
            name_en=exhibit.name_en.strip(),
            crates=exhibit.crates,
            weight_kg=exhibit.weight_kg,
            floor_area_m2=exhibit.floor_area_m2,
        )
        for exhibit in exhibits
    )
    _recount(item)
    audit_record(
        actor=actor,
        action="set.exhibits_add",
        target=item,
        after={"added": [exhibit.name for exhibit in made], "exhibits": item.exhibit_count},
        venue=item.venue,
    )
    return made


@transaction.atomic
def exhibit_remove(*, actor: Actor, exhibit: Exhibit) -> None:
    item = exhibit.set
    require_region(actor, item.region, plan=True)
    audit_record(
        actor=actor,
        action="set.exhibit_remove",
        target=item,
        before={"removed": exhibit.name},
        venue=item.venue,
    )
    exhibit.delete()
    _recount(item)


MAINTENANCE_FIELDS = frozenset({"starts_on", "ends_on", "reason"})


@transaction.atomic
def maintenance_add(
    *, actor: Actor, item: ExhibitionSet, data: Mapping[str, Any]
) -> MaintenancePeriod:
    require_region(actor, item.region, plan=True)
    reject_unknown_fields(data, MAINTENANCE_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=MaintenancePeriod(set=item, venue=item.venue, **data),
        action="set.maintenance_add",
        conflict=("starts_on", _("This maintenance period is recorded already.")),
        venue=item.venue,
        extra_validation=_check_dates,
    )


@transaction.atomic
def maintenance_remove(*, actor: Actor, period: MaintenancePeriod) -> None:
    require_region(actor, period.set.region, plan=True)
    audit_record(
        actor=actor,
        action="set.maintenance_remove",
        target=period.set,
        before={"starts_on": str(period.starts_on), "ends_on": str(period.ends_on)},
        venue=period.venue,
    )
    period.delete()


# Host venues ------------------------------------------------------------------------------------

# A host venue's editable fields (besides the venue itself, chosen once), in display order.
HOST_FIELDS = ("hall_area_m2", "population_10k", "priority", "is_active", "note")


def _check_host(host: HostVenue) -> None:
    if host.venue_id is not None and not in_region(host.region, host.venue):
        raise ApplicationError.for_field(
            "venue", _("Choose a venue inside the region's administrative division.")
        )


@transaction.atomic
def host_create(
    *, actor: Actor, region: RotationRegion, venue: Venue, data: Mapping[str, Any]
) -> HostVenue:
    """A venue of the region joins the rotation with the hall area it offers the sets."""
    require_region(actor, region, plan=True)
    reject_unknown_fields(data, HOST_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=HostVenue(region=region, venue=venue, **data),
        action="host.create",
        conflict=("venue", _("This venue hosts in the region already.")),
        venue=venue,
        extra_validation=_check_host,
    )


@transaction.atomic
def host_update(*, actor: Actor, host: HostVenue, data: Mapping[str, Any]) -> HostVenue:
    require_region(actor, host.region, plan=True)
    return apply_changes(
        actor=actor,
        instance=host,
        data=data,
        allowed=HOST_FIELDS,
        action="host.update",
        venue=host.venue,
    )


AVAILABILITY_FIELDS = frozenset({"starts_on", "ends_on", "note"})


@transaction.atomic
def availability_add(*, actor: Actor, host: HostVenue, data: Mapping[str, Any]) -> HostAvailability:
    """Dates the host can take a set."""
    require_region(actor, host.region, plan=True)
    reject_unknown_fields(data, AVAILABILITY_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=HostAvailability(host=host, venue=host.venue, **data),
        action="host.availability_add",
        conflict=("starts_on", _("These dates are recorded already.")),
        venue=host.venue,
        extra_validation=_check_dates,
    )


@transaction.atomic
def availability_remove(*, actor: Actor, availability: HostAvailability) -> None:
    require_region(actor, availability.host.region, plan=True)
    audit_record(
        actor=actor,
        action="host.availability_remove",
        target=availability.host,
        before={"starts_on": str(availability.starts_on), "ends_on": str(availability.ends_on)},
        venue=availability.venue,
    )
    availability.delete()


# Road distances ---------------------------------------------------------------------------------


def _matrix_message(error: MatrixError) -> str:
    reasons = {
        "empty": _("The file is empty."),
        "columns": _("Line %(line)s: expected from, to and km."),
        "unknown_place": _(
            "Line %(line)s: %(value)s is not a host venue or workshop of the region."
        ),
        "not_km": _("Line %(line)s: %(value)s is not a number of kilometres."),
    }
    return reasons[error.code] % {"line": error.line, "value": error.value}


@transaction.atomic
def distances_import(*, actor: Actor, region: RotationRegion, text: str) -> int:
    """Replace the region's road distances with those of a CSV file (``from,to,km`` lines or a
    square table); places are named by venue id or name. All or nothing."""
    require_region(actor, region, plan=True)
    venues = {host.venue for host in region.hosts.select_related("venue")}
    for item in region.sets.select_related("base", "location"):
        venues |= {item.base, *([item.location] if item.location else [])}
    by_key: dict[str, Venue] = {}
    for venue in venues:
        by_key[str(venue.pk)] = venue
        by_key[venue.name] = venue
    try:
        pairs = read_distance_csv(text, by_key)
    except MatrixError as error:
        raise ApplicationError.for_field("file", _matrix_message(error)) from error
    rows = {}
    for (origin, destination), km in pairs.items():
        a, b = by_key[origin], by_key[destination]
        if a.pk != b.pk:
            rows[(a.pk, b.pk)] = RoadDistance(
                region=region, origin=a, destination=b, km=Decimal(str(round(km, 1)))
            )
    before = region.road_distances.count()
    region.road_distances.all().delete()
    RoadDistance.objects.bulk_create(rows.values(), batch_size=500)
    audit_record(
        actor=actor,
        action="region.distances_import",
        target=region,
        before={"pairs": before},
        after={"pairs": len(rows)},
        venue=region.coordinator,
    )
    return len(rows)

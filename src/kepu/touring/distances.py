"""Kilometres between venues of a rotation region: the road distance imported for the pair, or
the great-circle distance times the region's road factor."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from kepu.network.models import Venue
from kepu.touring.models import CaravanRequest, RoadDistance, RotationRegion, venue_coordinates
from kepu.touring.planning.distances import DistanceTable, Place, great_circle_km


def place_of(venue: Venue, key: str | None = None) -> Place | None:
    found = venue_coordinates(venue)
    if found is None:
        return None
    return Place(key or str(venue.pk), found[0], found[1])


class RegionDistances:
    """Kilometres between any two venues of the region, loaded once."""

    def __init__(self, region: RotationRegion) -> None:
        self.factor = float(region.road_factor)
        self.known = {
            (origin, destination): float(km)
            for origin, destination, km in RoadDistance.objects.filter(region=region).values_list(
                "origin_id", "destination_id", "km"
            )
        }

    def km(self, a: Venue, b: Venue) -> tuple[Decimal, bool]:
        """(kilometres, estimated?) — 0 and not estimated for the same venue."""
        if a.pk == b.pk:
            return Decimal(0), False
        imported = self.known.get((a.pk, b.pk), self.known.get((b.pk, a.pk)))
        if imported is not None:
            return Decimal(str(round(imported, 1))), False
        first, second = place_of(a), place_of(b)
        if first is None or second is None:
            return Decimal(0), True
        return Decimal(str(round(great_circle_km(first, second) * self.factor, 1))), True

    def whole_km(self, a: Venue, b: Venue) -> int:
        """Kilometres as the planner counts them (whole kilometres, rounded the same way)."""
        if a.pk == b.pk:
            return 0
        first, second = place_of(a), place_of(b)
        if first is None or second is None:
            return 0
        return self.table([first, second])(0, 1)

    def table(self, places: Sequence[Place]) -> DistanceTable:
        """A table for the planners over places keyed by venue id."""
        known = {(str(a), str(b)): km for (a, b), km in self.known.items()}
        return DistanceTable(places, road_factor=self.factor, known=known)


def request_place(request: CaravanRequest) -> Place | None:
    """Where the request is: its own coordinates, else its division's."""
    if request.latitude is not None and request.longitude is not None:
        return Place(f"r{request.pk}", float(request.latitude), float(request.longitude))
    division = request.division
    if division.latitude is not None and division.longitude is not None:
        return Place(f"r{request.pk}", float(division.latitude), float(division.longitude))
    return None

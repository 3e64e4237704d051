"""Road distances between places: great-circle distance times a road factor, unless a distance
imported from a file (a matrix of road kilometres) is known for the pair."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
DEFAULT_ROAD_FACTOR = 1.3  # roads in China's counties run about 30 % longer than the crow flies


@dataclass(frozen=True)
class Place:
    """A point on the map; ``key`` names it in imported matrices (a venue id, a request id …)."""

    key: str
    latitude: float
    longitude: float


def great_circle_km(a: Place, b: Place) -> float:
    """The haversine distance on the mean Earth sphere."""
    phi1, phi2 = math.radians(a.latitude), math.radians(b.latitude)
    d_phi = phi2 - phi1
    d_lambda = math.radians(b.longitude - a.longitude)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class DistanceTable:
    """Kilometres between the places, as whole kilometres for the solvers.

    ``known`` holds road distances imported for pairs of keys (either direction); every other
    pair is the great-circle distance times ``road_factor``.
    """

    places: Sequence[Place]
    road_factor: float = DEFAULT_ROAD_FACTOR
    known: Mapping[tuple[str, str], float] = field(default_factory=dict)
    from_matrix: int = 0
    estimated: int = 0

    def __post_init__(self) -> None:
        size = len(self.places)
        self.km: list[list[int]] = [[0] * size for _ in range(size)]
        for i in range(size):
            for j in range(i + 1, size):
                value = self._pair(self.places[i], self.places[j])
                self.km[i][j] = self.km[j][i] = value

    def _pair(self, a: Place, b: Place) -> int:
        imported = self.known.get((a.key, b.key), self.known.get((b.key, a.key)))
        if imported is not None:
            self.from_matrix += 1
            return round(imported)
        self.estimated += 1
        if (a.latitude, a.longitude) == (b.latitude, b.longitude):
            return 0
        return max(1, round(great_circle_km(a, b) * self.road_factor))

    def __call__(self, i: int, j: int) -> int:
        return self.km[i][j]

    @property
    def source(self) -> str:
        """ "matrix", "estimate" or "mixed": where the kilometres came from."""
        if self.from_matrix and self.estimated:
            return "mixed"
        return "matrix" if self.from_matrix else "estimate"


class MatrixError(ValueError):
    """A distance file that cannot be read: ``code`` says why ("empty", "columns",
    "unknown_place", "not_km"), ``line`` where (1-based; 0 for the whole file), ``value`` what."""

    def __init__(self, code: str, line: int = 0, value: str = "") -> None:
        super().__init__(f"{code} at line {line}: {value}")
        self.code = code
        self.line = line
        self.value = value


def read_distance_csv(text: str, keys: Iterable[str]) -> dict[tuple[str, str], float]:
    """Road kilometres from a CSV file, in either of the two shapes people keep them in:

    * a list: a header ``from,to,km`` and one pair per line;
    * a square table: the first row and the first column name the places.

    Places are named by ``keys`` (venue ids or names, as the caller maps them). A value that is
    not a non-negative number, or a place not in ``keys``, is an error with its line.
    """
    wanted = set(keys)
    rows = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(row)]
    if not rows:
        raise MatrixError("empty")
    header = [cell.strip().lower() for cell in rows[0]]
    found: dict[tuple[str, str], float] = {}
    if header[:3] == ["from", "to", "km"]:
        for number, row in enumerate(rows[1:], start=2):
            if len(row) < 3:
                raise MatrixError("columns", number)
            found[_pair(row[0], row[1], wanted, number)] = _km(row[2], number)
        return found
    columns = [cell.strip() for cell in rows[0][1:]]
    for name in columns:
        if name not in wanted:
            raise MatrixError("unknown_place", 1, name)
    for number, row in enumerate(rows[1:], start=2):
        origin = row[0].strip()
        for destination, cell in zip(columns, row[1:], strict=False):
            if cell.strip() and destination != origin:
                found[_pair(origin, destination, wanted, number)] = _km(cell, number)
    return found


def _pair(origin: str, destination: str, wanted: set[str], line: int) -> tuple[str, str]:
    origin, destination = origin.strip(), destination.strip()
    for name in (origin, destination):
        if name not in wanted:
            raise MatrixError("unknown_place", line, name)
    return origin, destination


def _km(text: str, line: int) -> float:
    try:
        value = float(text.strip())
    except ValueError as error:
        raise MatrixError("not_km", line, text.strip()) from error
    if not math.isfinite(value) or value < 0:
        raise MatrixError("not_km", line, text.strip())
    return value

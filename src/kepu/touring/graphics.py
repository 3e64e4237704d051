"""Geometry for the coordinator's map and timeline, drawn as SVG on the server: no tiles, no
scripts, nothing fetched from the internet.

The map projects longitude and latitude onto the page (equirectangular, longitude scaled by the
cosine of the middle latitude, which is faithful enough across one province); the timeline lays
the year out left to right.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


@dataclass
class MapPoint:
    key: int
    label: str
    latitude: float
    longitude: float
    kind: str = "host"  # "host", "served", "unserved", "workshop", "depot"
    x: float = 0.0
    y: float = 0.0
    number: str = ""


@dataclass
class MapRoute:
    label: str
    colour: str
    keys: Sequence[int]  # the points it passes, in order
    path: str = ""


@dataclass
class MapDrawing:
    width: int
    height: int
    points: list[MapPoint]
    routes: list[MapRoute] = field(default_factory=list)


def draw_map(
    points: Sequence[MapPoint], routes: Sequence[MapRoute], width: int = 720
) -> MapDrawing:
    """Place the points on a ``width``-wide drawing (room on the right for the names) and turn
    each route into an SVG path."""
    if not points:
        return MapDrawing(width, 200, [], [])
    left, right, top = 24, 130, 28
    latitudes = [point.latitude for point in points]
    longitudes = [point.longitude for point in points]
    middle = math.radians((min(latitudes) + max(latitudes)) / 2)
    span_x = max(0.05, (max(longitudes) - min(longitudes)) * math.cos(middle))
    span_y = max(0.05, max(latitudes) - min(latitudes))
    scale = min((width - left - right) / span_x, 560 / span_y)
    height = int(span_y * scale + 2 * top)
    by_key: dict[int, MapPoint] = {}
    for point in points:
        point.x = round(left + (point.longitude - min(longitudes)) * math.cos(middle) * scale, 1)
        point.y = round(top + (max(latitudes) - point.latitude) * scale, 1)
        by_key[point.key] = point
    drawn = []
    for route in routes:
        steps = [by_key[key] for key in route.keys if key in by_key]
        if len(steps) < 2:
            continue
        route.path = "M " + " L ".join(f"{step.x},{step.y}" for step in steps)
        drawn.append(route)
    return MapDrawing(width, max(height, 200), list(points), drawn)


@dataclass
class Bar:
    label: str
    title: str
    starts_on: date
    ends_on: date
    status: str
    x: float = 0.0
    width: float = 0.0
    url: str = ""


@dataclass
class Row:
    label: str
    colour: str
    bars: list[Bar]
    y: float = 0.0


@dataclass
class Timeline:
    start: date
    end: date
    width: int  # of the drawing, labels included
    height: int
    rows: list[Row]
    months: list[tuple[float, str]]
    label_width: int = 80


ROW_HEIGHT = 26
TOP = 22


def draw_timeline(start: date, end: date, rows: Sequence[Row], width: int = 980) -> Timeline:
    """Bars from ``start`` to ``end`` across ``width`` (less the label column), a row each."""
    label_width = 80
    span = width - label_width - 10
    days = (end - start).days + 1

    def x_of(day: date) -> float:
        return round(label_width + max(0, min(days, (day - start).days)) * span / days, 1)

    for index, row in enumerate(rows):
        row.y = TOP + index * ROW_HEIGHT
        for bar in row.bars:
            bar.x = x_of(bar.starts_on)
            bar.width = max(2.0, round(x_of(bar.ends_on) - bar.x + span / days, 1))
    months = []
    day = date(start.year, start.month, 1)
    while day <= end:
        if day >= start:
            months.append((x_of(day), date_format(day, "M")))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    height = TOP + len(rows) * ROW_HEIGHT + 6
    return Timeline(start, end, width, height, list(rows), months, label_width)

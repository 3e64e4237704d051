"""The indicator registry: named figures computed from the records for venues and a period.

Every value carries its provenance (which records, how many) and whether any record behind it was
marked approximate. Each source below reads one kind of record for *all* the venues asked for in
one or two grouped queries, so a network of a thousand venues costs the same number of queries as
one venue. Roll-ups (an alliance, the network) add the venues' values up, except where adding is
wrong (a peak day, distinct partner schools, growth), which have queries of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.network.models import CalendarException, Hall, HallKind, OpeningPattern, Venue
from kepu.network.opening import OpeningCalendar
from kepu.programs.models import (
    AT_VENUE,
    ActivityType,
    CaravanTrip,
    Exhibition,
    Partnership,
    PlaceKind,
    Session,
    SessionStatus,
    TripStop,
)
from kepu.programs.selectors import local_range, partnerships_in_force
from kepu.stats.models import STOCK_KEYS, ManualFigure, ManualKey
from kepu.stats.periods import Period
from kepu.visits.models import DailyAttendance

Number = int | Decimal


@dataclass
class Value:
    """One indicator's value for one venue (or a roll-up) and period."""

    value: Number | None = None
    approximate: bool = False
    source: str = ""
    records: int = 0
    manual: bool = False
    on: date | None = None  # the day of a peak
    parts: dict[str, Value] | None = None  # a breakdown, e.g. by activity type

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "value": _json_number(self.value),
            "approximate": self.approximate,
            "source": self.source,
        }
        if self.manual:
            data["manual"] = True
        if self.on is not None:
            data["date"] = self.on.isoformat()
        if self.parts is not None:
            data["parts"] = {key: part.as_json() for key, part in self.parts.items()}
        return data


def _json_number(value: Number | None) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Promise
    unit: str  # visits, days, sessions, people, km, cny, m2, count, percent
    group: str  # visits, programmes, outreach, caravan, schools, resources, staff, media
    combine: str = "sum"  # sum: a roll-up adds the venues up; other: computed on its own
    manual: bool = False

    @property
    def is_breakdown(self) -> bool:
        return self.key.endswith("_by_type")


INDICATORS: dict[str, Indicator] = {
    indicator.key: indicator
    for indicator in (
        Indicator("visits_total", gettext_lazy("Visits"), "visits", "visits"),
        Indicator("visits_peak_day", gettext_lazy("Peak day"), "visits", "visits", "peak"),
        Indicator("open_days", gettext_lazy("Open days"), "days", "visits", "none"),
        Indicator(
            "visits_yoy_pct",
            gettext_lazy("Visits, year-over-year growth"),
            "percent",
            "visits",
            "growth",
        ),
        Indicator("sessions_total", gettext_lazy("Activity sessions"), "sessions", "programmes"),
        Indicator("participants_total", gettext_lazy("Participants"), "people", "programmes"),
        Indicator(
            "sessions_by_type",
            gettext_lazy("Sessions by type of activity"),
            "sessions",
            "programmes",
        ),
        Indicator(
            "participants_by_type",
            gettext_lazy("Participants by type of activity"),
            "people",
            "programmes",
        ),
        Indicator("outreach_sessions", gettext_lazy("Outreach sessions"), "sessions", "outreach"),
        Indicator(
            "outreach_participants", gettext_lazy("Outreach participants"), "people", "outreach"
        ),
        Indicator(
            "theme_day_sessions", gettext_lazy("Theme-day sessions"), "sessions", "programmes"
        ),
        Indicator(
            "theme_day_participants", gettext_lazy("Theme-day participants"), "people", "programmes"
        ),
        Indicator("online_viewers", gettext_lazy("Online viewers"), "people", "programmes"),
        Indicator("caravan_trips", gettext_lazy("Caravan trips"), "count", "caravan"),
        Indicator("caravan_km", gettext_lazy("Caravan kilometres"), "km", "caravan"),
        Indicator(
            "caravan_people", gettext_lazy("People served by the caravan"), "people", "caravan"
        ),
        Indicator(
            "partner_schools", gettext_lazy("Partner schools"), "count", "schools", "distinct"
        ),
        Indicator("st_workers", gettext_lazy("S&T workers taking part"), "people", "programmes"),
        Indicator(
            "staff_fulltime", gettext_lazy("Full-time staff"), "people", "staff", manual=True
        ),
        Indicator(
            "staff_parttime", gettext_lazy("Part-time staff"), "people", "staff", manual=True
        ),
        Indicator("funding_cny", gettext_lazy("Funding"), "cny", "staff", manual=True),
        Indicator("media_posts", gettext_lazy("Media posts"), "count", "media", manual=True),
        Indicator("media_reads", gettext_lazy("Media reads"), "count", "media", manual=True),
        Indicator("exhibitions_count", gettext_lazy("Special exhibitions"), "count", "resources"),
        Indicator("permanent_halls", gettext_lazy("Permanent halls"), "count", "resources"),
        Indicator("exhibition_area_m2", gettext_lazy("Exhibition area"), "m2", "resources"),
    )
}

KEYS: tuple[str, ...] = tuple(INDICATORS)
Figures = dict[str, Value]


def _flag(field_name: str) -> Max:
    return Max(Cast(field_name, IntegerField()))


def _span(period: Period) -> str:
    return f"{period.start.isoformat()}..{period.end.isoformat()}"


# Sources: each fills some keys for every venue asked for ----------------------------------------


def _attendance(venue_ids: Sequence[int], period: Period, out: dict[int, Figures]) -> None:
    rows = (
        DailyAttendance.objects.filter(
            venue_id__in=venue_ids, date__gte=period.start, date__lte=period.end
        )
        .order_by()
        .values("venue_id")
        .annotate(visits=Sum("visits"), records=Count("id"), approximate=_flag("approximate"))
    )
    totals = {row["venue_id"]: row for row in rows}
    # Each venue's busiest day: the first entry of the attendance_peak index, one lookup a venue.
    top = (
        DailyAttendance.objects.filter(
            venue_id=OuterRef("pk"), date__gte=period.start, date__lte=period.end
        )
        .order_by("-visits", "date")
        .values("id")[:1]
    )
    top_ids = [
        pk
        for pk in Venue.objects.filter(pk__in=venue_ids)
        .order_by()
        .annotate(top=Subquery(top))
        .values_list("top", flat=True)
        if pk is not None
    ]
    peaks = {
        row["venue_id"]: row
        for row in DailyAttendance.objects.filter(pk__in=top_ids)
        .order_by()
        .values("venue_id", "date", "visits", "approximate")
    }
    span = _span(period)
    # Translated once per call, not once per venue.
    recorded = _("%(count)s daily attendance records %(span)s")
    busiest = _("the busiest of %(count)s daily attendance records %(span)s")
    unrecorded = _("no attendance recorded %(span)s") % {"span": span}
    for venue_id in venue_ids:
        row = totals.get(venue_id)
        count = row["records"] if row else 0
        out[venue_id]["visits_total"] = Value(
            value=row["visits"] if row else 0,
            approximate=bool(row and row["approximate"]),
            records=count,
            source=recorded % {"count": count, "span": span},
        )
        peak = peaks.get(venue_id)
        out[venue_id]["visits_peak_day"] = (
            Value(
                value=peak["visits"],
                on=peak["date"],
                approximate=bool(peak["approximate"]),
                records=count,
                source=busiest % {"count": count, "span": span},
            )
            if peak
            else Value(source=unrecorded)
        )


def _growth(
    venue_ids: Sequence[int], period: Period, out: dict[int, Figures]
) -> dict[int, Figures]:
    """Visits against the same span a year earlier; returns the earlier totals (a roll-up
    adds them up instead of reading them again)."""
    earlier = period.year_earlier()
    before: dict[int, Figures] = {venue_id: {} for venue_id in venue_ids}
    _attendance_totals_only(venue_ids, earlier, before)
    wording = growth_wording()
    for venue_id in venue_ids:
        now = out[venue_id]["visits_total"]
        then = before[venue_id]["visits_total"]
        out[venue_id]["visits_yoy_pct"] = growth_value(now, then, period, earlier, wording)
    return before


def _attendance_totals_only(
    venue_ids: Sequence[int], period: Period, out: dict[int, Figures]
) -> None:
    rows = {
        row["venue_id"]: row
        for row in DailyAttendance.objects.filter(
            venue_id__in=venue_ids, date__gte=period.start, date__lte=period.end
        )
        .order_by()
        .values("venue_id")
        .annotate(visits=Sum("visits"), records=Count("id"), approximate=_flag("approximate"))
    }
    for venue_id in venue_ids:
        row = rows.get(venue_id)
        out[venue_id]["visits_total"] = Value(
            value=row["visits"] if row else 0,
            approximate=bool(row and row["approximate"]),
            records=row["records"] if row else 0,
        )


def growth_pct(now: Number | None, then: Number | None) -> Decimal | None:
    if now is None or not then:
        return None
    return ((Decimal(now) - Decimal(then)) * 100 / Decimal(then)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def growth_wording() -> tuple[str, str]:
    """The two sources a growth figure can have (none to compare with, the comparison),
    translated: a source of many venues translates them once and passes them on."""
    return (
        _("no visits recorded %(span)s to compare with"),
        _("%(now)s visits %(span)s against %(then)s visits %(earlier)s"),
    )


def growth_value(
    now: Value,
    then: Value,
    period: Period,
    earlier: Period,
    wording: tuple[str, str] | None = None,
) -> Value:
    nothing_to_compare, compared = wording or growth_wording()
    pct = growth_pct(now.value, then.value) if then.records else None
    if pct is None:
        return Value(
            approximate=now.approximate or then.approximate,
            source=nothing_to_compare % {"span": _span(earlier)},
        )
    return Value(
        value=pct,
        approximate=now.approximate or then.approximate,
        records=now.records + then.records,
        source=compared
        % {
            "now": now.value,
            "span": _span(period),
            "then": then.value,
            "earlier": _span(earlier),
        },
    )


def _calendar(venue_ids: Sequence[int], period: Period, out: dict[int, Figures]) -> None:
    venues = Venue.objects.filter(pk__in=venue_ids).only("id", "opened_on")
    patterns: dict[int, list[OpeningPattern]] = defaultdict(list)
    for pattern in OpeningPattern.objects.filter(
        venue_id__in=venue_ids, valid_from__lte=period.end
    ):
        patterns[pattern.venue_id].append(pattern)
    exceptions: dict[int, list[CalendarException]] = defaultdict(list)
    for exception in CalendarException.objects.filter(
        venue_id__in=venue_ids, starts_on__lte=period.end, ends_on__gte=period.start
    ):
        exceptions[exception.venue_id].append(exception)
    # Venues with the same weekly patterns and no exceptions of their own share one answer.
    memo: dict[tuple[Any, ...], Any] = {}
    # Translated once per call, not once per venue.
    counted = _("%(count)s open days from the opening calendar %(start)s..%(end)s")
    holidays_unknown = _("(the statutory holidays of %(years)s are not yet known)")
    for venue in venues:
        mine = patterns.get(venue.pk, [])
        theirs = exceptions.get(venue.pk, [])
        key = _calendar_key(venue, mine, theirs, period)
        if key not in memo:
            memo[key] = OpeningCalendar(venue, mine, theirs).summary(period.start, period.end)
        summary = memo[key]
        note = ""
        if summary.unknown_holiday_years:
            note = " " + holidays_unknown % {
                "years": ", ".join(str(y) for y in summary.unknown_holiday_years)
            }
        out[venue.pk]["open_days"] = Value(
            value=summary.open_days,
            records=len(mine) + len(theirs),
            source=counted
            % {
                "count": summary.open_days,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
            }
            + note,
        )


def _calendar_key(
    venue: Venue,
    patterns: Sequence[OpeningPattern],
    exceptions: Sequence[CalendarException],
    period: Period,
) -> tuple[Any, ...]:
    """What decides a venue's open days in the period, and nothing else: an opening date before
    the period and patterns superseded before it do not matter, so venues that differ only there
    share one computed answer."""
    ordered = sorted(patterns, key=lambda p: p.valid_from)
    earlier = [p for p in ordered if p.valid_from <= period.start]
    effective = earlier[-1:] + [p for p in ordered if p.valid_from > period.start]
    opened = venue.opened_on if venue.opened_on and venue.opened_on > period.start else None
    return (
        opened,
        tuple(
            (max(p.valid_from, period.start), p.open_weekdays, p.holiday_policy) for p in effective
        ),
        tuple(sorted((e.kind, e.starts_on, e.ends_on) for e in exceptions)),
    )


def _sessions(venue_ids: Sequence[int], period: Period, out: dict[int, Figures]) -> None:
    first, after = local_range(period.start, period.end)
    rows = (
        Session.objects.filter(
            venue_id__in=venue_ids,
            status=SessionStatus.HELD,
            starts_at__gte=first,
            starts_at__lt=after,
        )
        .order_by()
        .values("venue_id", "activity__activity_type", "place_kind")
        .annotate(
            theme=Count(
                "id",
                filter=Q(activity__theme_day__isnull=False)
                | Q(activity__activity_type=ActivityType.THEME_DAY_EVENT),
            ),
            theme_people=Sum(
                "participants",
                filter=Q(activity__theme_day__isnull=False)
                | Q(activity__activity_type=ActivityType.THEME_DAY_EVENT),
            ),
            theme_approx=Max(
                Cast("participants_approximate", IntegerField()),
                filter=Q(activity__theme_day__isnull=False)
                | Q(activity__activity_type=ActivityType.THEME_DAY_EVENT),
            ),
            sessions=Count("id"),
            people=Sum("participants"),
            approx=_flag("participants_approximate"),
            online=Sum("online_viewers"),
            online_approx=_flag("online_approximate"),
            st_sum=Sum("st_workers"),
            st_approx=Max(
                Cast("st_workers_approximate", IntegerField()), filter=Q(st_workers__gt=0)
            ),
        )
    )
    span = _span(period)
    held = _("%(count)s held sessions %(span)s")  # translated once, not per value
    acc: dict[int, dict[str, Value]] = defaultdict(dict)
    types: dict[int, dict[str, tuple[Value, Value]]] = defaultdict(dict)
    for row in rows:
        figures = acc[row["venue_id"]]
        n, people, approx = row["sessions"], row["people"] or 0, bool(row["approx"])
        _add(figures, "sessions_total", n, False, n)
        _add(figures, "participants_total", people, approx, n)
        _add(figures, "online_viewers", row["online"] or 0, bool(row["online_approx"]), n)
        _add(figures, "st_workers", row["st_sum"] or 0, bool(row["st_approx"]), n)
        if row["place_kind"] not in AT_VENUE and row["place_kind"] != PlaceKind.ONLINE:
            _add(figures, "outreach_sessions", n, False, n)
            _add(figures, "outreach_participants", people, approx, n)
        if row["theme"]:
            _add(figures, "theme_day_sessions", row["theme"], False, row["theme"])
            _add(
                figures,
                "theme_day_participants",
                row["theme_people"] or 0,
                bool(row["theme_approx"]),
                row["theme"],
            )
        kind = row["activity__activity_type"]
        sessions, participants = types[row["venue_id"]].setdefault(kind, (Value(0), Value(0)))
        _accumulate(sessions, n, False, n)
        _accumulate(participants, people, approx, n)
    keys = (
        "sessions_total",
        "participants_total",
        "online_viewers",
        "st_workers",
        "outreach_sessions",
        "outreach_participants",
        "theme_day_sessions",
        "theme_day_participants",
    )
    for venue_id in venue_ids:
        figures = acc.get(venue_id, {})
        for key in keys:
            value = figures.get(key, Value(0))
            value.source = held % {"count": value.records, "span": span}
            out[venue_id][key] = value
        by_type = types.get(venue_id, {})
        total_sessions = out[venue_id]["sessions_total"]
        total_people = out[venue_id]["participants_total"]
        out[venue_id]["sessions_by_type"] = replace(
            total_sessions, parts=_typed(by_type, 0, span, held)
        )
        out[venue_id]["participants_by_type"] = replace(
            total_people, parts=_typed(by_type, 1, span, held)
        )


def _typed(
    by_type: Mapping[str, tuple[Value, Value]], index: int, span: str, held: str
) -> dict[str, Value]:
    parts: dict[str, Value] = {}
    for kind in ActivityType.values:
        if kind in by_type:
            part = replace(by_type[kind][index])
            part.source = held % {"count": part.records, "span": span}
            parts[kind] = part
    return parts


def _add(
    figures: dict[str, Value], key: str, value: Number, approximate: bool, records: int
) -> None:
    _accumulate(figures.setdefault(key, Value(0)), value, approximate, records)


def _accumulate(target: Value, value: Number, approximate: bool, records: int) -> None:
    target.value = (target.value or 0) + value
    target.approximate = target.approximate or approximate
    target.records += records


def _caravan(venue_ids: Sequence[int], period: Period, out: dict[int, Figures]) -> None:
    trips = {
        row["venue_id"]: row
        for row in CaravanTrip.objects.filter(
            venue_id__in=venue_ids, starts_on__gte=period.start, starts_on__lte=period.end
        )
        .order_by()
        .values("venue_id")
        .annotate(trips=Count("id"), km=Sum("km"), approx=_flag("km_approximate"))
    }
    stops = {
        row["trip__venue_id"]: row
        for row in TripStop.objects.filter(
            trip__venue_id__in=venue_ids,
            trip__starts_on__gte=period.start,
            trip__starts_on__lte=period.end,
        )
        .order_by()
        .values("trip__venue_id")
        .annotate(
            stops=Count("id"), people=Sum("people_served"), approx=_flag("people_approximate")
        )
    }
    span = _span(period)
    # Translated once per call, not once per venue.
    trips_made = _("%(count)s caravan trips %(span)s")
    stops_made = _("%(count)s trip stops %(span)s")
    for venue_id in venue_ids:
        trip = trips.get(venue_id)
        n = trip["trips"] if trip else 0
        source = trips_made % {"count": n, "span": span}
        out[venue_id]["caravan_trips"] = Value(n, records=n, source=source)
        out[venue_id]["caravan_km"] = Value(
            trip["km"] if trip else Decimal(0), bool(trip and trip["approx"]), source, n
        )
        stop = stops.get(venue_id)
        count = stop["stops"] if stop else 0
        out[venue_id]["caravan_people"] = Value(
            stop["people"] if stop else 0,
            bool(stop and stop["approx"]),
            stops_made % {"count": count, "span": span},
            count,
        )


def partnerships_in(venue_ids: Iterable[int], period: Period) -> QuerySet[Partnership]:
    return partnerships_in_force(period.start, period.end).filter(venue_id__in=venue_ids)


def _schools(venue_ids: Sequence[int], period: Period, out: dict[int, Figures]) -> None:
    rows = {
        row["venue_id"]: row
        for row in partnerships_in(venue_ids, period)
        .order_by()
        .values("venue_id")
        .annotate(schools=Count("school_id", distinct=True), records=Count("id"))
    }
    span = _span(period)
    in_force = _("%(count)s cooperation agreements in force %(span)s")  # once, not per venue
    for venue_id in venue_ids:
        row = rows.get(venue_id)
        n = row["records"] if row else 0
        out[venue_id]["partner_schools"] = Value(
            row["schools"] if row else 0,
            records=n,
            source=in_force % {"count": n, "span": span},
        )


def _halls(venue_ids: Sequence[int], period: Period, out: dict[int, Figures]) -> None:
    day = period.end
    current = (Q(opened_on__isnull=True) | Q(opened_on__lte=day)) & (
        Q(closed_on__isnull=True) | Q(closed_on__gte=day)
    )
    rows = {
        row["venue_id"]: row
        for row in Hall.objects.filter(current, venue_id__in=venue_ids)
        .order_by()
        .values("venue_id")
        .annotate(
            permanent=Count("id", filter=Q(kind=HallKind.PERMANENT)),
            halls=Count("id"),
            area=Sum("area_m2"),
        )
    }
    halls_open = _("%(count)s halls open on %(day)s")  # translated once, not per venue
    for venue_id in venue_ids:
        row = rows.get(venue_id)
        n = row["halls"] if row else 0
        source = halls_open % {"count": n, "day": day.isoformat()}
        out[venue_id]["permanent_halls"] = Value(
            row["permanent"] if row else 0, source=source, records=n
        )
        out[venue_id]["exhibition_area_m2"] = Value(
            row["area"] if row and row["area"] is not None else Decimal(0), source=source, records=n
        )


def _exhibitions(venue_ids: Sequence[int], period: Period, out: dict[int, Figures]) -> None:
    rows = {
        row["venue_id"]: row["n"]
        for row in Exhibition.objects.filter(
            venue_id__in=venue_ids, starts_on__lte=period.end, ends_on__gte=period.start
        )
        .order_by()
        .values("venue_id")
        .annotate(n=Count("id"))
    }
    span = _span(period)
    open_then = _("%(count)s special exhibitions open at some time %(span)s")  # once, not per venue
    for venue_id in venue_ids:
        n = rows.get(venue_id, 0)
        out[venue_id]["exhibitions_count"] = Value(
            n, records=n, source=open_then % {"count": n, "span": span}
        )


class _Entry(NamedTuple):
    """One manual figure as the roll-up reads it: the columns it needs, not a model instance."""

    starts_on: date
    ends_on: date
    value: Decimal
    approximate: bool
    entered_at: datetime
    first_name: str | None  # of the user who entered it; all three None when that user is gone
    last_name: str | None
    username: str | None

    @property
    def who(self) -> str | None:
        """Who entered it, as ``User.get_full_name() or username``; None when nobody is known."""
        if self.username is None:
            return None
        return f"{self.first_name} {self.last_name}".strip() or self.username


def manual_figures_in(venue_ids: Iterable[int], period: Period) -> QuerySet[ManualFigure]:
    return ManualFigure.objects.filter(
        venue_id__in=venue_ids, starts_on__gte=period.start, ends_on__lte=period.end
    )


def _manual_entries(
    venue_ids: Sequence[int], period: Period
) -> dict[tuple[int, str], list[_Entry]]:
    rows = (
        manual_figures_in(venue_ids, period)
        .order_by("starts_on")
        .values_list(
            "venue_id",
            "key",
            "starts_on",
            "ends_on",
            "value",
            "approximate",
            "entered_at",
            "entered_by__first_name",
            "entered_by__last_name",
            "entered_by__username",
        )
    )
    found: dict[tuple[int, str], list[_Entry]] = defaultdict(list)
    for venue_id, key, *columns in rows:
        found[(venue_id, key)].append(_Entry._make(columns))
    return found


def _manual(venue_ids: Sequence[int], period: Period, out: dict[int, Figures]) -> None:
    found = _manual_entries(venue_ids, period)
    span = _span(period)
    # Translated once per call, not once per venue and figure.
    missing = _("not entered for %(span)s") % {"span": span}
    entered = _(
        "entered by hand for %(span)s (figures used: %(count)s), last by %(who)s on %(when)s"
    )
    someone = _("someone")
    keys = ManualKey.values
    for venue_id in venue_ids:
        for key in keys:
            figures = found.get((venue_id, key))
            if not figures:
                out[venue_id][key] = Value(manual=True, source=missing)
                continue
            used = _chosen(figures, period, stock=key in STOCK_KEYS)
            last = max(used, key=lambda f: f.entered_at)
            who = last.who
            out[venue_id][key] = Value(
                value=sum((f.value for f in used), Decimal(0)),
                approximate=any(f.approximate for f in used),
                manual=True,
                records=len(used),
                source=entered
                % {
                    "count": len(used),
                    "span": span,
                    "who": someone if who is None else who,
                    "when": timezone.localdate(last.entered_at).isoformat(),
                },
            )


def _chosen(figures: list[_Entry], period: Period, *, stock: bool) -> list[_Entry]:
    """Which of the figures inside the period to use: a stock is read at the latest end; a flow
    is the figure entered for exactly this period, else the widest figures that do not overlap
    (so a half-year figure entered beside the whole year's is not counted twice)."""
    if stock:
        return [max(figures, key=lambda f: (f.ends_on, f.entered_at))]
    exact = [f for f in figures if (f.starts_on, f.ends_on) == (period.start, period.end)]
    if exact:
        return [max(exact, key=lambda f: f.entered_at)]
    chosen: list[_Entry] = []
    for figure in sorted(
        figures, key=lambda f: (-(f.ends_on - f.starts_on).days, -f.entered_at.timestamp())
    ):
        if all(
            figure.ends_on < other.starts_on or figure.starts_on > other.ends_on for other in chosen
        ):
            chosen.append(figure)
    return chosen


Source = Callable[[Sequence[int], Period, dict[int, Figures]], None]
# Each fills in its indicators; ``_growth`` runs after them (it needs the visits).
SOURCES: list[Source] = [
    _attendance,
    _calendar,
    _sessions,
    _caravan,
    _schools,
    _halls,
    _exhibitions,
    _manual,
]


def compute(
    venue_ids: Iterable[int], period: Period, *, earlier: dict[int, Figures] | None = None
) -> dict[int, Figures]:
    """Every indicator for each venue over the period: {venue_id: {key: Value}}. ``earlier``,
    when given, receives each venue's visits over the same span a year before."""
    ids = sorted(set(venue_ids))
    out: dict[int, Figures] = {venue_id: {} for venue_id in ids}
    if not ids:
        return out
    for chunk in _chunks(ids, 900):
        for source in SOURCES:
            source(chunk, period, out)
        before = _growth(chunk, period, out)
        if earlier is not None:
            earlier.update(before)
    return out


def _chunks(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for index in range(0, len(ids), size):
        yield ids[index : index + size]


# Roll-ups ---------------------------------------------------------------------------------------


@dataclass
class Rollup:
    venue_ids: list[int]
    period: Period
    venues: dict[int, Figures]
    totals: Figures = field(default_factory=dict)


def rollup(venue_ids: Iterable[int], period: Period) -> Rollup:
    """Each venue's indicators and the totals over them."""
    ids = sorted(set(venue_ids))
    before: dict[int, Figures] = {}
    venues = compute(ids, period, earlier=before)
    totals: Figures = {}
    for key, indicator in INDICATORS.items():
        if indicator.combine == "sum":
            totals[key] = _sum([figures[key] for figures in venues.values()], len(ids))
    totals["visits_peak_day"] = _peak_of_all(ids, period)
    totals["open_days"] = Value(source=_("open days do not add up across venues"))
    totals["partner_schools"] = _distinct_schools(ids, period)
    earlier = period.year_earlier()
    then = _sum([figures["visits_total"] for figures in before.values()], len(ids))
    totals["visits_yoy_pct"] = growth_value(totals["visits_total"], then, period, earlier)
    return Rollup(ids, period, venues, totals)


def _sum(values: Sequence[Value], venues: int) -> Value:
    total = Value(0)
    parts: dict[str, Value] | None = None
    entered = 0
    for value in values:
        if value.value is None:
            continue
        entered += 1
        _accumulate(total, value.value, value.approximate, value.records)
        total.manual = total.manual or value.manual
        if value.parts is not None:
            parts = parts if parts is not None else {}
            for kind, part in value.parts.items():
                _accumulate(
                    parts.setdefault(kind, Value(0)),
                    part.value or 0,
                    part.approximate,
                    part.records,
                )
    if values and values[0].manual:
        total.manual = True
        if not entered:
            total.value = None
        total.source = _("entered by hand for %(entered)s of %(venues)s venues") % {
            "entered": entered,
            "venues": venues,
        }
    else:
        total.source = _("%(records)s records of %(venues)s venues") % {
            "records": total.records,
            "venues": venues,
        }
    total.parts = parts
    return total


def _peak_of_all(venue_ids: Sequence[int], period: Period) -> Value:
    query = DailyAttendance.objects.filter(date__gte=period.start, date__lte=period.end)
    if len(venue_ids) <= 900:
        query = query.filter(venue_id__in=venue_ids)
    else:
        query = query.filter(venue_id__in=Venue.objects.filter(pk__in=venue_ids).values("pk"))
    row = (
        query.order_by()
        .values("date")
        .annotate(visits=Sum("visits"), approximate=_flag("approximate"), venues=Count("venue_id"))
        .order_by("-visits", "date")
        .first()
    )
    if row is None:
        return Value(source=_("no attendance recorded %(span)s") % {"span": _span(period)})
    return Value(
        row["visits"],
        bool(row["approximate"]),
        _("the busiest day of the venues together %(span)s (%(venues)s venues that day)")
        % {"span": _span(period), "venues": row["venues"]},
        row["venues"],
        on=row["date"],
    )


def _distinct_schools(venue_ids: Sequence[int], period: Period) -> Value:
    query = partnerships_in_force(period.start, period.end).filter(
        venue_id__in=Venue.objects.filter(pk__in=venue_ids).values("pk")
    )
    row = query.aggregate(schools=Count("school_id", distinct=True), records=Count("id"))
    return Value(
        row["schools"],
        records=row["records"],
        source=_("%(schools)s different schools in %(count)s agreements in force %(span)s")
        % {"schools": row["schools"], "count": row["records"], "span": _span(period)},
    )

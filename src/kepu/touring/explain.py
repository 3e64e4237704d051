"""The planners' findings in plain words, in the reader's language.

Plans store what could not be done as codes and ids (``RotationPlan.conflicts``,
``RotationPlan.unserved``, ``CaravanPlan.unserved``); these functions name the rule, the venue,
the set, the themes and the stop in a sentence, when the page, the API or the CLI shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kepu.network.models import Venue
from kepu.touring.models import ExhibitionSet, HostVenue, RotationPlan, Theme


@dataclass
class Names:
    venues: Mapping[int, Venue]
    sets: Mapping[int, ExhibitionSet]
    themes: Mapping[int, Theme]
    areas: Mapping[int, Any]  # host venue id → hall area
    repeat_years: int

    @classmethod
    def for_plan(cls, plan: RotationPlan) -> Names:
        return cls.for_data(plan.region_id, plan.repeat_years, [*plan.conflicts, *plan.unserved])

    @classmethod
    def for_data(
        cls, region_id: int, repeat_years: int, items: Sequence[Mapping[str, Any]]
    ) -> Names:
        """The names behind the ids in conflicts and unserved venues, in four queries."""
        venue_ids: set[int] = set()
        set_ids: set[int] = set()
        theme_ids: set[int] = set()
        for item in items:
            for entry in [*item.get("requirements", []), *item.get("reasons", []), item]:
                if isinstance(entry.get("venue"), int):
                    venue_ids.add(entry["venue"])
                if isinstance(entry.get("set"), int):
                    set_ids.add(entry["set"])
                theme_ids.update(entry.get("themes", []))
            for venue_id, options in item.get("options", {}).items():
                venue_ids.add(int(venue_id))
                set_ids.update(option[0] for option in options)
        return cls(
            venues=Venue.objects.in_bulk(venue_ids),
            sets=ExhibitionSet.objects.in_bulk(set_ids),
            themes=Theme.objects.in_bulk(theme_ids),
            areas=dict(
                HostVenue.objects.filter(region_id=region_id, venue_id__in=venue_ids).values_list(
                    "venue_id", "hall_area_m2"
                )
            ),
            repeat_years=repeat_years,
        )

    def venue(self, venue_id: int) -> str:
        found = self.venues.get(venue_id)
        return found.display_name if found is not None else f"#{venue_id}"

    def set(self, set_id: int) -> str:
        found = self.sets.get(set_id)
        return found.code if found is not None else f"#{set_id}"


def _periods(numbers: Iterable[int]) -> str:
    return ", ".join(str(number) for number in sorted(set(numbers)))


def _join(parts: Sequence[str]) -> str:
    return _("; ").join(parts)


def reasons_in_words(reasons: Sequence[Mapping[str, Any]], names: Names) -> list[str]:
    """What keeps the sets from one venue, rule by rule."""
    by_rule: dict[str, list[Mapping[str, Any]]] = {}
    for reason in reasons:
        by_rule.setdefault(reason["rule"], []).append(reason)
    parts = []
    availability = by_rule.get("availability", [])
    causes = {
        "no_dates": _("stop %(periods)s falls outside its hosting dates"),
        "closure": _("closed for renovation in stop %(periods)s"),
        "taken": _("its hall is taken by another set in stop %(periods)s"),
    }
    by_cause: dict[str, set[int]] = {}
    for reason in availability:
        by_cause.setdefault(reason.get("cause", "no_dates"), set()).add(reason["period"])
    for cause, periods in sorted(by_cause.items()):
        parts.append(causes.get(cause, causes["no_dates"]) % {"periods": _periods(periods)})
    area = by_rule.get("area", [])
    if area:
        venue_id = area[0]["venue"]
        sets = sorted({reason["set"] for reason in area})
        parts.append(
            _("its hall (%(have)s m²) is too small for %(sets)s")
            % {
                "have": names.areas.get(venue_id, "?"),
                "sets": ", ".join(
                    f"{names.set(s)} ({names.sets[s].floor_area_m2} m²)"
                    if s in names.sets
                    else names.set(s)
                    for s in sets
                ),
            }
        )
    themes = by_rule.get("themes", [])
    if themes:
        theme_ids = sorted({theme for reason in themes for theme in reason.get("themes", [])})
        carriers = ", ".join(names.set(s) for s in sorted({reason["set"] for reason in themes}))
        if len(theme_ids) > 4:
            parts.append(
                _("it showed the themes of %(sets)s in the last %(years)s years")
                % {"sets": carriers, "years": names.repeat_years}
            )
        else:
            parts.append(
                _("it showed %(themes)s in the last %(years)s years, which %(sets)s carry")
                % {
                    "themes": "、".join(
                        names.themes[t].display_name if t in names.themes else f"#{t}"
                        for t in theme_ids
                    ),
                    "years": names.repeat_years,
                    "sets": carriers,
                }
            )
    maintenance: dict[int, set[int]] = {}
    for reason in by_rule.get("maintenance", []):
        maintenance.setdefault(reason["set"], set()).add(reason["period"])
    for set_id, periods in sorted(maintenance.items()):
        parts.append(
            _("%(set)s is in maintenance in stop %(periods)s")
            % {"set": names.set(set_id), "periods": _periods(periods)}
        )
    return parts


def unserved_in_words(item: Mapping[str, Any], names: Names) -> str:
    venue = names.venue(item["venue"])
    if not item.get("reasons"):
        return _(
            "%(venue)s: it could take a set, but the sets serve more venues (or travel less) "
            "elsewhere."
        ) % {"venue": venue}
    return _("%(venue)s cannot take any set: %(reasons)s.") % {
        "venue": venue,
        "reasons": _join(reasons_in_words(item["reasons"], names)),
    }


def _requirement(requirement: Mapping[str, Any], names: Names) -> str:
    if requirement.get("set") is None:
        return _("%(venue)s must be served") % {"venue": names.venue(requirement["venue"])}
    return _("%(set)s kept at %(venue)s in stop %(period)s") % {
        "set": names.set(requirement["set"]),
        "venue": names.venue(requirement["venue"]),
        "period": requirement["period"],
    }


def conflict_in_words(conflict: Mapping[str, Any], names: Names) -> str:
    """Which constraint, which venue: one sentence per conflict."""
    kind = conflict["kind"]
    requirements = conflict["requirements"]
    reasons = _join(reasons_in_words(conflict.get("reasons", []), names))
    first = requirements[0]
    if kind == "host_unservable":
        return _("%(venue)s must be served, but no set can go there in any stop: %(reasons)s.") % {
            "venue": names.venue(first["venue"]),
            "reasons": reasons,
        }
    if kind == "pin_broken":
        return _("%(requirement)s is not possible: %(reasons)s.") % {
            "requirement": _requirement(first, names),
            "reasons": reasons,
        }
    if kind == "pins_clash":
        return _(
            "%(first)s and %(second)s cannot both hold: the same set, venue or theme twice."
        ) % {
            "first": _requirement(first, names),
            "second": _requirement(requirements[1], names),
        }
    options = []
    for venue_id, pairs in conflict.get("options", {}).items():
        by_set: dict[int, list[int]] = {}
        for set_id, period in pairs:
            by_set.setdefault(set_id, []).append(period)
        choices = ", ".join(
            _("%(set)s in stop %(periods)s") % {"set": names.set(s), "periods": _periods(p)}
            for s, p in sorted(by_set.items())
        )
        options.append(
            _("%(venue)s can only take %(choices)s")
            % {"venue": names.venue(int(venue_id)), "choices": choices or _("nothing")}
        )
    text = _("These requirements cannot all be met together: %(requirements)s.") % {
        "requirements": _join([_requirement(r, names) for r in requirements])
    }
    if options:
        text += " " + _join(options) + "."
    return text


def caravan_reason_in_words(code: str) -> str:
    texts = {
        "no_day": _("none of the days it can receive the caravan is a working day this week"),
        "window_short": _("its hours are shorter than the visit"),
        "out_of_reach": _(
            "too far to get there within its hours and be back by the end of the working day"
        ),
        "drive_limit": _("the round trip alone is longer than a day's driving limit"),
        "week_full": _(
            "it could be served on its own, but the week's routes have no room left for it"
        ),
    }
    return texts.get(code, code)

"""A rotation plan (or a proposal not saved) as plain data: the API and ``kepu plan-rotation
--format json`` speak the same shape."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from kepu.touring.explain import (
    Names,
    caravan_reason_in_words,
    conflict_in_words,
    unserved_in_words,
)
from kepu.touring.models import RotationPlan
from kepu.touring.selectors import plan_comparison, plan_figures
from kepu.touring.services.caravans import CaravanProposal, clock_time
from kepu.touring.services.rotation import Proposal, conflicts_as_data, unserved_as_data


def _gap(km: int, bound: int, solver_status: str) -> float | None:
    if solver_status in ("", "infeasible"):
        return None
    return 0.0 if not km else round(max(0.0, (km - bound) / km), 4)


def plan_as_data(plan: RotationPlan) -> dict[str, Any]:
    names = Names.for_plan(plan)
    figures = plan_figures(plan)
    comparison = plan_comparison(plan)
    stops = plan.stops.select_related("set", "venue", "period").order_by(
        "set__code", "period__sequence"
    )
    return {
        "id": plan.pk,
        "region": plan.region_id,
        "year": plan.year,
        "name": plan.name,
        "status": plan.status,
        "source": plan.source,
        "solver": {
            "status": plan.solver_status,
            "method": plan.method,
            "objective_km": plan.km,
            "bound_km": plan.km_bound,
            "gap": _gap(plan.km, plan.km_bound, plan.solver_status),
            "coverage": plan.coverage,
            "coverage_bound": plan.coverage_bound,
            "seconds": float(plan.seconds),
            "distances": plan.distance_source,
        },
        "figures": {
            "km": figures.km,
            "stops": figures.stops,
            "venues_served": figures.venues_served,
            "host_venues": figures.hosts,
            "repeated_themes": figures.repeated_themes,
        },
        "plan_in_force": None
        if comparison.current is None
        else {
            "km": comparison.current.km,
            "stops": comparison.current.stops,
            "venues_served": comparison.current.venues_served,
            "repeated_themes": comparison.current.repeated_themes,
        },
        "periods": [
            {"stop": period.sequence, "starts_on": period.starts_on, "ends_on": period.ends_on}
            for period in plan.periods.order_by("sequence")
        ],
        "stops": [
            {
                "set": stop.set_id,
                "set_code": stop.set.code,
                "venue": stop.venue_id,
                "venue_name": stop.venue.name,
                "stop": stop.period.sequence,
                "starts_on": stop.period.starts_on,
                "ends_on": stop.period.ends_on,
                "km_in": stop.km_in,
                "pinned": stop.pinned,
            }
            for stop in stops
        ],
        "conflicts": [conflict_in_words(item, names) for item in plan.conflicts],
        "unserved": [
            {"venue": item["venue"], "reason": unserved_in_words(item, names)}
            for item in plan.unserved
        ],
    }


def proposal_as_data(proposal: Proposal) -> dict[str, Any]:
    """What the planner found, without saving it."""
    result, context = proposal.result, proposal.context
    conflicts = conflicts_as_data(proposal)
    unserved = unserved_as_data(proposal)
    names = Names.for_data(
        proposal.request.region.pk, context.repeat_years, [*conflicts, *unserved]
    )
    km_in = {(leg.set_index, leg.period): leg.km for leg in result.legs if not leg.to_maintenance}
    return {
        "region": proposal.request.region.pk,
        "year": proposal.request.year,
        "solver": {
            "status": result.status.value,
            "method": result.method,
            "objective_km": result.km,
            "bound_km": result.km_bound,
            "gap": None if result.gap is None else round(result.gap, 4),
            "coverage": result.coverage,
            "coverage_bound": result.coverage_bound,
            "venues_served": result.venues_served,
            "host_venues": len(context.hosts),
            "stops": len(result.stops),
            "seconds": round(result.seconds, 2),
            "distances": context.distance_source,
        },
        "periods": [
            {"stop": index + 1, "starts_on": start, "ends_on": end}
            for index, (start, end) in enumerate(context.periods)
        ],
        "stops": [
            {
                "set": context.sets[stop.set_index].pk,
                "set_code": context.sets[stop.set_index].code,
                "venue": context.hosts[stop.host_index].venue.pk,
                "venue_name": context.hosts[stop.host_index].venue.name,
                "stop": stop.period + 1,
                "starts_on": context.periods[stop.period][0],
                "ends_on": context.periods[stop.period][1],
                "km_in": km_in.get((stop.set_index, stop.period), 0),
            }
            for stop in result.stops
        ],
        "conflicts": [conflict_in_words(item, names) for item in conflicts],
        "unserved": [
            {"venue": item["venue"], "reason": unserved_in_words(item, names)} for item in unserved
        ],
    }


def caravan_proposal_as_data(proposal: CaravanProposal) -> dict[str, Any]:
    """The week's routes the planner found, without saving them."""
    result, requests = proposal.result, proposal.requests
    week = proposal.settings.week_starts
    return {
        "caravan": proposal.caravan.pk,
        "week_starts": week,
        "status": result.status.value,
        "requested": len(requests),
        "served": result.served,
        "km": result.km,
        "seconds": round(result.seconds, 2),
        "days": [
            {
                "day": week + timedelta(days=route.day),
                "leaves_at": clock_time(route.leaves),
                "returns_at": clock_time(route.returns),
                "km": route.km,
                "drive_minutes": route.drive_minutes,
                "visits": [
                    {
                        "request": requests[visit.request_index].pk,
                        "name": requests[visit.request_index].name,
                        "arrives_at": clock_time(visit.arrives),
                        "starts_at": clock_time(visit.starts),
                        "ends_at": clock_time(visit.ends),
                        "km_from_previous": visit.km_from_previous,
                    }
                    for visit in route.visits
                ],
            }
            for route in result.days
        ],
        "unserved": [
            {
                "request": requests[item.request_index].pk,
                "name": requests[item.request_index].name,
                "reason": item.reason.value,
                "explanation": caravan_reason_in_words(item.reason.value),
            }
            for item in result.unserved
        ],
    }

"""Touring exhibitions (流动科技馆, 巡展) and caravan planning.

* :mod:`.exhibitions` — rotation regions, themes, touring sets and their exhibits and
  maintenance, host venues with their hall area and the dates they can host, road distances;
* :mod:`.tours` — rotation plans (proposed, edited, adopted) and what an adopted plan becomes:
  tours, stops, transfers, and the visitors counted at each stop;
* :mod:`.caravans` — caravan visit requests and week plans that become caravan trips.
"""

from kepu.touring.models.caravans import (
    CaravanPlan,
    CaravanPlanDay,
    CaravanPlanStatus,
    CaravanPlanVisit,
    CaravanRequest,
    RequestStatus,
)
from kepu.touring.models.exhibitions import (
    Exhibit,
    ExhibitionSet,
    HostAvailability,
    HostVenue,
    MaintenancePeriod,
    RoadDistance,
    RotationRegion,
    SetStatus,
    Theme,
    Weighting,
    venue_coordinates,
)
from kepu.touring.models.tours import (
    AttendanceSource,
    PlanPeriod,
    PlanSource,
    PlanStatus,
    PlanStop,
    RotationPlan,
    SolverStatus,
    StopAttendance,
    StopStatus,
    Tour,
    TourStop,
    Transfer,
)

__all__ = [
    "AttendanceSource",
    "CaravanPlan",
    "CaravanPlanDay",
    "CaravanPlanStatus",
    "CaravanPlanVisit",
    "CaravanRequest",
    "Exhibit",
    "ExhibitionSet",
    "HostAvailability",
    "HostVenue",
    "MaintenancePeriod",
    "PlanPeriod",
    "PlanSource",
    "PlanStatus",
    "PlanStop",
    "RequestStatus",
    "RoadDistance",
    "RotationPlan",
    "RotationRegion",
    "SetStatus",
    "SolverStatus",
    "StopAttendance",
    "StopStatus",
    "Theme",
    "Tour",
    "TourStop",
    "Transfer",
    "Weighting",
    "venue_coordinates",
]

"""Touring records in the admin: scoped browsing; changes go through kepu's pages and API."""

from django.contrib import admin

from kepu.core.admin import ScopedReadOnlyAdmin
from kepu.touring.models import (
    CaravanPlan,
    CaravanRequest,
    ExhibitionSet,
    HostVenue,
    RotationPlan,
    StopAttendance,
    TourStop,
)


@admin.register(ExhibitionSet)
class ExhibitionSetAdmin(ScopedReadOnlyAdmin):
    list_display = ("code", "name", "region", "venue", "floor_area_m2", "exhibit_count", "status")
    list_filter = ("status", "region")
    search_fields = ("code", "name", "name_en")
    list_select_related = ("region", "venue")


@admin.register(HostVenue)
class HostVenueAdmin(ScopedReadOnlyAdmin):
    list_display = ("venue", "region", "hall_area_m2", "population_10k", "priority", "is_active")
    list_filter = ("region", "is_active")
    search_fields = ("venue__name",)
    list_select_related = ("venue", "region")


@admin.register(RotationPlan)
class RotationPlanAdmin(ScopedReadOnlyAdmin):
    list_display = ("name", "region", "year", "status", "solver_status", "km", "km_bound")
    list_filter = ("status", "solver_status", "year")
    list_select_related = ("region",)


@admin.register(TourStop)
class TourStopAdmin(ScopedReadOnlyAdmin):
    list_display = ("set", "venue", "starts_on", "ends_on", "status")
    list_filter = ("status", "region")
    search_fields = ("set__code", "venue__name")
    date_hierarchy = "starts_on"
    list_select_related = ("set", "venue")


@admin.register(StopAttendance)
class StopAttendanceAdmin(ScopedReadOnlyAdmin):
    list_display = ("stop", "venue", "starts_on", "ends_on", "visitors", "approximate")
    date_hierarchy = "ends_on"
    list_select_related = ("stop__set", "venue")


@admin.register(CaravanRequest)
class CaravanRequestAdmin(ScopedReadOnlyAdmin):
    list_display = ("name", "venue", "caravan", "earliest_on", "latest_on", "status")
    list_filter = ("status",)
    search_fields = ("name",)
    list_select_related = ("venue", "caravan")


@admin.register(CaravanPlan)
class CaravanPlanAdmin(ScopedReadOnlyAdmin):
    list_display = ("caravan", "venue", "week_starts", "status", "served", "requested", "km")
    list_filter = ("status",)
    list_select_related = ("caravan", "venue")

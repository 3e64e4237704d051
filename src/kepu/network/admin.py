"""Registry models in the admin: scoped browsing; edits happen on kepu's pages and API."""

from django.contrib import admin

from kepu.core.admin import ScopedReadOnlyAdmin
from kepu.network.models import (
    Alliance,
    CalendarException,
    Division,
    Hall,
    Membership,
    OpeningPattern,
    Organisation,
    OrganisationYear,
    Venue,
)


@admin.register(Venue)
class VenueAdmin(ScopedReadOnlyAdmin):
    venue_field = "id"
    list_display = ("name", "kind", "level", "division", "is_active")
    list_filter = ("kind", "level", "is_active")
    search_fields = ("name", "name_en", "short_name", "division__name")
    list_select_related = ("division",)


@admin.register(Hall)
class HallAdmin(ScopedReadOnlyAdmin):
    list_display = ("name", "venue", "kind", "area_m2", "opened_on", "closed_on")
    list_filter = ("kind",)
    search_fields = ("name", "venue__name")
    list_select_related = ("venue",)


@admin.register(OpeningPattern)
class OpeningPatternAdmin(ScopedReadOnlyAdmin):
    list_display = ("venue", "valid_from", "opens_at", "closes_at", "holiday_policy")
    list_select_related = ("venue",)


@admin.register(CalendarException)
class CalendarExceptionAdmin(ScopedReadOnlyAdmin):
    list_display = ("venue", "kind", "category", "starts_on", "ends_on", "reason")
    list_filter = ("kind", "category")
    search_fields = ("venue__name", "reason")
    list_select_related = ("venue",)


@admin.register(Organisation)
class OrganisationAdmin(ScopedReadOnlyAdmin):
    venue_field = "venues__id"
    list_display = ("name", "legal_representative", "funding_source", "sponsor")
    search_fields = ("name", "credit_code")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).distinct()


@admin.register(OrganisationYear)
class OrganisationYearAdmin(ScopedReadOnlyAdmin):
    venue_field = "organisation__venues__id"
    list_display = ("organisation", "year", "assets_start_cny", "assets_end_cny", "headcount")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).distinct()


@admin.register(Alliance)
class AllianceAdmin(ScopedReadOnlyAdmin):
    list_display = ("name", "parent", "founded_on", "region")
    search_fields = ("name", "name_en")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        from kepu.core.scopes import scope_for

        queryset = admin.ModelAdmin.get_queryset(self, request)
        ids = scope_for(request.user).readable_alliance_ids()
        return queryset if ids is None else queryset.filter(pk__in=sorted(ids))


@admin.register(Membership)
class MembershipAdmin(ScopedReadOnlyAdmin):
    list_display = ("venue", "alliance", "role", "since", "until")
    list_filter = ("role", "alliance")
    search_fields = ("venue__name",)
    list_select_related = ("venue", "alliance")


@admin.register(Division)
class DivisionAdmin(ScopedReadOnlyAdmin):
    list_display = ("code", "name", "name_en", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return admin.ModelAdmin.get_queryset(self, request)

"""Programme records in the admin: scoped browsing; changes go through kepu's pages and API."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from kepu.core.admin import ScopedReadOnlyAdmin
from kepu.core.scopes import scope_for
from kepu.programs.models import (
    Activity,
    Campaign,
    CampaignReport,
    CaravanTrip,
    Competition,
    Expert,
    Partnership,
    Registration,
    School,
    Session,
    ThemeDay,
)


class SharedRegisterAdmin(ScopedReadOnlyAdmin):
    """Registers every role reads (schools, theme days, national joint actions)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset.none() if scope_for(request.user).is_empty else queryset


@admin.register(Activity)
class ActivityAdmin(ScopedReadOnlyAdmin):
    list_display = ("name", "venue", "activity_type", "audience", "theme_day", "campaign_theme")
    list_filter = ("activity_type", "audience")
    search_fields = ("name", "name_en", "partners", "venue__name")
    list_select_related = ("venue", "theme_day", "campaign_theme")


@admin.register(Session)
class SessionAdmin(ScopedReadOnlyAdmin):
    list_display = ("activity", "venue", "starts_at", "place_kind", "status", "participants")
    list_filter = ("status", "place_kind")
    search_fields = ("activity__name", "place_name", "venue__name")
    date_hierarchy = "starts_at"
    list_select_related = ("activity", "venue")


@admin.register(Registration)
class RegistrationAdmin(ScopedReadOnlyAdmin):
    list_display = ("reference", "session", "kind", "name_masked", "phone_masked", "status")
    list_filter = ("status", "kind")
    search_fields = ("reference",)
    exclude = ("name_encrypted", "phone_encrypted", "phone_hash", "idempotency_key")
    list_select_related = ("session__activity",)


@admin.register(CaravanTrip)
class CaravanTripAdmin(ScopedReadOnlyAdmin):
    list_display = ("title", "caravan", "venue", "starts_on", "ends_on", "km")
    search_fields = ("title", "venue__name")
    date_hierarchy = "starts_on"
    list_select_related = ("caravan", "venue")


@admin.register(Partnership)
class PartnershipAdmin(ScopedReadOnlyAdmin):
    list_display = ("school", "venue", "signed_on", "ends_on", "status")
    list_filter = ("status",)
    search_fields = ("school__name", "venue__name")
    list_select_related = ("school", "venue")


@admin.register(Expert)
class ExpertAdmin(ScopedReadOnlyAdmin):
    list_display = ("name", "venue", "kind", "organisation", "degree", "is_active")
    list_filter = ("kind", "degree", "is_active")
    search_fields = ("name", "organisation")
    list_select_related = ("venue",)


@admin.register(Competition)
class CompetitionAdmin(ScopedReadOnlyAdmin):
    list_display = ("name", "venue", "kind", "level", "role", "starts_on", "participants")
    list_filter = ("kind", "level", "role")
    search_fields = ("name",)
    list_select_related = ("venue",)


@admin.register(CampaignReport)
class CampaignReportAdmin(ScopedReadOnlyAdmin):
    list_display = ("title", "campaign", "venue", "starts_on", "on_site", "online_viewers")
    search_fields = ("title", "campaign__name", "venue__name")
    list_select_related = ("campaign", "venue")


@admin.register(School)
class SchoolAdmin(SharedRegisterAdmin):
    list_display = ("name", "kind", "division", "is_rural")
    list_filter = ("kind", "is_rural")
    search_fields = ("name", "name_en", "division__name")
    list_select_related = ("division",)


@admin.register(ThemeDay)
class ThemeDayAdmin(SharedRegisterAdmin):
    list_display = ("name", "kind", "starts_on", "ends_on")
    list_filter = ("kind",)
    date_hierarchy = "starts_on"


@admin.register(Campaign)
class CampaignAdmin(SharedRegisterAdmin):
    list_display = ("name", "year", "alliance", "starts_on", "ends_on")
    search_fields = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        from kepu.programs.selectors import campaign_list

        return campaign_list(user=request.user)

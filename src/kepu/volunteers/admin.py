"""Volunteer records in the admin: scoped browsing, personal data masked; changes go through
kepu's pages and API (services, audited)."""

from django.contrib import admin

from kepu.core.admin import ScopedReadOnlyAdmin
from kepu.volunteers.models import (
    Application,
    Assignment,
    Certificate,
    Drive,
    HoursCorrection,
    Post,
    Shift,
    Team,
    Volunteer,
)

ENCRYPTED = (
    "name_encrypted",
    "id_encrypted",
    "id_hash",
    "phone_encrypted",
    "phone_hash",
    "guardian_name_encrypted",
    "guardian_phone_encrypted",
    "birth_date",
)


@admin.register(Drive)
class DriveAdmin(ScopedReadOnlyAdmin):
    list_display = ("title", "venue", "status", "places", "opens_on", "closes_on")
    list_filter = ("status",)
    search_fields = ("title", "venue__name")
    list_select_related = ("venue",)


@admin.register(Application)
class ApplicationAdmin(ScopedReadOnlyAdmin):
    list_display = ("reference", "venue", "drive", "category", "name_masked", "status")
    list_filter = ("status", "category")
    search_fields = ("reference",)
    exclude = (*ENCRYPTED, "idempotency_key", "agreement_text")
    list_select_related = ("venue", "drive")


@admin.register(Volunteer)
class VolunteerAdmin(ScopedReadOnlyAdmin):
    list_display = ("number", "venue", "name_masked", "category", "team", "status", "joined_on")
    list_filter = ("status", "category")
    search_fields = ("number",)
    exclude = ENCRYPTED
    list_select_related = ("venue", "team")


@admin.register(Team)
class TeamAdmin(ScopedReadOnlyAdmin):
    list_display = ("name", "venue", "leader", "is_active")
    list_select_related = ("venue", "leader")


@admin.register(Post)
class PostAdmin(ScopedReadOnlyAdmin):
    list_display = ("name", "venue", "kind", "required_course", "is_active")
    list_filter = ("kind",)
    list_select_related = ("venue", "required_course")


@admin.register(Shift)
class ShiftAdmin(ScopedReadOnlyAdmin):
    list_display = ("title", "venue", "starts_at", "ends_at", "status")
    list_filter = ("status",)
    date_hierarchy = "starts_at"
    list_select_related = ("venue",)


@admin.register(Assignment)
class AssignmentAdmin(ScopedReadOnlyAdmin):
    list_display = ("volunteer", "shift", "status", "minutes", "tours", "corrected")
    list_filter = ("status", "corrected")
    search_fields = ("volunteer__number",)
    date_hierarchy = "starts_at"
    exclude = ("idempotency_key",)
    list_select_related = ("volunteer", "shift")


@admin.register(HoursCorrection)
class HoursCorrectionAdmin(ScopedReadOnlyAdmin):
    list_display = ("assignment", "minutes_before", "minutes_after", "reason", "corrected_by")
    list_select_related = ("assignment__volunteer", "assignment__shift", "corrected_by")


@admin.register(Certificate)
class CertificateAdmin(ScopedReadOnlyAdmin):
    list_display = ("code", "venue", "holder_number", "holder_name_masked", "minutes", "issued_at")
    search_fields = ("code", "holder_number")
    exclude = ("holder_name_encrypted",)
    list_select_related = ("venue",)

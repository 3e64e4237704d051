"""The admin for power users, under the same scope rules as every page and API call."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from kepu.core import services
from kepu.core.errors import ApplicationError
from kepu.core.models import AuditEntry, RoleAssignment, User
from kepu.core.scopes import Capability, scope_for
from kepu.network.models import Venue
from kepu.network.selectors import audit_entries

admin.site.site_header = "kepu 科普"
admin.site.site_title = "kepu"


class ScopedReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Browse, search and filter within the user's scope; changes go through kepu's pages/API."""

    venue_field = "venue_id"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_for(request.user).filter_venues(
            super().get_queryset(request), self.venue_field
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return (
            bool(request.user.is_active and request.user.is_staff)
            and not scope_for(request.user).is_empty
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedReadOnlyAdmin):
    list_display = ("created_at", "actor_name", "action", "target_repr", "venue", "alliance")
    list_filter = ("action",)
    search_fields = ("actor_name", "action", "target_repr", "target_id")
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return audit_entries(user=request.user)


class NationalOnly:
    """Accounts are the national administrators' to manage."""

    def _national(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff) and scope_for(request.user).is_national

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._national(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._national(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._national(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._national(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(NationalOnly, DjangoUserAdmin[User]):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("kepu", {"fields": ("display_name", "preferred_language")}),
    )
    list_display = ("username", "display_name", "email", "is_staff", "is_active", "last_login")

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        services.user_save(actor=request.user, user=obj, created=not change)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """National administrators grant any role; venue managers grant staff roles at their venues."""

    list_display = ("user", "role", "venue", "alliance", "granted_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__display_name", "venue__name", "alliance__name")
    fields = ("user", "role", "venue", "alliance")
    autocomplete_fields = ()

    def _manages(self, request: HttpRequest) -> list[int]:
        scope = scope_for(request.user)
        return [v for v in scope.venue_capabilities if scope.can(Capability.MANAGE_STAFF, v)]

    def has_module_permission(self, request: HttpRequest) -> bool:
        scope = scope_for(request.user)
        return bool(request.user.is_staff) and (scope.is_national or bool(self._manages(request)))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleAssignment]:
        queryset = super().get_queryset(request).select_related("user", "venue", "alliance")
        if scope_for(request.user).is_national:
            return queryset
        return queryset.filter(venue_id__in=self._manages(request))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "venue" and not scope_for(request.user).is_national:
            kwargs["queryset"] = Venue.objects.filter(pk__in=self._manages(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool
    ) -> None:
        try:
            granted = services.role_grant(
                actor=request.user,
                user=obj.user,
                role=obj.role,
                venue=obj.venue,
                alliance=obj.alliance,
            )
            obj.pk = granted.pk
        except ApplicationError as error:
            messages.error(request, str(error.message))

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        services.role_revoke(actor=request.user, assignment=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        for assignment in queryset:
            services.role_revoke(actor=request.user, assignment=assignment)

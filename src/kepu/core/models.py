"""Accounts, scoped roles and the audit log."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: staff of a venue, a coordinator, an administrator."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    ALLIANCE_COORDINATOR = "alliance_coordinator", _("Alliance coordinator")
    VENUE_MANAGER = "venue_manager", _("Venue manager")
    VENUE_STAFF = "venue_staff", _("Venue staff")
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("Volunteer coordinator")


VENUE_ROLES = frozenset({Role.VENUE_MANAGER, Role.VENUE_STAFF, Role.VOLUNTEER_COORDINATOR})


class RoleAssignment(models.Model):
    """A user holds a role within a scope: the whole network, one alliance, or one venue."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    venue = models.ForeignKey(
        "network.Venue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("venue"),
    )
    alliance = models.ForeignKey(
        "network.Alliance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("alliance"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints: ClassVar = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                violation_error_message=_("This role does not fit this scope."),
                condition=(
                    Q(role=Role.NATIONAL_ADMIN, venue__isnull=True, alliance__isnull=True)
                    | Q(role=Role.ALLIANCE_COORDINATOR, venue__isnull=True, alliance__isnull=False)
                    | Q(role__in=sorted(VENUE_ROLES), venue__isnull=False, alliance__isnull=True)
                ),
            ),
            # One grant per scope; partial constraints because SQLite has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["user", "role", "venue"],
                condition=Q(venue__isnull=False),
                name="unique_venue_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "alliance"],
                condition=Q(alliance__isnull=False),
                name="unique_alliance_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(venue__isnull=True, alliance__isnull=True),
                name="unique_network_role",
            ),
        ]

    def __str__(self) -> str:
        scope = self.venue or self.alliance or _("the whole network")
        return f"{self.user} · {self.get_role_display()} · {scope}"


class AuditEntry(models.Model):
    """Who changed what, when, with the values before and after. Written by services only."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("object type"), max_length=64)
    target_id = models.CharField(_("object id"), max_length=64)
    target_repr = models.CharField(_("object"), max_length=255)
    venue = models.ForeignKey(
        "network.Venue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("venue"),
    )
    alliance = models.ForeignKey(
        "network.Alliance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("alliance"),
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ("-created_at", "-id")
        indexes: ClassVar = [
            models.Index(fields=["venue", "-created_at"], name="audit_venue_time"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_repr}"
        )

    @property
    def changes(self) -> dict[str, tuple[object, object]]:
        """The fields whose values differ between before and after."""
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return {
            key: (before.get(key), after.get(key))
            for key in keys
            if before.get(key) != after.get(key)
        }

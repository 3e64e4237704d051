"""The audit log: every change made through a service leaves an entry with before and after."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.utils import translation

from kepu.core.context import actor_label_var, request_id_var
from kepu.core.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User
    from kepu.network.models import Alliance, Venue

SKIPPED_FIELDS = frozenset({"created_at", "updated_at", "password", "last_login"})


def snapshot(instance: Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The instance's stored values as JSON-safe data (foreign keys as ids)."""
    wanted = set(fields) if fields is not None else None
    excluded = SKIPPED_FIELDS | set(getattr(instance, "AUDIT_EXCLUDE", ()))
    data = {
        field.name: field.value_from_object(instance)
        for field in instance._meta.concrete_fields
        if field.name not in excluded and (wanted is None or field.name in wanted)
    }
    loaded: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return loaded


def canonical_repr(instance: Model) -> str:
    """How the object reads in the audit log: its Chinese (canonical) name, whatever the UI."""
    with translation.override("zh-hans"):
        return str(instance)[:255]


def _actor_name(user: User | None, explicit: str) -> str:
    name = explicit or (user.get_username() if user else "system")
    label = actor_label_var.get()
    return (f"{name} ({label})" if label else name)[:150]


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    venue: Venue | None = None,
    alliance: Alliance | None = None,
    actor_name: str = "",
) -> AuditEntry:
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=user,
        actor_name=_actor_name(user, actor_name),
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=canonical_repr(target),
        venue=venue,
        alliance=alliance,
        before=before,
        after=after,
        request_id=request_id_var.get(),
    )

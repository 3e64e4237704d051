"""What every page's navigation needs: the user's scope, their venues and alliances."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kepu.core.models import Role
from kepu.core.scopes import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    role_labels = [Role(role).label for role in sorted(scope.roles) if role in Role.values]
    return {
        "scope": scope,
        "role_labels": role_labels,
        "can_see_audit": scope.is_national
        or bool(scope.coordinated_alliance_ids)
        or any("view_audit" in caps for caps in scope.venue_capabilities.values()),
    }

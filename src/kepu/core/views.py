"""Home (by role), health, the audit log, and the pieces every page shares."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kepu.core.scopes import scope_for
from kepu.network import selectors as network_selectors
from kepu.network.models import VenueKind


def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is: its venue, its alliance, or the network overview."""
    scope = scope_for(request.user)
    if scope.is_empty:
        # A volunteer without a staff role lands on their own volunteer pages.
        if request.user.is_authenticated and request.user.volunteer_records.exists():
            return redirect("volunteer-me")
        return render(request, "core/no_role.html")
    if not scope.is_national:
        venue_ids = sorted(scope.venue_capabilities)
        if len(venue_ids) == 1 and not scope.coordinated_alliance_ids:
            return redirect("venue-detail", venue_id=venue_ids[0])
        if not venue_ids:
            alliances = network_selectors.alliance_list(user=request.user)
            top = alliances.filter(pk__in=sorted(scope.coordinated_alliance_ids)).exclude(
                parent_id__in=sorted(scope.coordinated_alliance_ids)
            )
            first = top.first()
            if first is not None:
                return redirect("alliance-detail", alliance_id=first.pk)
    by_kind = network_selectors.venue_counts_by_kind(user=request.user)
    context = {
        "venue_count": sum(by_kind.values()),
        "by_kind": [(VenueKind(kind).label, kind, count) for kind, count in by_kind.items()],
        "alliances": network_selectors.alliance_list(user=request.user),
    }
    return render(request, "core/home.html", context)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Whether the database (and Redis, when configured) answers. 503 when one does not."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"error: {type(error).__name__}"
    if settings.REDIS_URL:
        try:
            cache.set("kepu:healthz", "1", timeout=5)
            checks["redis"] = "ok" if cache.get("kepu:healthz") == "1" else "error: no answer"
        except Exception as error:
            checks["redis"] = f"error: {type(error).__name__}"
    else:
        checks["redis"] = "not configured"
    healthy = all(value in ("ok", "not configured") for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def audit_log(request: HttpRequest) -> HttpResponse:
    venue_id = request.GET.get("venue", "")
    entries = network_selectors.audit_entries(
        user=request.user,
        venue_id=int(venue_id) if venue_id.isdigit() else None,
        action=request.GET.get("action", "").strip(),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "action": request.GET.get("action", ""), "venue_id": venue_id},
    )

"""Caravan week planning: the requests, the planner, its routes, adopting them as trips."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kepu.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from kepu.core.forms import form_page, submit
from kepu.core.scopes import Capability
from kepu.network.selectors import venue_get
from kepu.touring import selectors
from kepu.touring.explain import caravan_reason_in_words
from kepu.touring.forms import CaravanRequestForm, WeekPlanForm
from kepu.touring.models import CaravanPlan, CaravanPlanStatus, CaravanRequest, RequestStatus
from kepu.touring.services import caravans as services


def caravan_planning(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_PROGRAMS)
    form = WeekPlanForm(request.POST or None, venue=venue)
    if request.method == "POST":
        data = form.cleaned_data if form.is_valid() else {}

        def plan() -> CaravanPlan:
            return services.caravan_plan_propose(
                actor=request.user,
                caravan=data["caravan"],
                settings=services.WeekSettings(
                    week_starts=data["week_starts"],
                    depot=data["depot"],
                    working_days=sum(1 << day for day in data["working_days"]),
                    day_starts=data["day_starts"],
                    day_ends=data["day_ends"],
                    max_drive_minutes=data["max_drive_minutes"],
                    max_km_per_day=data["max_km_per_day"],
                    speed_kmh=data["speed_kmh"],
                    road_factor=Decimal("1.30"),
                    time_limit=data["time_limit"],
                ),
            )

        made = submit(request, form, plan)
        if made is not None:
            return redirect("touring-caravan-plan", made.pk)
    return render(
        request,
        "touring/caravan.html",
        {
            "venue": venue,
            "form": form,
            "requests": selectors.caravan_requests(
                venue_id=venue.pk, statuses=[RequestStatus.WAITING, RequestStatus.SCHEDULED]
            )[:300],
            "plans": selectors.caravan_plans(venue_id=venue.pk)[:30],
        },
        status=422 if request.method == "POST" else 200,
    )


def request_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_PROGRAMS)
    form = CaravanRequestForm(request.POST or None, venue=venue)
    return form_page(
        request,
        form=form,
        action=lambda: services.request_create(
            actor=request.user, venue=venue, data=form.service_data()
        ),
        title=_("Caravan visit request"),
        cancel_url=reverse("touring-caravan", args=[venue.pk]),
        success_url=reverse("touring-caravan", args=[venue.pk]),
        success_message=_("The request is waiting for a date."),
    )


@require_POST
def request_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    found = CaravanRequest.objects.select_related("venue").filter(pk=request_id).first()
    if found is None:
        raise NotFoundError()
    venue = venue_get(
        user=request.user, venue_id=found.venue_id, capability=Capability.MANAGE_PROGRAMS
    )
    try:
        services.request_withdraw(actor=request.user, request=found)
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The request was withdrawn."))
    return redirect("touring-caravan", venue.pk)


def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.caravan_plan_get(user=request.user, plan_id=plan_id)
    requests = CaravanRequest.objects.in_bulk([item["request"] for item in plan.unserved])
    unserved = [
        (requests.get(item["request"]), caravan_reason_in_words(item["reason"]))
        for item in plan.unserved
    ]
    return render(
        request,
        "touring/caravan_plan.html",
        {
            "plan": plan,
            "venue": plan.venue,
            "routes": plan.days.all(),
            "unserved": unserved,
            "map": selectors.caravan_plan_map(plan),
            "can_adopt": plan.status == CaravanPlanStatus.PROPOSED,
        },
    )


@require_POST
def plan_adopt(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.caravan_plan_get(user=request.user, plan_id=plan_id)
    try:
        services.caravan_plan_adopt(actor=request.user, plan=plan)
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("touring-caravan-plan", plan.pk)
    messages.success(request, _("The routes are caravan trips now."))
    return redirect("programs-trips", plan.venue_id)


@require_POST
def plan_discard(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.caravan_plan_get(user=request.user, plan_id=plan_id)
    try:
        services.caravan_plan_discard(actor=request.user, plan=plan)
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("touring-caravan", plan.venue_id)

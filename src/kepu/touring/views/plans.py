"""The rotation planner's pages: ask for a plan, compare it with the plan in force, edit it,
run the planner again keeping the edits, adopt it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kepu.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from kepu.core.forms import add_application_error
from kepu.core.params import year_param
from kepu.touring import selectors
from kepu.touring.explain import Names, conflict_in_words, unserved_in_words
from kepu.touring.forms import PlanEditForm, PlannerForm
from kepu.touring.models import PlanStatus
from kepu.touring.services import plans as plan_services
from kepu.touring.services.rotation import PinRequest, RotationRequest, rotation_plan_propose


def planner(request: HttpRequest, region_id: int) -> HttpResponse:
    region = selectors.region_get(user=request.user, region_id=region_id)
    if not selectors.can_plan(request.user, region):
        raise PermissionDeniedError()
    year = year_param(request, default=timezone.localdate().year + 1)
    form = PlannerForm(
        request.POST or None, region=region, initial=PlannerForm.initial_for(region, year)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = rotation_plan_propose(
                actor=request.user,
                request=RotationRequest(
                    region=region,
                    year=data["year"],
                    periods=form.periods_list(),
                    repeat_years=data["repeat_years"],
                    weighting=data["weighting"],
                    required_venue_ids=[venue.pk for venue in data["required"]],
                    time_limit=data["time_limit"],
                ),
            )
        except (NotFoundError, PermissionDeniedError):
            raise
        except ApplicationError as error:
            add_application_error(form, error)
            messages.error(request, str(error.message))
        else:
            return redirect("touring-plan", plan.pk)
    elif request.method == "POST":
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "touring/planner.html",
        {"region": region, "form": form, "year": year},
        status=422 if request.method == "POST" else 200,
    )


def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    names = Names.for_plan(plan)
    return render(
        request,
        "touring/plan.html",
        {
            "plan": plan,
            "region": plan.region,
            "comparison": selectors.plan_comparison(plan),
            "grid": selectors.plan_grid(plan),
            "periods": plan.periods.order_by("sequence"),
            "map": selectors.plan_map(plan),
            "timeline": selectors.plan_timeline(plan),
            "conflicts": [conflict_in_words(item, names) for item in plan.conflicts],
            "unserved": [unserved_in_words(item, names) for item in plan.unserved],
            "required": plan.required_venues.all(),
            "edit_form": PlanEditForm(plan=plan),
            "can_plan": selectors.can_plan(request.user, plan.region)
            and plan.status == PlanStatus.PROPOSED,
        },
    )


@require_POST
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    form = PlanEditForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, _("Choose a stop and a set of this plan."))
        return redirect("touring-plan", plan.pk)
    try:
        plan_services.plan_stop_set(
            actor=request.user,
            plan=plan,
            period=form.cleaned_data["period"],
            item=form.cleaned_data["set"],
            venue=form.cleaned_data["venue"],
        )
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The plan was changed; the change is kept if you plan again."))
    return redirect("touring-plan", plan.pk)


@require_POST
def plan_replan(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Run the planner again on the plan's periods, keeping the stops the coordinator set."""
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    periods = list(plan.periods.order_by("sequence"))
    pins = [
        PinRequest(stop.set_id, stop.venue_id, stop.period.sequence - 1)
        for stop in plan.stops.filter(pinned=True).select_related("period")
    ]
    try:
        made = rotation_plan_propose(
            actor=request.user,
            request=RotationRequest(
                region=plan.region,
                year=plan.year,
                periods=[(period.starts_on, period.ends_on) for period in periods],
                repeat_years=plan.repeat_years,
                weighting=plan.weighting,
                required_venue_ids=list(plan.required_venues.values_list("pk", flat=True)),
                pins=pins,
                time_limit=plan.time_limit_seconds or 20,
                based_on=plan,
            ),
        )
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("touring-plan", plan.pk)
    return redirect("touring-plan", made.pk)


@require_POST
def plan_adopt(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    try:
        plan_services.rotation_plan_adopt(actor=request.user, plan=plan)
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        messages.error(request, str(error.message))
        for reason in error.fields.get("stops", [])[1:6]:
            messages.error(request, str(reason))
        return redirect("touring-plan", plan.pk)
    messages.success(request, _("The plan is adopted: its stops are on the sets' tours."))
    return redirect(reverse("touring-region", args=[plan.region_id]) + f"?year={plan.year}")


@require_POST
def plan_discard(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    try:
        plan_services.rotation_plan_discard(actor=request.user, plan=plan)
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("touring-plan", plan.pk)
    messages.success(request, _("The plan was discarded."))
    return redirect(reverse("touring-region", args=[plan.region_id]) + f"?year={plan.year}")

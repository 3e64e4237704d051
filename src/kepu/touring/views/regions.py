"""Regions, their sets and host venues: the coordinator's overview with the map and timeline."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kepu.core.errors import NotFoundError, PermissionDeniedError
from kepu.core.forms import form_page, initial_from, submit
from kepu.core.params import year_param
from kepu.core.scopes import Capability, scope_for
from kepu.programs.models import Caravan
from kepu.touring import selectors
from kepu.touring.forms import (
    AvailabilityForm,
    DistancesForm,
    ExhibitForm,
    HostForm,
    MaintenanceForm,
    SetForm,
)
from kepu.touring.models import Exhibit, HostAvailability, MaintenancePeriod
from kepu.touring.services import registry
from kepu.touring.services.registry import ExhibitInput


def index(request: HttpRequest) -> HttpResponse:
    """Regions the user reads, and the caravans whose weeks they plan."""
    scope = scope_for(request.user)
    caravans = Caravan.objects.filter(is_active=True).select_related("venue")
    if not scope.is_national:
        caravans = caravans.filter(
            venue_id__in=[
                venue_id
                for venue_id, capabilities in scope.venue_capabilities.items()
                if Capability.MANAGE_PROGRAMS in capabilities
            ]
        )
    return render(
        request,
        "touring/index.html",
        {
            "regions": selectors.region_list(user=request.user),
            "caravans": caravans.order_by("venue__name", "name")[:100],
        },
    )


def region_detail(request: HttpRequest, region_id: int) -> HttpResponse:
    region = selectors.region_get(user=request.user, region_id=region_id)
    year = year_param(request)
    coordinator = region.coordinator
    figures = selectors.touring_figures(
        selectors.region_sets(region).values_list("venue_id", flat=True).distinct(),
        date(year, 1, 1),
        date(year, 12, 31),
    )
    return render(
        request,
        "touring/region.html",
        {
            "region": region,
            "year": year,
            "coordinator": coordinator,
            "figures": figures,
            "map": selectors.region_map(region, year),
            "timeline": selectors.region_timeline(region, year),
            "plans": selectors.region_plans(region).filter(year__in=[year, year + 1])[:20],
            "in_force": selectors.plan_in_force(region, year),
            "sets": selectors.region_sets(region),
            "can_plan": selectors.can_plan(request.user, region),
        },
    )


def hosts_page(request: HttpRequest, region_id: int) -> HttpResponse:
    region = selectors.region_get(user=request.user, region_id=region_id)
    can_plan = selectors.can_plan(request.user, region)
    form = HostForm(request.POST or None, region=region)
    if request.method == "POST":
        if not can_plan:
            raise PermissionDeniedError()
        data = form.cleaned_data if form.is_valid() else {}
        made = submit(
            request,
            form,
            lambda: registry.host_create(
                actor=request.user,
                region=region,
                venue=data["venue"],
                data={k: v for k, v in data.items() if k != "venue"},
            ),
        )
        if made is not None:
            messages.success(request, _("The venue hosts in the region now."))
            return redirect("touring-hosts", region.pk)
    return render(
        request,
        "touring/hosts.html",
        {
            "region": region,
            "hosts": selectors.region_hosts(region),
            "form": form,
            "can_plan": can_plan,
        },
        status=422 if request.method == "POST" else 200,
    )


def host_detail(request: HttpRequest, host_id: int) -> HttpResponse:
    host = selectors.host_get(user=request.user, host_id=host_id)
    can_plan = selectors.can_plan(request.user, host.region)
    form = AvailabilityForm(request.POST or None)
    if request.method == "POST":
        if not can_plan:
            raise PermissionDeniedError()
        if submit(
            request,
            form,
            lambda: registry.availability_add(
                actor=request.user, host=host, data=form.cleaned_data
            ),
        ):
            messages.success(request, _("Hosting dates added."))
            return redirect("touring-host", host.pk)
    return render(
        request,
        "touring/host.html",
        {
            "host": host,
            "region": host.region,
            "history": selectors.host_history(host)[:50],
            "availability": host.availability.order_by("starts_on"),
            "form": form,
            "can_plan": can_plan,
        },
        status=422 if request.method == "POST" else 200,
    )


def host_edit(request: HttpRequest, host_id: int) -> HttpResponse:
    host = selectors.host_get(user=request.user, host_id=host_id)
    form = HostForm(request.POST or None, region=host.region, instance=host)
    if request.method != "POST":
        form.initial = initial_from(host, form.fields)
    return form_page(
        request,
        form=form,
        action=lambda: registry.host_update(actor=request.user, host=host, data=form.cleaned_data),
        title=host.venue.display_name,
        cancel_url=reverse("touring-host", args=[host.pk]),
        success_url=reverse("touring-host", args=[host.pk]),
        success_message=_("Saved."),
    )


@require_POST
def availability_remove(request: HttpRequest, availability_id: int) -> HttpResponse:
    found = (
        HostAvailability.objects.select_related("host__region").filter(pk=availability_id).first()
    )
    if found is None:
        raise NotFoundError()
    host = selectors.host_get(user=request.user, host_id=found.host_id)
    registry.availability_remove(actor=request.user, availability=found)
    messages.success(request, _("Hosting dates removed."))
    return redirect("touring-host", host.pk)


def distances_page(request: HttpRequest, region_id: int) -> HttpResponse:
    region = selectors.region_get(user=request.user, region_id=region_id)
    form = DistancesForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form=form,
        action=lambda: registry.distances_import(
            actor=request.user, region=region, text=form.text()
        ),
        title=_("Road distances of %(region)s") % {"region": region.display_name},
        cancel_url=reverse("touring-region", args=[region.pk]),
        success_url=reverse("touring-region", args=[region.pk]),
        success_message=_("Road distances imported."),
        template="touring/distances.html",
        context={"region": region, "pairs": region.road_distances.count()},
    )


# Sets ------------------------------------------------------------------------------------------


def set_edit(
    request: HttpRequest, region_id: int | None = None, set_id: int | None = None
) -> HttpResponse:
    item = selectors.set_get(user=request.user, set_id=set_id) if set_id is not None else None
    region = (
        item.region
        if item is not None
        else selectors.region_get(user=request.user, region_id=region_id or 0)
    )
    form = SetForm(request.POST or None, region=region, instance=item)

    def save() -> object:
        data, names = form.service_data()
        themes = registry.themes_by_name(actor=request.user, names=names)
        if item is None:
            return registry.set_create(actor=request.user, region=region, data=data, themes=themes)
        return registry.set_update(actor=request.user, item=item, data=data, themes=themes)

    return form_page(
        request,
        form=form,
        action=save,
        title=_("Touring set") if item is None else str(item),
        cancel_url=reverse("touring-set", args=[item.pk])
        if item
        else reverse("touring-region", args=[region.pk]),
        success_url=lambda made: reverse("touring-set", args=[made.pk]),
        success_message=_("Saved."),
    )


def set_detail(request: HttpRequest, set_id: int) -> HttpResponse:
    item = selectors.set_get(user=request.user, set_id=set_id)
    can_plan = selectors.can_plan(request.user, item.region)
    exhibit_form = ExhibitForm(request.POST if request.POST.get("form") == "exhibit" else None)
    maintenance_form = MaintenanceForm(
        request.POST if request.POST.get("form") == "maintenance" else None
    )
    if request.method == "POST":
        if not can_plan:
            raise PermissionDeniedError()
        done: object
        if request.POST.get("form") == "exhibit":
            done = submit(
                request,
                exhibit_form,
                lambda: registry.exhibits_add(
                    actor=request.user,
                    item=item,
                    exhibits=[ExhibitInput(**exhibit_form.cleaned_data)],
                ),
            )
        else:
            done = submit(
                request,
                maintenance_form,
                lambda: registry.maintenance_add(
                    actor=request.user, item=item, data=maintenance_form.cleaned_data
                ),
            )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("touring-set", item.pk)
    return render(
        request,
        "touring/set.html",
        {
            "item": item,
            "region": item.region,
            "exhibits": item.exhibits.order_by("id"),
            "maintenance": item.maintenance_periods.order_by("starts_on"),
            "stops": selectors.set_stops(item)[:60],
            "exhibit_form": exhibit_form,
            "maintenance_form": maintenance_form,
            "can_plan": can_plan,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def exhibit_remove(request: HttpRequest, exhibit_id: int) -> HttpResponse:
    exhibit = Exhibit.objects.select_related("set__region").filter(pk=exhibit_id).first()
    if exhibit is None:
        raise NotFoundError()
    item = selectors.set_get(user=request.user, set_id=exhibit.set_id)
    registry.exhibit_remove(actor=request.user, exhibit=exhibit)
    messages.success(request, _("The exhibit was removed."))
    return redirect("touring-set", item.pk)


@require_POST
def maintenance_remove(request: HttpRequest, period_id: int) -> HttpResponse:
    period = MaintenancePeriod.objects.select_related("set__region").filter(pk=period_id).first()
    if period is None:
        raise NotFoundError()
    item = selectors.set_get(user=request.user, set_id=period.set_id)
    registry.maintenance_remove(actor=request.user, period=period)
    messages.success(request, _("The maintenance period was removed."))
    return redirect("touring-set", item.pk)

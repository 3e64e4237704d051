"""Pages of the network registry. Each view parses input, calls one service or selector, renders."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kepu.core.errors import ApplicationError, NotFoundError
from kepu.core.forms import form_page, initial_from
from kepu.core.scopes import Capability, scope_for
from kepu.network import selectors, services
from kepu.network.forms import (
    AllianceForm,
    AllianceMemberForm,
    CalendarExceptionForm,
    HallForm,
    MembershipEndForm,
    OpeningPatternForm,
    OrganisationForm,
    OrganisationYearForm,
    VenueForm,
)
from kepu.network.models import (
    CalendarException,
    Hall,
    Membership,
    OpeningPattern,
    Organisation,
    OrganisationYear,
    VenueKind,
    VenueLevel,
)


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


# Venues ----------------------------------------------------------------------------------------


@require_GET
def venue_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "kind": request.GET.get("kind", "") if request.GET.get("kind") in VenueKind.values else "",
        "level": request.GET.get("level", "")
        if request.GET.get("level") in VenueLevel.values
        else "",
        "province": request.GET.get("province", "")[:6],
        "search": request.GET.get("q", "").strip()[:100],
    }
    venues = selectors.venue_list(
        user=request.user, alliance_id=_int_param(request, "alliance"), **filters
    )
    page = Paginator(venues, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "kinds": VenueKind.choices,
        "levels": VenueLevel.choices,
        "provinces": selectors.provinces(),
        "can_create": scope_for(request.user).is_national,
        "query": request.GET.urlencode(),
    }
    template = "network/_venue_table.html" if request.htmx else "network/venue_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def venue_create(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).is_national:
        raise NotFoundError()
    form = VenueForm(request.POST or None)
    return form_page(
        request,
        form=form,
        action=lambda: services.venue_create(actor=request.user, data=form.cleaned_data),
        title=_("Register a venue"),
        cancel_url=reverse("venue-list"),
        success_url=lambda venue: reverse("venue-detail", args=[venue.pk]),
        success_message=_("The venue is registered."),
        context={"provinces": selectors.provinces()},
        template="network/venue_form.html",
    )


@require_GET
def venue_detail(request: HttpRequest, venue_id: int) -> HttpResponse:
    overview = selectors.venue_overview(user=request.user, venue_id=venue_id)
    year = timezone.localdate().year
    summary = selectors.venue_open_days(
        user=request.user, venue_id=venue_id, start=date(year, 1, 1), end=date(year, 12, 31)
    )
    return render(
        request,
        "network/venue_detail.html",
        {
            "o": overview,
            "venue": overview.venue,
            "year": year,
            "year_summary": summary,
            "can_manage": Capability.MANAGE_REGISTRY in overview.capabilities,
            "can_manage_calendar": Capability.MANAGE_CALENDAR in overview.capabilities,
            "upcoming": overview.venue.calendar_exceptions.filter(
                ends_on__gte=timezone.localdate()
            )[:5],
        },
    )


def venue_edit(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = selectors.venue_get(
        user=request.user, venue_id=venue_id, capability=Capability.MANAGE_REGISTRY
    )
    national = scope_for(request.user).is_national
    form = VenueForm(request.POST or None, national=national)
    form.initial = initial_from(venue, form.fields)
    return form_page(
        request,
        form=form,
        action=lambda: services.venue_update(
            actor=request.user, venue=venue, data=form.cleaned_data
        ),
        title=_("Edit %(venue)s") % {"venue": venue.display_name},
        cancel_url=reverse("venue-detail", args=[venue.pk]),
        success_url=reverse("venue-detail", args=[venue.pk]),
        success_message=_("Saved."),
    )


# Halls -----------------------------------------------------------------------------------------


def hall_create(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = selectors.venue_get(
        user=request.user, venue_id=venue_id, capability=Capability.MANAGE_REGISTRY
    )
    form = HallForm(request.POST or None)
    return form_page(
        request,
        form=form,
        action=lambda: services.hall_create(
            actor=request.user, venue=venue, data=form.cleaned_data
        ),
        title=_("Add a hall to %(venue)s") % {"venue": venue.display_name},
        cancel_url=reverse("venue-detail", args=[venue.pk]) + "#halls",
        success_url=reverse("venue-detail", args=[venue.pk]) + "#halls",
        success_message=_("The hall is added."),
    )


def hall_edit(request: HttpRequest, venue_id: int, hall_id: int) -> HttpResponse:
    hall = selectors.venue_child_get(
        user=request.user,
        venue_id=venue_id,
        model=Hall,
        pk=hall_id,
        capability=Capability.MANAGE_REGISTRY,
    )
    venue = hall.venue
    form = HallForm(request.POST or None)
    form.initial = initial_from(hall, form.fields)
    return form_page(
        request,
        form=form,
        action=lambda: services.hall_update(actor=request.user, hall=hall, data=form.cleaned_data),
        title=_("Edit hall %(hall)s") % {"hall": hall.display_name},
        cancel_url=reverse("venue-detail", args=[venue.pk]) + "#halls",
        success_url=reverse("venue-detail", args=[venue.pk]) + "#halls",
        success_message=_("Saved."),
    )


# Opening calendar ------------------------------------------------------------------------------


@require_GET
def venue_calendar(request: HttpRequest, venue_id: int) -> HttpResponse:
    year = _int_param(request, "year") or timezone.localdate().year
    calendar_year = selectors.venue_calendar_year(user=request.user, venue_id=venue_id, year=year)
    scope = scope_for(request.user)
    context = {
        "cal": calendar_year,
        "venue": calendar_year.venue,
        "today": timezone.localdate(),
        "can_manage": scope.can(Capability.MANAGE_REGISTRY, venue_id),
        "can_manage_calendar": scope.can(Capability.MANAGE_CALENDAR, venue_id),
    }
    template = "network/_calendar_year.html" if request.htmx else "network/venue_calendar.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_GET
def venue_day(request: HttpRequest, venue_id: int) -> HttpResponse:
    """Is the venue open on this date, and why (an htmx fragment)."""
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return render(
            request,
            "network/_day_status.html",
            {"error": _("Enter a date such as 2024-10-01.")},
        )
    try:
        status = selectors.venue_day_status(user=request.user, venue_id=venue_id, day=day)
    except ApplicationError as error:
        if isinstance(error, NotFoundError):
            raise
        return render(request, "network/_day_status.html", {"error": error.message})
    return render(request, "network/_day_status.html", {"status": status})


def pattern_create(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = selectors.venue_get(
        user=request.user, venue_id=venue_id, capability=Capability.MANAGE_REGISTRY
    )
    form = OpeningPatternForm(request.POST or None)
    return form_page(
        request,
        form=form,
        action=lambda: services.opening_pattern_create(
            actor=request.user, venue=venue, data=form.service_data()
        ),
        title=_("New weekly opening pattern"),
        cancel_url=reverse("venue-calendar", args=[venue.pk]),
        success_url=reverse("venue-calendar", args=[venue.pk]),
        success_message=_("The weekly pattern is saved."),
    )


def pattern_edit(request: HttpRequest, venue_id: int, pattern_id: int) -> HttpResponse:
    pattern = selectors.venue_child_get(
        user=request.user,
        venue_id=venue_id,
        model=OpeningPattern,
        pk=pattern_id,
        capability=Capability.MANAGE_REGISTRY,
    )
    venue = pattern.venue
    form = OpeningPatternForm(request.POST or None)
    form.initial = {**initial_from(pattern, form.fields), "weekdays": pattern.weekdays}
    return form_page(
        request,
        form=form,
        action=lambda: services.opening_pattern_update(
            actor=request.user, pattern=pattern, data=form.service_data()
        ),
        title=_("Edit the weekly opening pattern"),
        cancel_url=reverse("venue-calendar", args=[venue.pk]),
        success_url=reverse("venue-calendar", args=[venue.pk]),
        success_message=_("The weekly pattern is saved."),
    )


def exception_create(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = selectors.venue_get(
        user=request.user, venue_id=venue_id, capability=Capability.MANAGE_CALENDAR
    )
    form = CalendarExceptionForm(request.POST or None)
    return form_page(
        request,
        form=form,
        action=lambda: services.calendar_exception_create(
            actor=request.user, venue=venue, data=form.cleaned_data
        ),
        title=_("Announce a closure or special opening"),
        cancel_url=reverse("venue-calendar", args=[venue.pk]),
        success_url=reverse("venue-calendar", args=[venue.pk]),
        success_message=_("The calendar is updated."),
    )


@require_POST
def exception_delete(request: HttpRequest, venue_id: int, exception_id: int) -> HttpResponse:
    exception = selectors.venue_child_get(
        user=request.user,
        venue_id=venue_id,
        model=CalendarException,
        pk=exception_id,
        capability=Capability.MANAGE_CALENDAR,
    )
    venue = exception.venue
    services.calendar_exception_delete(actor=request.user, exception=exception)
    messages.success(request, _("Removed from the calendar."))
    return redirect(
        reverse("venue-calendar", args=[venue.pk]) + f"?year={exception.starts_on.year}"
    )


# Organisation ----------------------------------------------------------------------------------


def _venue_organisation(request: HttpRequest, venue_id: int) -> tuple[Any, Organisation]:
    venue = selectors.venue_get(
        user=request.user, venue_id=venue_id, capability=Capability.MANAGE_REGISTRY
    )
    if venue.organisation is None:
        raise NotFoundError()
    return venue, venue.organisation


def organisation_edit(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue, organisation = _venue_organisation(request, venue_id)
    form = OrganisationForm(request.POST or None)
    form.initial = initial_from(organisation, form.fields)
    return form_page(
        request,
        form=form,
        action=lambda: services.organisation_update(
            actor=request.user, organisation=organisation, data=form.cleaned_data
        ),
        title=_("Edit the registration record"),
        cancel_url=reverse("venue-detail", args=[venue.pk]) + "#registration",
        success_url=reverse("venue-detail", args=[venue.pk]) + "#registration",
        success_message=_("Saved."),
    )


def organisation_year(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue, organisation = _venue_organisation(request, venue_id)
    year = _int_param(request, "year")
    form = OrganisationYearForm(request.POST or None)
    existing = (
        OrganisationYear.objects.filter(organisation=organisation, year=year).first()
        if year
        else None
    )
    form.initial = initial_from(existing, form.fields) if existing else {"year": year}

    def action() -> OrganisationYear:
        data = {k: v for k, v in form.cleaned_data.items() if k != "year"}
        return services.organisation_year_save(
            actor=request.user, organisation=organisation, year=form.cleaned_data["year"], data=data
        )

    return form_page(
        request,
        form=form,
        action=action,
        title=_("Annual registration figures"),
        cancel_url=reverse("venue-detail", args=[venue.pk]) + "#registration",
        success_url=reverse("venue-detail", args=[venue.pk]) + "#registration",
        success_message=_("Saved."),
    )


# Alliances -------------------------------------------------------------------------------------


@require_GET
def alliance_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "network/alliance_list.html",
        {
            "alliances": selectors.alliance_list(user=request.user),
            "can_create": scope_for(request.user).is_national,
        },
    )


@require_GET
def alliance_detail(request: HttpRequest, alliance_id: int) -> HttpResponse:
    alliance = selectors.alliance_get(user=request.user, alliance_id=alliance_id)
    province = request.GET.get("province", "")[:6]
    search = request.GET.get("q", "").strip()[:100]
    all_members = selectors.alliance_members(user=request.user, alliance=alliance)
    members = selectors.alliance_members(
        user=request.user, alliance=alliance, province=province, search=search
    )
    scope = scope_for(request.user)
    readable = scope.readable_venue_ids()
    children = list(selectors.alliance_list(user=request.user).filter(parent=alliance))
    context = {
        "alliance": alliance,
        "members": members,
        "member_total": all_members.count(),
        "provinces": selectors.province_counts(all_members),
        "children": children,
        "has_children": bool(children),
        "province": province,
        "search": search,
        "readable_venue_ids": readable,
        "can_manage": scope.can_manage_alliance(alliance.pk),
    }
    template = "network/_member_table.html" if request.htmx else "network/alliance_detail.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def alliance_create(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).is_national:
        raise NotFoundError()
    form = AllianceForm(request.POST or None)
    return form_page(
        request,
        form=form,
        action=lambda: services.alliance_create(actor=request.user, data=form.cleaned_data),
        title=_("Found an alliance"),
        cancel_url=reverse("alliance-list"),
        success_url=lambda alliance: reverse("alliance-detail", args=[alliance.pk]),
        success_message=_("The alliance is registered."),
    )


def alliance_edit(request: HttpRequest, alliance_id: int) -> HttpResponse:
    alliance = selectors.alliance_get(user=request.user, alliance_id=alliance_id, manage=True)
    form = AllianceForm(request.POST or None, national=scope_for(request.user).is_national)
    form.initial = initial_from(alliance, form.fields)
    return form_page(
        request,
        form=form,
        action=lambda: services.alliance_update(
            actor=request.user, alliance=alliance, data=form.cleaned_data
        ),
        title=_("Edit %(alliance)s") % {"alliance": alliance.display_name},
        cancel_url=reverse("alliance-detail", args=[alliance.pk]),
        success_url=reverse("alliance-detail", args=[alliance.pk]),
        success_message=_("Saved."),
    )


def member_add(request: HttpRequest, alliance_id: int) -> HttpResponse:
    alliance = selectors.alliance_get(user=request.user, alliance_id=alliance_id, manage=True)
    form = AllianceMemberForm(request.POST or None, initial={"since": timezone.localdate()})
    return form_page(
        request,
        form=form,
        action=lambda: services.membership_add(
            actor=request.user, alliance=alliance, **form.cleaned_data
        ),
        title=_("Add a member to %(alliance)s") % {"alliance": alliance.display_name},
        cancel_url=reverse("alliance-detail", args=[alliance.pk]),
        success_url=reverse("alliance-detail", args=[alliance.pk]),
        success_message=_("The venue is now a member."),
    )


def member_end(request: HttpRequest, alliance_id: int, membership_id: int) -> HttpResponse:
    alliance = selectors.alliance_get(user=request.user, alliance_id=alliance_id, manage=True)
    membership = (
        Membership.objects.select_related("venue", "alliance")
        .filter(pk=membership_id, alliance_id__in=selectors.alliance_tree_ids(alliance))
        .first()
    )
    if membership is None:
        raise NotFoundError()
    form = MembershipEndForm(request.POST or None, initial={"until": timezone.localdate()})
    return form_page(
        request,
        form=form,
        action=lambda: services.membership_end(
            actor=request.user, membership=membership, until=form.cleaned_data["until"]
        ),
        title=_("End the membership of %(venue)s") % {"venue": membership.venue.display_name},
        cancel_url=reverse("alliance-detail", args=[alliance.pk]),
        success_url=reverse("alliance-detail", args=[alliance.pk]),
        success_message=_("The membership has ended."),
    )


@require_GET
def division_options(request: HttpRequest) -> HttpResponse:
    """The divisions under a parent as <option>s, for the province → city → county picker."""
    parent = request.GET.get("parent", "")[:6]
    children = selectors.division_children(parent) if parent.isdigit() else []
    return render(request, "network/_division_options.html", {"divisions": children})

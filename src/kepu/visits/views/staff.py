"""The venue's side of visits: the day's bookings, groups, settings, the gate, attendance."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kepu.core.errors import ApplicationError, NotFoundError
from kepu.core.forms import add_application_error, form_page, initial_from
from kepu.core.scopes import Capability, scope_for
from kepu.network.selectors import venue_get
from kepu.visits import selectors
from kepu.visits.forms import AttendanceForm, SlotForm, SlotTemplateForm, VisitRulesForm
from kepu.visits.models import Booking, BookingPerson, SlotTemplate, VisitRules
from kepu.visits.services import attendance, gate, privacy
from kepu.visits.services.booking import booking_cancel, group_booking_decide
from kepu.visits.services.rules import (
    bookable_until,
    slot_template_create,
    slot_template_update,
    slot_update,
    slots_ensure,
    visit_rules_save,
)


def _day(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate()


def visits_day(request: HttpRequest, venue_id: int) -> HttpResponse:
    day = _day(request)
    venue = venue_get(user=request.user, venue_id=venue_id)
    rules = VisitRules.objects.filter(venue=venue).first()
    if rules is not None:
        slots_ensure(venue, timezone.localdate(), bookable_until(rules))
    overview = selectors.day_overview(user=request.user, venue_id=venue_id, day=day)
    scope = scope_for(request.user)
    return render(
        request,
        "visits/staff/day.html",
        {
            "venue": venue,
            "o": overview,
            "rules": rules,
            "gate": gate.gate_figures(venue, day),
            "can_manage": scope.can(Capability.MANAGE_VISITS, venue.pk),
            "can_groups": scope.can(Capability.HANDLE_GROUPS, venue.pk),
            "can_gate": scope.can(Capability.OPERATE_GATE, venue.pk),
        },
    )


def slot_detail(request: HttpRequest, venue_id: int, slot_id: int) -> HttpResponse:
    slot, bookings = selectors.slot_bookings(user=request.user, venue_id=venue_id, slot_id=slot_id)
    scope = scope_for(request.user)
    form = SlotForm(
        request.POST if request.POST.get("action") == "slot" else None,
        initial={
            "capacity": slot.capacity,
            "group_quota": slot.group_quota,
            "is_closed": slot.is_closed,
        },
    )
    revealed = None
    if request.method == "POST" and request.POST.get("action") == "slot" and form.is_valid():
        try:
            slot_update(actor=request.user, slot=slot, data=form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("visits-slot", venue_id=venue_id, slot_id=slot_id)
        except ApplicationError as error:
            messages.error(request, str(error.message))
    if request.method == "POST" and request.POST.get("action") == "reveal":
        person = (
            BookingPerson.objects.filter(
                pk=request.POST.get("person", "0") or 0, booking__slot=slot
            )
            .select_related("booking__venue")
            .first()
        )
        if person is None:
            raise NotFoundError()
        try:
            revealed = (
                person.pk,
                privacy.person_reveal(
                    actor=request.user, person=person, reason=request.POST.get("reason", "")
                ),
            )
        except ApplicationError as error:
            if isinstance(error, NotFoundError):
                raise
            messages.error(request, str(error.message))
    return render(
        request,
        "visits/staff/slot.html",
        {
            "venue": slot.venue,
            "slot": slot,
            "bookings": bookings,
            "form": form,
            "revealed": revealed,
            "can_manage": scope.can(Capability.MANAGE_VISITS, slot.venue_id),
            "can_reveal": scope.can(Capability.REVEAL_PERSONAL_DATA, slot.venue_id),
            "can_groups": scope.can(Capability.HANDLE_GROUPS, slot.venue_id),
        },
    )


def _booking(request: HttpRequest, venue_id: int, booking_id: int) -> Booking:
    venue = venue_get(user=request.user, venue_id=venue_id)
    booking = (
        Booking.objects.filter(venue=venue, pk=booking_id).select_related("slot", "venue").first()
    )
    if booking is None:
        raise NotFoundError()
    return booking


@require_POST
def group_decide(request: HttpRequest, venue_id: int, booking_id: int) -> HttpResponse:
    booking = _booking(request, venue_id, booking_id)
    approve = request.POST.get("decision") == "approve"
    try:
        group_booking_decide(
            actor=request.user,
            booking=booking,
            approve=approve,
            reason=request.POST.get("reason", ""),
        )
        messages.success(
            request, _("The group is approved.") if approve else _("The group is declined.")
        )
    except ApplicationError as error:
        if isinstance(error, NotFoundError):
            raise
        messages.error(request, str(error.message))
    return redirect(reverse("visits-day", args=[venue_id]) + f"?date={booking.date:%Y-%m-%d}")


@require_POST
def staff_cancel(request: HttpRequest, venue_id: int, booking_id: int) -> HttpResponse:
    booking = _booking(request, venue_id, booking_id)
    try:
        booking_cancel(booking=booking, actor=request.user)
        messages.success(request, _("The booking is cancelled."))
    except ApplicationError as error:
        if isinstance(error, NotFoundError):
            raise
        messages.error(request, str(error.message))
    return redirect("visits-slot", venue_id=venue_id, slot_id=booking.slot_id)


def settings_page(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_VISITS)
    rules = VisitRules.objects.filter(venue=venue).first()
    form = VisitRulesForm(request.POST or None)
    if rules is not None:
        form.initial = initial_from(rules, form.fields)
    return form_page(
        request,
        form=form,
        action=lambda: visit_rules_save(actor=request.user, venue=venue, data=form.cleaned_data),
        title=_("Booking rules of %(venue)s") % {"venue": venue.display_name},
        cancel_url=reverse("visits-day", args=[venue.pk]),
        success_url=reverse("visits-templates", args=[venue.pk]),
        success_message=_("The booking rules are saved."),
    )


def templates_page(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_VISITS)
    return render(
        request,
        "visits/staff/templates.html",
        {
            "venue": venue,
            "rules": VisitRules.objects.filter(venue=venue).first(),
            "templates": SlotTemplate.objects.filter(venue=venue).select_related("hall"),
        },
    )


def template_edit(
    request: HttpRequest, venue_id: int, template_id: int | None = None
) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_VISITS)
    template = None
    if template_id is not None:
        template = SlotTemplate.objects.filter(venue=venue, pk=template_id).first()
        if template is None:
            raise NotFoundError()
    form = SlotTemplateForm(request.POST or None, venue=venue)
    if template is not None:
        form.initial = initial_from(template, form.fields)
    return form_page(
        request,
        form=form,
        action=lambda: (
            slot_template_update(actor=request.user, template=template, data=form.cleaned_data)
            if template is not None
            else slot_template_create(actor=request.user, venue=venue, data=form.cleaned_data)
        ),
        title=_("Time slot"),
        cancel_url=reverse("visits-templates", args=[venue.pk]),
        success_url=reverse("visits-templates", args=[venue.pk]),
        success_message=_("Saved. New days get this slot; days already open keep theirs."),
    )


def gate_page(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = selectors.gate_venue(user=request.user, venue_id=venue_id)
    today = timezone.localdate()
    return render(
        request,
        "visits/staff/gate.html",
        {
            "venue": venue,
            "figures": gate.gate_figures(venue, today),
            "rules": VisitRules.objects.filter(venue=venue).first(),
            "today": today,
        },
    )


def gate_lookup(request: HttpRequest, venue_id: int) -> HttpResponse:
    """The gate's search result (an htmx fragment): bookings for today matching the code."""
    venue = selectors.gate_venue(user=request.user, venue_id=venue_id)
    try:
        found = gate.gate_lookup(actor=request.user, venue=venue, code=request.GET.get("code", ""))
    except ApplicationError as error:  # the venue is in scope: "not found" means no match
        return render(
            request, "visits/staff/_gate_result.html", {"error": error.message, "venue": venue}
        )
    return render(request, "visits/staff/_gate_result.html", {"bookings": found, "venue": venue})


@require_POST
def gate_check_in(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = selectors.gate_venue(user=request.user, venue_id=venue_id)
    message, ok = "", True
    try:
        if request.POST.get("group"):
            booking = Booking.objects.filter(venue=venue, pk=request.POST["group"]).first()
            if booking is None:
                raise NotFoundError()
            count = int(request.POST.get("count") or 0)
            gate.group_check_in(actor=request.user, booking=booking, count=count)
            message = _("%(n)s group members checked in.") % {"n": count}
        else:
            person = (
                BookingPerson.objects.filter(venue=venue, pk=request.POST.get("person") or 0)
                .select_related("booking__venue")
                .first()
            )
            if person is None:
                raise NotFoundError()
            gate.person_check_in(actor=request.user, person=person)
            message = _("%(name)s is checked in.") % {"name": person.name_masked}
    except ValueError:
        message, ok = _("Enter the number of people arriving."), False
    except ApplicationError as error:
        if isinstance(error, NotFoundError):
            raise
        message, ok = str(error.message), False
    return render(
        request,
        "visits/staff/_gate_figures.html",
        {
            "venue": venue,
            "figures": gate.gate_figures(venue, timezone.localdate()),
            "rules": VisitRules.objects.filter(venue=venue).first(),
            "message": message,
            "ok": ok,
        },
    )


@require_POST
def gate_count(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = selectors.gate_venue(user=request.user, venue_id=venue_id)
    message, ok = "", True
    try:
        count = int(request.POST.get("count") or 1)
        gate.gate_count(
            actor=request.user, venue=venue, kind=request.POST.get("kind", ""), count=count
        )
        message = _("Counted.")
    except ValueError:
        message, ok = _("Enter a number of people."), False
    except ApplicationError as error:
        if isinstance(error, NotFoundError):
            raise
        message, ok = str(error.message), False
    return render(
        request,
        "visits/staff/_gate_figures.html",
        {
            "venue": venue,
            "figures": gate.gate_figures(venue, timezone.localdate()),
            "rules": VisitRules.objects.filter(venue=venue).first(),
            "message": message,
            "ok": ok,
        },
    )


def attendance_page(request: HttpRequest, venue_id: int) -> HttpResponse:
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    data = selectors.attendance_year(user=request.user, venue_id=venue_id, year=year)
    scope = scope_for(request.user)
    form = AttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            attendance.attendance_record_day(
                actor=request.user,
                venue=data.venue,
                day=cleaned["date"],
                data={
                    "visits": cleaned["visits"],
                    "walk_ins": cleaned["walk_ins"] or 0,
                    "approximate": cleaned["approximate"],
                    "note": cleaned["note"],
                },
            )
            messages.success(request, _("The day is recorded."))
            return redirect(
                reverse("visits-attendance", args=[venue_id]) + f"?year={cleaned['date'].year}"
            )
        except ApplicationError as error:
            if isinstance(error, NotFoundError):
                raise
            add_application_error(form, error)
    return render(
        request,
        "visits/staff/attendance.html",
        {
            "venue": data.venue,
            "a": data,
            "form": form,
            "can_record": scope.can(Capability.MANAGE_VISITS, data.venue.pk),
            "max_month": max((n for _, n in data.by_month), default=0),
        },
    )

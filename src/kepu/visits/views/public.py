"""The public's front door: choose a venue, a date and a slot, book, look up, cancel, wait."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kepu.core.errors import ApplicationError, NotFoundError
from kepu.core.forms import add_application_error
from kepu.network.models import Venue
from kepu.visits import selectors
from kepu.visits.forms import ContactForm, GroupRequestForm, LookupForm, party_formset
from kepu.visits.models import Booking, TimeSlot, VisitRules
from kepu.visits.ratelimit import check_booking_rate
from kepu.visits.services import waitlist
from kepu.visits.services.booking import (
    booking_cancel,
    booking_create,
    booking_find,
    cancel_deadline,
    group_booking_request,
    qr_payload,
)
from kepu.visits.services.rules import bookable_until, rules_for, slots_ensure

VIEW_SALT = "kepu.visits.view"


def booking_token(booking: Booking) -> str:
    return signing.dumps(booking.reference, salt=VIEW_SALT, compress=True)


def booking_url(booking: Booking) -> str:
    return reverse("visit-booking", args=[booking_token(booking)])


def _venue(venue_id: int) -> tuple[Venue, VisitRules]:
    venue = selectors.bookable_venues().filter(pk=venue_id).first()
    if venue is None:
        raise NotFoundError()
    return venue, rules_for(venue)


def _place_errors(error: ApplicationError, contact: forms.Form, party: Any) -> list[str]:
    """Put each reason on its field; return those that belong to no field."""
    loose: list[str] = []
    for name, reasons in error.fields.items():
        parts = name.split(".")
        for reason in reasons:
            if parts[0] == "people" and len(parts) == 3 and int(parts[1]) < len(party.forms):
                target = party.forms[int(parts[1])]
                target.add_error(parts[2] if parts[2] in target.fields else None, str(reason))
            elif name in contact.fields:
                contact.add_error(name, str(reason))
            else:
                loose.append(str(reason))
    if not error.fields:
        loose.append(str(error.message))
    return loose


@login_not_required
def index(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:50]
    return render(
        request,
        "visits/public/index.html",
        {"venues": selectors.bookable_venues(search=search)[:200], "search": search},
    )


@login_not_required
def venue_page(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue, rules = _venue(venue_id)
    today = timezone.localdate()
    slots_ensure(venue, today, bookable_until(rules))
    days = selectors.booking_days(venue, rules)
    try:
        chosen = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        chosen = next((d.day for d in days if d.bookable and d.places_left), today)
    context = {
        "venue": venue,
        "rules": rules,
        "days": days,
        "chosen": chosen,
        "slots": selectors.availability(venue, chosen),
        "bookable": any(d.day == chosen and d.bookable for d in days),
    }
    template = "visits/public/_slots.html" if request.htmx else "visits/public/venue.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_not_required
def book(request: HttpRequest, venue_id: int, slot_id: int) -> HttpResponse:
    venue, rules = _venue(venue_id)
    slot = TimeSlot.objects.filter(venue=venue, pk=slot_id).first()
    if slot is None:
        raise NotFoundError()
    Party = party_formset(rules.max_party_size)
    contact = ContactForm(request.POST or None)
    party = Party(request.POST or None, prefix="people")
    problems: list[str] = []
    if request.method == "POST" and contact.is_valid() and party.is_valid():
        members = party.members()
        try:
            check_booking_rate(request, [m.id_number for m in members])
            if request.POST.get("action") == "waitlist":
                entry = waitlist.waitlist_join(
                    venue=venue,
                    slot_id=slot.pk,
                    people=members,
                    phone=contact.cleaned_data["phone"],
                )
                return redirect("visit-waitlist", token=entry.token)
            result = booking_create(
                venue=venue,
                slot_id=slot.pk,
                people=members,
                phone=contact.cleaned_data["phone"],
                idempotency_key=contact.cleaned_data["request_key"],
            )
            messages.success(request, _("Your booking is confirmed."))
            return redirect(booking_url(result.booking))
        except ApplicationError as error:
            problems = _place_errors(error, contact, party) or [str(error.message)]
    elif request.method == "POST":
        problems = [_("Please correct the errors below.")]
    left = next((a for a in selectors.availability(venue, slot.date) if a.slot.pk == slot.pk), None)
    return render(
        request,
        "visits/public/book.html",
        {
            "venue": venue,
            "rules": rules,
            "slot": slot,
            "availability": left,
            "contact": contact,
            "party": party,
            "problems": problems,
        },
        status=422 if problems else 200,
    )


def _booking_from_token(token: str) -> Booking:
    try:
        reference = signing.loads(token, salt=VIEW_SALT)
    except signing.BadSignature as error:
        raise NotFoundError() from error
    booking = (
        Booking.objects.select_related("slot", "venue", "slot__hall")
        .filter(reference=reference)
        .first()
    )
    if booking is None:
        raise NotFoundError()
    return booking


@login_not_required
def booking_page(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_from_token(token)
    rules = VisitRules.objects.get(venue=booking.venue)
    qr = segno.make(qr_payload(booking), error="m")
    return render(
        request,
        "visits/public/booking.html",
        {
            "booking": booking,
            "people": booking.people.order_by("id"),
            "qr_svg": qr.svg_inline(scale=6, dark="#111111"),
            "token": token,
            "deadline": cancel_deadline(rules, booking),
            "cancellable": booking.is_active and timezone.now() <= cancel_deadline(rules, booking),
        },
    )


@login_not_required
@require_POST
def booking_cancel_view(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_from_token(token)
    try:
        booking_cancel(booking=booking)
        messages.success(request, _("Your booking is cancelled."))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("visit-booking", token=token)


@login_not_required
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_booking_rate(request, [])
            booking = booking_find(
                reference=form.cleaned_data["reference"], phone=form.cleaned_data["phone"]
            )
            return redirect(booking_url(booking))
        except ApplicationError as error:
            add_application_error(form, error)
    return render(request, "visits/public/lookup.html", {"form": form})


@login_not_required
def waitlist_page(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            if request.POST.get("action") == "accept":
                booking = waitlist.waitlist_accept(token=token)
                messages.success(request, _("The place is yours: your booking is confirmed."))
                return redirect(booking_url(booking))
            waitlist.waitlist_leave(token=token)
            messages.success(request, _("You have left the waiting list."))
        except ApplicationError as error:
            if isinstance(error, NotFoundError):
                raise
            messages.error(request, str(error.message))
        return redirect("visit-waitlist", token=token)
    entry = waitlist.waitlist_get(token)
    ahead = entry.slot.waitlist.filter(status="waiting", created_at__lt=entry.created_at).count()
    return render(request, "visits/public/waitlist.html", {"entry": entry, "ahead": ahead})


@login_not_required
def group_request(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue, rules = _venue(venue_id)
    today = timezone.localdate()
    slots_ensure(venue, today, bookable_until(rules))
    choices = [
        (
            a.slot.pk,
            f"{a.slot.date:%Y-%m-%d} {a.slot.display_name} "
            f"{a.slot.starts_at:%H:%M}–{a.slot.ends_at:%H:%M} ({a.group_places_left})",
        )
        for day in range(rules.booking_window_days + 1)
        for a in selectors.availability(venue, today + timedelta(days=day))
        if a.slot.group_quota and a.group_places_left > 0
    ]
    form = GroupRequestForm(request.POST or None, slots=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_booking_rate(request, [])
            result = group_booking_request(
                venue=venue,
                slot_id=data["slot"],
                headcount=data["headcount"],
                school=data["school"],
                leader_name=data["leader_name"],
                phone=data["phone"],
                note=data["note"],
                idempotency_key=data["request_key"],
            )
            messages.success(
                request, _("Your request is sent; the venue will approve or decline it.")
            )
            return redirect(booking_url(result.booking))
        except ApplicationError as error:
            add_application_error(form, error)
    return render(
        request,
        "visits/public/group.html",
        {"venue": venue, "rules": rules, "form": form, "has_slots": bool(choices)},
        status=422 if form.errors else 200,
    )

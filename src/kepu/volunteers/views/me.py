"""A signed-in volunteer's own pages: my records and applications, my shifts (and the places I
may sign up for), my hours and stars, my QR code for the desk, my certificates. Nobody else's
record is reachable here: another id is "not found"."""

from __future__ import annotations

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kepu.core.errors import NotFoundError
from kepu.core.scopes import Capability, scope_for
from kepu.volunteers import selectors
from kepu.volunteers.forms import CertificateForm, VolunteerForm
from kepu.volunteers.models import Application, Assignment, Certificate
from kepu.volunteers.services import certificates, people, recruitment, service, shifts
from kepu.volunteers.views.common import perform, post_form
from kepu.volunteers.views.public import certificate_response


def entry(request: HttpRequest) -> HttpResponse:
    """The menu's "Volunteers": a coordinator's venue, or the volunteer's own pages."""
    scope = scope_for(request.user)
    managed = sorted(
        venue_id
        for venue_id, capabilities in scope.venue_capabilities.items()
        if Capability.MANAGE_VOLUNTEERS in capabilities
    )
    staffed = managed or sorted(scope.venue_capabilities)
    if len(staffed) == 1:
        return redirect("volunteers-home", staffed[0])
    if staffed or scope.is_national or scope.coordinated_alliance_ids:
        return redirect("venue-list")
    return redirect("volunteer-me")


def my_records(request: HttpRequest) -> HttpResponse:
    volunteers, applications = selectors.my_records(request.user)
    if len(volunteers) == 1 and not request.GET.get("all"):
        return redirect("volunteer-me-record", volunteers[0].pk)
    return render(
        request,
        "volunteers/me/index.html",
        {"volunteers": volunteers, "applications": applications},
    )


def record(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = selectors.own_volunteer_get(user=request.user, volunteer_id=volunteer_id)
    now = timezone.now()
    assignments = list(selectors.volunteer_assignments(volunteer)[:200])
    qr = segno.make(service.qr_payload(volunteer), error="m")
    _volunteers, applications = selectors.my_records(request.user)
    return render(
        request,
        "volunteers/me/record.html",
        {
            "venue": volunteer.venue,
            "volunteer": volunteer,
            "summary": selectors.volunteer_summary(volunteer),
            "coming": [a for a in reversed(assignments) if a.ends_at > now and a.is_open],
            "past": [a for a in assignments if a.ends_at <= now or not a.is_open],
            "certificates": selectors.certificate_list(volunteer),
            "certificate_form": CertificateForm(),
            "qr_svg": qr.svg_inline(scale=5, dark="#111111"),
            "now": now,
            "applications": [a for a in applications if a.venue_id == volunteer.venue_id],
            "edit_form": VolunteerForm(instance=volunteer, venue=volunteer.venue, own=True),
            "trainings": volunteer.trainings.select_related("course").order_by("-completed_on"),
        },
    )


def open_shifts(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = selectors.own_volunteer_get(user=request.user, volunteer_id=volunteer_id)
    return render(
        request,
        "volunteers/me/shifts.html",
        {
            "venue": volunteer.venue,
            "volunteer": volunteer,
            "places": selectors.open_shifts_for(volunteer)[:300],
        },
    )


@require_POST
def sign_up(request: HttpRequest, volunteer_id: int, shift_post_id: int) -> HttpResponse:
    volunteer = selectors.own_volunteer_get(user=request.user, volunteer_id=volunteer_id)
    key = request.POST.get("request_key", "").strip()[:64] or None
    perform(
        request,
        lambda: shifts.shift_sign_up(
            actor=request.user,
            volunteer=volunteer,
            shift_post_id=shift_post_id,
            idempotency_key=key,
        ),
        _("You are signed up for the shift."),
    )
    return redirect("volunteer-me-shifts", volunteer_id)


def _own_assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    found = (
        Assignment.objects.filter(pk=assignment_id, volunteer__user_id=request.user.pk or 0)
        .select_related("volunteer__venue", "shift__venue", "shift_post__post")
        .first()
    )
    if found is None:
        raise NotFoundError()
    return found


@require_POST
def assignment_cancel(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _own_assignment(request, assignment_id)
    perform(
        request,
        lambda: shifts.assignment_cancel(actor=request.user, assignment=assignment),
        _("Your place is given back."),
    )
    return redirect("volunteer-me-record", assignment.volunteer_id)


@require_POST
def assignment_comment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _own_assignment(request, assignment_id)
    perform(
        request,
        lambda: service.assignment_comment(
            actor=request.user, assignment=assignment, comment=request.POST.get("comment", "")
        ),
        _("Thank you for your comment."),
    )
    return redirect("volunteer-me-record", assignment.volunteer_id)


@require_POST
def certificate_new(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = selectors.own_volunteer_get(user=request.user, volunteer_id=volunteer_id)
    form = CertificateForm(request.POST)
    post_form(
        request,
        form,
        lambda: certificates.certificate_issue(
            actor=request.user,
            volunteer=volunteer,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
        ),
        _("Your certificate is issued; download it below."),
    )
    return redirect("volunteer-me-record", volunteer_id)


def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = (
        Certificate.objects.filter(pk=certificate_id, volunteer__user_id=request.user.pk or 0)
        .select_related("volunteer__venue", "venue")
        .first()
    )
    return certificate_response(request, certificate)


@require_POST
def update(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = selectors.own_volunteer_get(user=request.user, volunteer_id=volunteer_id)
    form = VolunteerForm(request.POST, instance=volunteer, venue=volunteer.venue, own=True)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        volunteer.refresh_from_db()
        perform(
            request,
            lambda: people.volunteer_update(actor=request.user, volunteer=volunteer, data=data),
            _("Saved."),
        )
    else:
        post_form(request, form, lambda: None, "")
    return redirect("volunteer-me-record", volunteer_id)


@require_POST
def leave(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = selectors.own_volunteer_get(user=request.user, volunteer_id=volunteer_id)
    perform(
        request,
        lambda: people.volunteer_exit(
            actor=request.user,
            volunteer=volunteer,
            kind="left",
            reason=request.POST.get("reason", ""),
        ),
        _("You have left the volunteer team. Thank you for your service."),
    )
    return redirect("volunteer-me-record", volunteer_id)


@require_POST
def application_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    application = (
        Application.objects.filter(pk=application_id, user_id=request.user.pk or 0)
        .select_related("venue", "drive")
        .first()
    )
    if application is None:
        raise NotFoundError()
    perform(
        request,
        lambda: recruitment.application_withdraw(actor=request.user, application=application),
        _("Your application is withdrawn."),
    )
    return redirect("volunteer-me")

"""The public's side of programmes: coming sessions that take sign-ups, signing up a person or a
class, and the sign-up's own page (cancel before the session starts)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kepu.core.errors import ApplicationError, NotFoundError, RateLimitedError
from kepu.core.forms import add_application_error
from kepu.core.links import reference_of, signed_reference
from kepu.network.models import Venue
from kepu.programs.forms import SignUpForm
from kepu.programs.models import Registration, Session, SessionStatus
from kepu.programs.services.signup import (
    SignUp,
    open_session,
    registration_cancel,
    registration_create,
)
from kepu.visits.ratelimit import check_booking_rate

SALT = "kepu.programs.signup"


def signup_url(registration: Registration) -> str:
    return reverse("programs-signup-page", args=[signed_reference(registration.reference, SALT)])


def _from_token(token: str) -> Registration:
    registration = (
        Registration.objects.select_related("session__activity", "session__venue", "session__hall")
        .filter(reference=reference_of(token, SALT))
        .first()
    )
    if registration is None:
        raise NotFoundError()
    return registration


@login_not_required
def venue_sessions(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = Venue.objects.filter(pk=venue_id, is_active=True).first()
    if venue is None:
        raise NotFoundError()
    sessions = (
        Session.objects.filter(
            venue=venue,
            registration_open=True,
            status=SessionStatus.PLANNED,
            starts_at__gt=timezone.now(),
        )
        .select_related("activity", "hall")
        .order_by("starts_at")[:100]
    )
    return render(request, "programs/public/sessions.html", {"venue": venue, "sessions": sessions})


@login_not_required
def session_signup(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        session = open_session(session_id)
    except NotFoundError:
        raise
    except ApplicationError as error:
        closed = Session.objects.select_related("activity", "venue").filter(pk=session_id).first()
        if closed is None:
            raise NotFoundError() from error
        return render(
            request,
            "programs/public/signup.html",
            {"session": closed, "closed": error.message},
        )
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                check_booking_rate(request, [])
                result = registration_create(
                    session_id=session.pk,
                    signup=SignUp(
                        kind=data["kind"],
                        name=data["name"],
                        phone=data["phone"],
                        headcount=data["headcount"],
                        school_name=data["school_name"],
                        class_name=data["class_name"],
                    ),
                    idempotency_key=data["idempotency_key"] or None,
                )
                messages.success(request, _("You are signed up."))
                return redirect(signup_url(result.registration))
            except RateLimitedError as error:
                messages.error(request, str(error.message))
                status = 429
            except NotFoundError:
                raise
            except ApplicationError as error:
                add_application_error(form, error)
                messages.error(request, str(error.message))
                status = 409 if error.code in {"full", "already_signed_up"} else 422
        else:
            messages.error(request, _("Please correct the errors below."))
    return render(
        request, "programs/public/signup.html", {"session": session, "form": form}, status=status
    )


@login_not_required
def signup_page(request: HttpRequest, token: str) -> HttpResponse:
    registration = _from_token(token)
    return render(
        request,
        "programs/public/registration.html",
        {
            "registration": registration,
            "session": registration.session,
            "token": token,
            "can_cancel": registration.status == Registration.Status.CONFIRMED
            and registration.session.starts_at > timezone.now(),
        },
    )


@login_not_required
@require_POST
def signup_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = _from_token(token)
    try:
        registration_cancel(registration=registration)
        messages.success(request, _("Your sign-up is cancelled."))
    except NotFoundError:
        raise
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("programs-signup-page", token)

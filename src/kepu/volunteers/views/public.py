"""The public's side: open recruitment drives, applying (mobile first, no sign-in needed), the
application's confirmation, and the certificate verification page anyone may use."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kepu.core.errors import ApplicationError, NotFoundError, RateLimitedError
from kepu.core.forms import add_application_error
from kepu.core.links import reference_of, signed_reference
from kepu.core.models import User
from kepu.volunteers import selectors
from kepu.volunteers.forms import ApplicationForm, VerifyForm
from kepu.volunteers.models import Application, Certificate, Drive
from kepu.volunteers.ratelimit import check_application_rate
from kepu.volunteers.services.certificates import (
    certificate_pdf,
    certificate_verify,
    normalise_code,
)
from kepu.volunteers.services.recruitment import application_submit, open_drive

SALT = "kepu.volunteers.application"


def application_url(application: Application) -> str:
    return reverse("volunteer-applied", args=[signed_reference(application.reference, SALT)])


@login_not_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "volunteers/public/index.html", {"drives": selectors.open_drives()[:100]}
    )


@login_not_required
def apply(request: HttpRequest, drive_id: int) -> HttpResponse:
    try:
        drive = open_drive(drive_id)
    except NotFoundError:
        raise
    except ApplicationError as error:
        closed = Drive.objects.select_related("venue").filter(pk=drive_id).first()
        if closed is None or closed.status == Drive.Status.DRAFT:
            raise NotFoundError() from error
        return render(
            request, "volunteers/public/apply.html", {"drive": closed, "closed": error.message}
        )
    user = request.user if request.user.is_authenticated else None
    form = ApplicationForm(request.POST or None, drive=drive, signed_in=user is not None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                check_application_rate(request, form.cleaned_data["id_number"])
                result = application_submit(
                    drive_id=drive.pk,
                    applicant=form.applicant(),
                    account=form.account(),
                    user=user if isinstance(user, User) else None,
                    idempotency_key=form.cleaned_data["request_key"],
                )
                if user is None and result.application.user is not None and result.created:
                    login(request, result.application.user)
                messages.success(request, _("Thank you: your application is received."))
                return redirect(application_url(result.application))
            except RateLimitedError as error:
                messages.error(request, str(error.message))
                status = 429
            except NotFoundError:
                raise
            except ApplicationError as error:
                add_application_error(form, error)
                messages.error(request, str(error.message))
                status = 409 if error.status == 409 else 422
        else:
            messages.error(request, _("Please correct the errors below."))
    return render(
        request, "volunteers/public/apply.html", {"drive": drive, "form": form}, status=status
    )


@login_not_required
def applied(request: HttpRequest, token: str) -> HttpResponse:
    application = (
        Application.objects.select_related("drive", "venue")
        .filter(reference=reference_of(token, SALT))
        .first()
    )
    if application is None:
        raise NotFoundError()
    return render(request, "volunteers/public/applied.html", {"application": application})


@login_not_required
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("volunteer-verify-code", normalise_code(form.cleaned_data["code"]))
    return render(request, "volunteers/public/verify.html", {"form": form})


@login_not_required
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    try:
        certificate = certificate_verify(code)
    except NotFoundError:
        return render(
            request,
            "volunteers/public/verify.html",
            {"form": VerifyForm(initial={"code": code}), "unknown": code},
            status=404,
        )
    return render(request, "volunteers/public/verify.html", {"certificate": certificate})


def certificate_response(request: HttpRequest, certificate: Certificate | None) -> HttpResponse:
    """The certificate's PDF, for its holder or their coordinator (the service checks)."""
    if certificate is None:
        raise NotFoundError()
    verify_url = request.build_absolute_uri(
        reverse("volunteer-verify-code", args=[certificate.code])
    )
    language = request.GET.get("lang") or get_language() or "zh-hans"
    content = certificate_pdf(
        actor=request.user,
        certificate=certificate,
        verify_url=verify_url,
        language="en" if language.startswith("en") else "zh-hans",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response

"""Turning a service's ApplicationError into form errors, so pages and API report alike."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kepu.core.errors import ApplicationError, NotFoundError, PermissionDeniedError

T = TypeVar("T")


def add_application_error(form: forms.BaseForm, error: ApplicationError) -> None:
    placed = False
    for name, reasons in error.fields.items():
        for reason in reasons:
            if name in form.fields:
                form.add_error(name, str(reason))
                placed = True
    if not placed:
        form.add_error(None, str(error.message))


def submit[T](request: HttpRequest, form: forms.BaseForm, action: Callable[[], T]) -> T | None:
    """Validate the form, run the service; on a rule's refusal keep the input and show why."""
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return None
    try:
        return action()
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        add_application_error(form, error)
        messages.error(request, str(error.message))
        return None


def form_page(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    action: Callable[[], Any],
    title: str,
    cancel_url: str,
    success_url: str | Callable[[Any], str],
    success_message: str,
    context: dict[str, Any] | None = None,
    template: str = "core/form_page.html",
) -> HttpResponse:
    """GET shows the form; POST runs the service and redirects, or shows the form with reasons.

    ``success_url`` may be a function of what the service returned (e.g. the new venue).
    """
    if request.method == "POST" and (result := submit(request, form, action)) is not None:
        messages.success(request, success_message)
        return redirect(success_url(result) if callable(success_url) else success_url)
    return render(
        request,
        template,
        {"form": form, "title": title, "cancel_url": cancel_url, **(context or {})},
        status=422 if request.method == "POST" else 200,
    )


def initial_from(instance: Any, fields: Iterable[str]) -> dict[str, Any]:
    return model_to_dict(instance, fields=list(fields))

"""Turning a service's ApplicationError into form errors, so pages and API report alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest
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

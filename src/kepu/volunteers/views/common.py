"""What the volunteer pages share: running a service from a POST and reporting the outcome."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kepu.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from kepu.core.forms import add_application_error

T = TypeVar("T")


def perform[T](request: HttpRequest, action: Callable[[], T], success: str) -> T | None:
    """Run a service; its refusal becomes a message (not found and forbidden stay errors)."""
    try:
        result = action()
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return None
    messages.success(request, success)
    return result


def post_form[T](
    request: HttpRequest, form: forms.BaseForm, action: Callable[[], T], success: str
) -> T | None:
    """Validate a small action form, then run the service; reasons land on the form."""
    if not form.is_valid():
        reasons = [
            f"{form.fields[name].label if name in form.fields else ''}: "
            + " ".join(str(error) for error in errors)
            for name, errors in form.errors.items()
        ]
        messages.error(request, _("Please correct the errors below.") + " " + "; ".join(reasons))
        return None
    try:
        result = action()
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        add_application_error(form, error)
        messages.error(request, str(error.message))
        return None
    messages.success(request, success)
    return result


def date_param(request: HttpRequest, name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)

"""One application error type, rendered the same way on pages and in the API.

Services raise these; views turn them into form errors and messages, the API into
``{"error": {"code", "message", "fields"}}`` with the status below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Message = str | Promise


class ApplicationError(Exception):
    """A rule of the application said no. ``fields`` maps a field name to its reasons."""

    status = 422
    default_code = "invalid"

    def __init__(
        self,
        message: Message,
        *,
        code: str | None = None,
        fields: Mapping[str, Sequence[Message]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.fields: dict[str, list[Message]] = {
            name: list(reasons) for name, reasons in (fields or {}).items()
        }

    @classmethod
    def for_field(cls, field: str, reason: Message, *, code: str | None = None) -> ApplicationError:
        return cls(reason, code=code, fields={field: [reason]})


class NotFoundError(ApplicationError):
    """Does not exist, or is outside the caller's scope: the two look the same on purpose."""

    status = 404
    default_code = "not_found"

    def __init__(self, message: Message | None = None) -> None:
        super().__init__(message or _("Not found."), code="not_found")


class PermissionDeniedError(ApplicationError):
    """The caller may see the thing but not do this to it."""

    status = 403
    default_code = "permission_denied"

    def __init__(self, message: Message | None = None) -> None:
        super().__init__(
            message or _("Your role does not allow this action."), code="permission_denied"
        )


class RateLimitedError(ApplicationError):
    """Too many requests from one address or for one ID: slow down."""

    status = 429
    default_code = "rate_limited"


class ConflictError(ApplicationError):
    """The request is valid but clashes with the current state (a duplicate, an overlap)."""

    status = 409
    default_code = "conflict"

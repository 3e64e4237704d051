"""Request id and structured request log; language choice; login required outside the API."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import translation

from kepu.core.context import request_id_var
from kepu.core.errors import ApplicationError, NotFoundError, PermissionDeniedError

logger = logging.getLogger("kepu.request")
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
Handler = Callable[[HttpRequest], HttpResponse]


class RequestLogMiddleware:
    """Gives every request an id (kept from X-Request-ID when sane) and logs one line for it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


class LanguageMiddleware:
    """Chinese unless the person chose otherwise (cookie, then their profile).

    Pages ignore the browser's Accept-Language on purpose: kepu is Chinese first, and staff switch
    explicitly. API clients may ask for a language with Accept-Language.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

    @staticmethod
    def choose(request: HttpRequest) -> str:
        supported = {code for code, _name in settings.LANGUAGES}
        if request.path.startswith("/api/") and "Accept-Language" in request.headers:
            return translation.get_language_from_request(request)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if cookie in supported:
            return cookie
        user = getattr(request, "user", None)
        preferred = getattr(user, "preferred_language", "") if user is not None else ""
        if user is not None and user.is_authenticated and preferred in supported:
            return str(preferred)
        return str(settings.LANGUAGE_CODE)


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a signed-in user; the API answers 401 itself instead of redirecting."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ApplicationErrorMiddleware:
    """An ApplicationError that escapes a page view becomes a page in the user's language."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/") or not isinstance(exception, ApplicationError):
            return None
        template = {NotFoundError: "404.html", PermissionDeniedError: "403.html"}.get(
            type(exception), "error.html"
        )
        return render(request, template, {"error": exception}, status=exception.status)

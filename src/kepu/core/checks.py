"""System checks for a production deployment (`kepu check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_data_key(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.KEPU_DATA_KEY:
        return []
    return [
        Warning(
            "KEPU_DATA_KEY is not set, so personal data (ID and phone numbers) cannot be stored.",
            hint="Generate a key with `kepu generate-data-key`, set KEPU_DATA_KEY, and back it up.",
            id="kepu.W001",
        )
    ]

"""Small display helpers of the volunteer pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from kepu.volunteers.models import Availability, Language, hours_from_minutes

register = template.Library()

CHOICES = {"language": Language, "availability": Availability}


@register.filter
def choice_labels(codes: Any, kind: str) -> str:
    """["zh", "en"] → "Mandarin, English" (、 in Chinese)."""
    choices = CHOICES[kind]
    separator = "、" if (get_language() or "zh").startswith("zh") else ", "
    return separator.join(
        str(choices(code).label) for code in codes or [] if code in choices.values
    )


@register.filter
def age(person: Any) -> int | None:
    """Age today of an applicant or volunteer (None once their birth date is purged)."""
    result: int | None = person.age_on(timezone.localdate())
    return result


@register.filter
def hours(minutes: Any) -> Decimal:
    return hours_from_minutes(int(minutes or 0))

"""Forms validate and shape input; the services decide and save (forms never save)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.network.models import (
    Alliance,
    CalendarException,
    Division,
    DivisionLevel,
    Hall,
    Membership,
    MembershipRole,
    OpeningPattern,
    Organisation,
    OrganisationYear,
    Venue,
)

WEEKDAY_CHOICES = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class DivisionField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A county-level (or city-level) division, chosen province → city → county in the page."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Division.objects.exclude(level=DivisionLevel.PROVINCE),
            widget=forms.HiddenInput(attrs={"data-division-input": "1"}),
            **kwargs,
        )


class VenueForm(forms.ModelForm):  # type: ignore[type-arg]
    division = DivisionField(label=_("administrative division"))

    class Meta:
        model = Venue
        fields = [
            "name",
            "name_en",
            "short_name",
            "kind",
            "level",
            "organisation",
            "division",
            "address",
            "latitude",
            "longitude",
            "phone",
            "website",
            "opened_on",
            "description",
            "is_active",
        ]
        widgets = {"opened_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, national: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not national:
            for name in ["name", "kind", "level", "organisation", "division", "is_active"]:
                del self.fields[name]

    def validate_unique(self) -> None:
        """Uniqueness is the service's to check, with the venue as it will be saved."""


class HallForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Hall
        fields = ["name", "name_en", "kind", "area_m2", "floor", "opened_on", "closed_on"]
        widgets = {"opened_on": DateInput(), "closed_on": DateInput()}

    def validate_unique(self) -> None:
        """The service checks the name against the venue's other halls."""


class OpeningPatternForm(forms.ModelForm):  # type: ignore[type-arg]
    weekdays = forms.TypedMultipleChoiceField(
        label=_("open on"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day of the week.")},
    )

    class Meta:
        model = OpeningPattern
        fields = [
            "valid_from",
            "weekdays",
            "opens_at",
            "closes_at",
            "last_entry_at",
            "holiday_policy",
            "closed_day_reason",
            "note",
        ]
        widgets = {
            "valid_from": DateInput(),
            "opens_at": TimeInput(),
            "closes_at": TimeInput(),
            "last_entry_at": TimeInput(),
            "holiday_policy": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("weekdays", self.instance.weekdays)

    def validate_unique(self) -> None:
        """The service reports a clash of start dates."""

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "weekdays"}
        data["open_weekdays"] = OpeningPattern.mask_from_weekdays(self.cleaned_data["weekdays"])
        return data


class CalendarExceptionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CalendarException
        fields = ["kind", "category", "starts_on", "ends_on", "reason", "reason_en"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "kind": forms.RadioSelect}


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = [
            "name",
            "name_en",
            "credit_code",
            "purpose_and_scope",
            "address",
            "legal_representative",
            "startup_capital_cny",
            "funding_source",
            "sponsor",
            "online_name",
        ]
        widgets = {"purpose_and_scope": forms.Textarea(attrs={"rows": 4})}

    def validate_unique(self) -> None:
        """The service checks names and credit codes."""


class OrganisationYearForm(forms.ModelForm):  # type: ignore[type-arg]
    year = forms.IntegerField(label=_("year"), min_value=1949, max_value=2200)

    class Meta:
        model = OrganisationYear
        fields = ["year", "assets_start_cny", "assets_end_cny", "headcount"]

    def validate_unique(self) -> None:
        """Saving a year again corrects it."""


class AllianceMemberForm(forms.Form):
    venue = forms.ModelChoiceField(
        label=_("venue"), queryset=Venue.objects.filter(is_active=True).order_by("name")
    )
    role = forms.ChoiceField(
        label=_("role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )
    since = forms.DateField(label=_("member since"), widget=DateInput())


class MembershipEndForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Membership
        fields = ["until"]
        widgets = {"until": DateInput()}


class AllianceForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Alliance
        fields = ["name", "name_en", "short_name", "parent", "founded_on", "region", "description"]
        widgets = {"founded_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, national: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not national:
            del self.fields["parent"]  # where an alliance sits is the national registry's

    def validate_unique(self) -> None:
        """The service reports a clash of names."""

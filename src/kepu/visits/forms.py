"""Forms of the public booking pages and of the venue's visit settings (services decide)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.network.forms import DateInput, TimeInput
from kepu.visits.identity import IdType
from kepu.visits.models import SlotTemplate, VisitRules
from kepu.visits.services.booking import PartyMember
from kepu.visits.services.rules import RULE_FIELDS


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    id_type = forms.ChoiceField(
        label=_("Document"), choices=IdType.choices, initial=IdType.RESIDENT_ID
    )
    id_number = forms.CharField(label=_("ID number"), max_length=32, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth (children without ID)"), required=False, widget=DateInput()
    )

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not (data.get("name") or data.get("id_number") or data.get("birth_date"))

    def member(self) -> PartyMember:
        data = self.cleaned_data
        return PartyMember(
            name=data.get("name", ""),
            id_type=data.get("id_type", ""),
            id_number=data.get("id_number", ""),
            birth_date=data.get("birth_date"),
        )


class BasePartyFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def members(self) -> list[PartyMember]:
        return [form.member() for form in self.forms if form.is_valid() and not form.is_blank()]


def party_formset(max_size: int) -> type[BasePartyFormSet]:
    formset: type[BasePartyFormSet] = forms.formset_factory(  # type: ignore[assignment]
        PersonForm,
        formset=BasePartyFormSet,
        extra=max_size,
        max_num=max_size,
        absolute_max=max_size,
    )
    return formset


class ContactForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    # A fresh key per form shown: a double submit or a retried request books once.
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["request_key"] = uuid.uuid4().hex


class LookupForm(forms.Form):
    reference = forms.CharField(label=_("Booking reference"), max_length=12)
    phone = forms.CharField(label=_("Mobile number used"), max_length=20)


class GroupRequestForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("Date and slot"), coerce=int)
    headcount = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=10_000)
    school = forms.CharField(label=_("School or organisation"), max_length=200)
    leader_name = forms.CharField(label=_("Group leader"), max_length=50)
    phone = forms.CharField(label=_("Leader's mobile number"), max_length=20)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, slots: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slots  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["request_key"] = uuid.uuid4().hex


class VisitRulesForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = VisitRules
        fields = sorted(RULE_FIELDS)
        widgets = {"booking_opens_at": TimeInput()}


class SlotTemplateForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = SlotTemplate
        fields = [
            "name",
            "name_en",
            "hall",
            "starts_at",
            "ends_at",
            "weekday_capacity",
            "holiday_capacity",
            "weekday_group_quota",
            "holiday_group_quota",
            "is_active",
        ]
        widgets = {"starts_at": TimeInput(), "ends_at": TimeInput()}

    def __init__(self, *args: Any, venue: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if venue is not None:
            self.fields["hall"].queryset = venue.halls.all()  # type: ignore[attr-defined]


class SlotForm(forms.Form):
    capacity = forms.IntegerField(label=_("places"), min_value=0)
    group_quota = forms.IntegerField(label=_("group places"), min_value=0)
    is_closed = forms.BooleanField(label=_("closed for booking"), required=False)


class AttendanceForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput())
    visits = forms.IntegerField(label=_("visits"), min_value=0)
    walk_ins = forms.IntegerField(label=_("walk-ins"), min_value=0, required=False)
    approximate = forms.BooleanField(label=_("approximate (约)"), required=False)
    note = forms.CharField(label=_("note"), max_length=255, required=False)

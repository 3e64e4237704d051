"""Forms of the programme pages. They check shapes; the services decide the rules."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.core.models import User
from kepu.network.forms import DateInput, TimeInput
from kepu.network.models import Alliance, Hall, Venue
from kepu.programs.models import (
    Activity,
    ActivityType,
    Audience,
    CampaignReport,
    CampaignTheme,
    Caravan,
    CaravanTrip,
    Competition,
    Expert,
    Partnership,
    PlaceKind,
    Registration,
    School,
    Session,
    SessionWorker,
    ThemeDay,
)
from kepu.programs.services.activities import ACTIVITY_FIELDS
from kepu.programs.services.registry import CAMPAIGN_REPORT_FIELDS, COMPETITION_FIELDS


def partner_schools(venue: Venue) -> QuerySet[Partnership, int]:
    return Partnership.objects.filter(venue=venue).values_list("school_id", flat=True)


def limit(form: forms.BaseForm, name: str, queryset: Any) -> None:
    """Offer only these choices in a model choice field."""
    field = form.fields[name]
    if isinstance(field, forms.ModelChoiceField):
        field.queryset = queryset


class ActivityForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Activity
        fields = sorted(ACTIVITY_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    field_order = [
        "name",
        "name_en",
        "activity_type",
        "audience",
        "owner",
        "partners",
        "topics",
        "theme_day",
        "campaign_theme",
        "description",
    ]

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(
            self,
            "owner",
            (User.objects.filter(role_assignments__venue=venue).distinct().order_by("username")),
        )
        limit(self, "theme_day", ThemeDay.objects.order_by("-starts_on"))
        limit(
            self,
            "campaign_theme",
            CampaignTheme.objects.select_related("campaign").order_by("-campaign__year", "month"),
        )
        self.order_fields(self.field_order)


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    starts = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ends at"), widget=TimeInput(), required=False)
    place_kind = forms.ChoiceField(label=_("Kind of place"), choices=PlaceKind.choices)
    hall = forms.ModelChoiceField(label=_("Hall"), queryset=Hall.objects.none(), required=False)
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False
    )
    place_name = forms.CharField(label=_("Place"), max_length=200, required=False)
    trip = forms.ModelChoiceField(
        label=_("Caravan trip"), queryset=CaravanTrip.objects.none(), required=False
    )
    capacity = forms.IntegerField(
        label=_("Places for sign-up"),
        min_value=1,
        required=False,
        help_text=_("Leave empty when the public does not sign up."),
    )
    registration_open = forms.BooleanField(label=_("Open for sign-up"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "hall", Hall.objects.filter(venue=venue))
        limit(
            self,
            "school",
            School.objects.filter(
                Q(division=venue.division) | Q(pk__in=partner_schools(venue))
            ).order_by("name"),
        )
        limit(self, "trip", CaravanTrip.objects.filter(venue=venue).order_by("-starts_on"))

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        day, starts, ends = data.pop("day"), data.pop("starts"), data.pop("ends")
        data["starts_at"] = timezone.make_aware(datetime.combine(day, starts))
        data["ends_at"] = timezone.make_aware(datetime.combine(day, ends)) if ends else None
        return data

    @staticmethod
    def initial_for(session: Session) -> dict[str, Any]:
        local = timezone.localtime(session.starts_at)
        return {
            "day": local.date(),
            "starts": local.time(),
            "ends": timezone.localtime(session.ends_at).time() if session.ends_at else None,
            "place_kind": session.place_kind,
            "hall": session.hall_id,
            "school": session.school_id,
            "place_name": session.place_name,
            "trip": session.trip_id,
            "capacity": session.capacity,
            "registration_open": session.registration_open,
            "note": session.note,
        }


class RecordForm(forms.Form):
    participants = forms.IntegerField(label=_("Participants"), min_value=0, required=False)
    participants_approximate = forms.BooleanField(label=_("About (约)"), required=False)
    online_viewers = forms.IntegerField(label=_("Online viewers"), min_value=0, required=False)
    online_approximate = forms.BooleanField(label=_("Online viewers approximate"), required=False)
    st_workers = forms.IntegerField(label=_("S&T workers taking part"), min_value=0, initial=0)
    st_workers_approximate = forms.BooleanField(label=_("S&T workers approximate"), required=False)


class ActivityFilterForm(forms.Form):
    activity_type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *ActivityType.choices], required=False
    )
    audience = forms.ChoiceField(
        label=_("Audience"), choices=[("", _("All audiences")), *Audience.choices], required=False
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False)
    where = forms.ChoiceField(
        label=_("Where"),
        choices=[("", _("Anywhere")), ("venue", _("At the venue")), ("outreach", _("Outreach"))],
        required=False,
    )
    q = forms.CharField(label=_("Search"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class SignUpForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Signing up"),
        choices=Registration.Kind.choices,
        initial=Registration.Kind.PERSON,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Name (the teacher's, for a class)"), max_length=50)
    phone = forms.CharField(label=_("Mobile number"), max_length=20)
    headcount = forms.IntegerField(label=_("Number of people"), min_value=1, initial=1)
    school_name = forms.CharField(label=_("School (a class)"), max_length=200, required=False)
    class_name = forms.CharField(label=_("Class (a class)"), max_length=100, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class CampaignReportForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CampaignReport
        fields = list(CAMPAIGN_REPORT_FIELDS)
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "theme", themes)


class ExpertForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Expert
        fields = ["name", "kind", "organisation", "field", "title", "degree", "is_active"]


class CompetitionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Competition
        fields = sorted(COMPETITION_FIELDS)
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "results": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = [
        "name",
        "kind",
        "role",
        "level",
        "starts_on",
        "ends_on",
        "regions",
        "organisations",
        "sessions_held",
        "participants",
        "participants_approximate",
        "results",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)


class CaravanForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Caravan
        fields = ["name", "plate_number", "exhibits", "in_service_since", "is_active"]
        widgets = {"in_service_since": DateInput()}


class PartnershipForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("School in the register"), queryset=School.objects.none(), required=False
    )
    new_school = forms.CharField(
        label=_("Or a school not yet in the register"), max_length=200, required=False
    )
    school_kind = forms.ChoiceField(
        label=_("Kind of the new school"), choices=School.Kind.choices, required=False
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "school", School.objects.filter(division=venue.division).order_by("name"))

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if not data.get("school") and not (data.get("new_school") or "").strip():
            self.add_error("school", _("Choose the school, or name a new one."))
        return data


class TripForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CaravanTrip
        fields = ["caravan", "title", "starts_on", "ends_on", "km", "km_approximate", "note"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "caravan", Caravan.objects.filter(venue=venue, is_active=True))


class StopForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput(), required=False)
    place_kind = forms.ChoiceField(
        label=_("Kind of place"),
        choices=[(k, v) for k, v in PlaceKind.choices if k not in ("hall", "online")],
        initial=PlaceKind.SCHOOL,
    )
    name = forms.CharField(label=_("Place"), max_length=200, required=False)
    people_served = forms.IntegerField(label=_("People served"), min_value=0, required=False)
    people_approximate = forms.BooleanField(label=_("About (约)"), required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("day") or data.get("name") or data.get("people_served"))


StopFormSet = forms.formset_factory(StopForm, extra=6, max_num=12)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=250, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    alliance = forms.ModelChoiceField(
        label=_("Organising alliance"),
        queryset=Alliance.objects.none(),
        required=False,
        help_text=_("Empty for a campaign of the whole national network."),
    )
    organiser = forms.CharField(label=_("Organiser"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, alliances: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "alliance", alliances)
        for month in range(1, 13):
            self.fields[f"theme_{month}"] = forms.CharField(
                label=_("Theme of month %(m)s") % {"m": month}, max_length=100, required=False
            )

    def service_data(self) -> tuple[dict[str, Any], list[tuple[int, str, str]]]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("theme_")}
        themes = [
            (month, self.cleaned_data[f"theme_{month}"], "")
            for month in range(1, 13)
            if self.cleaned_data.get(f"theme_{month}", "").strip()
        ]
        return data, themes


class ThemeDayForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ThemeDay
        fields = ["name", "name_en", "kind", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class WorkersForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(
        label=_("S&T workers who took part"),
        queryset=Expert.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    role = forms.ChoiceField(label=_("As"), choices=SessionWorker.Role.choices)

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "experts", Expert.objects.filter(venue=venue, is_active=True).order_by("name"))

"""Forms of the touring pages. They check shapes; the services decide the rules."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.network.forms import DateInput, TimeInput
from kepu.network.models import Division, Organisation, Venue, VenueKind
from kepu.programs.forms import limit
from kepu.programs.models import Caravan, PlaceKind, School, split_names
from kepu.touring.models import (
    AttendanceSource,
    ExhibitionSet,
    HostVenue,
    PlanPeriod,
    RotationPlan,
    RotationRegion,
    Weighting,
)
from kepu.touring.services.registry import HOST_FIELDS, SET_FIELDS
from kepu.touring.services.rotation import MAX_TIME_LIMIT, default_periods, periods_from

WEEKDAY_CHOICES = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


def region_venues(region: RotationRegion) -> QuerySet[Venue]:
    """Venues inside the region's division, not online channels."""
    code = region.division_id
    prefix = code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
    return (
        Venue.objects.filter(division__code__startswith=prefix, is_active=True)
        .exclude(kind=VenueKind.ONLINE)
        .select_related("division")
        .order_by("division_id", "name")
    )


class SetForm(forms.ModelForm):  # type: ignore[type-arg]
    theme_names = forms.CharField(
        label=_("Themes"),
        max_length=1000,
        help_text=_("Separate several with 、 or commas; new themes are added to the list."),
    )

    class Meta:
        model = ExhibitionSet
        fields = SET_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, region: RotationRegion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        venues = region_venues(region) | Venue.objects.filter(pk=region.coordinator_id)
        for name in ("base", "location"):
            limit(self, name, venues.distinct())
        limit(self, "owner", Organisation.objects.order_by("name"))
        if self.instance.pk:
            self.initial["theme_names"] = "、".join(
                theme.name for theme in self.instance.themes.all()
            )

    def service_data(self) -> tuple[dict[str, Any], list[str]]:
        data = dict(self.cleaned_data)
        names = split_names(data.pop("theme_names"))
        return data, names


class ExhibitForm(forms.Form):
    name = forms.CharField(label=_("Exhibit"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=250, required=False)
    crates = forms.IntegerField(label=_("Crates"), min_value=0, initial=1)
    weight_kg = forms.DecimalField(label=_("Weight (kg)"), min_value=Decimal(0), decimal_places=1)
    floor_area_m2 = forms.DecimalField(
        label=_("Floor area (m²)"), min_value=Decimal(0), decimal_places=1
    )


class MaintenanceForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("To"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class HostForm(forms.ModelForm):  # type: ignore[type-arg]
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.none())

    class Meta:
        model = HostVenue
        fields = ("venue", *HOST_FIELDS)

    def __init__(self, *args: Any, region: RotationRegion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["venue"]
        else:
            limit(self, "venue", region_venues(region).exclude(hostings__region=region))


class AvailabilityForm(forms.Form):
    starts_on = forms.DateField(label=_("Can host from"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class DistancesForm(forms.Form):
    file = forms.FileField(
        label=_("Distance file (CSV)"),
        help_text=_(
            "Either lines of from,to,km or a square table whose first row and column name the "
            "venues (by id or name). It replaces the distances imported before."
        ),
    )

    def text(self) -> str:
        upload = self.cleaned_data["file"]
        raw: bytes = upload.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("Save the file as UTF-8 text."))


class PlannerForm(forms.Form):
    """What the coordinator asks of the rotation planner."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    first_day = forms.DateField(label=_("First stop opens on"), widget=DateInput())
    periods = forms.IntegerField(label=_("Stops in the year"), min_value=1, max_value=12)
    weeks = forms.IntegerField(label=_("Weeks per stop"), min_value=1, max_value=26)
    gap_days = forms.IntegerField(label=_("Days between stops"), min_value=0, max_value=60)
    repeat_years = forms.IntegerField(
        label=_("Years before a theme may return"), min_value=0, max_value=20
    )
    weighting = forms.ChoiceField(label=_("Venues weighted"), choices=Weighting.choices)
    required = forms.ModelMultipleChoiceField(
        label=_("Venues that must be served"),
        queryset=Venue.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=1,
        max_value=MAX_TIME_LIMIT,
        help_text=_("The planner stops then with the best plan found, its bound and its gap."),
    )

    def __init__(self, *args: Any, region: RotationRegion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(
            self,
            "required",
            Venue.objects.filter(hostings__region=region, hostings__is_active=True).order_by(
                "division_id", "name"
            ),
        )

    @staticmethod
    def initial_for(region: RotationRegion, year: int) -> dict[str, Any]:
        periods = default_periods(region, year)
        return {
            "year": year,
            "first_day": periods[0][0],
            "periods": region.periods_per_year,
            "weeks": region.period_weeks,
            "gap_days": region.gap_days,
            "repeat_years": region.repeat_years,
            "weighting": region.weighting,
            "time_limit": 20,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first_day: date | None = data.get("first_day")
        year: int | None = data.get("year")
        if first_day is not None and year is not None and first_day.year != year:
            self.add_error("first_day", _("The first stop opens in the plan's year."))
        return data

    def periods_list(self) -> list[tuple[date, date]]:
        data = self.cleaned_data
        return periods_from(data["first_day"], data["periods"], data["weeks"], data["gap_days"])


class PlanEditForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Stop"), queryset=PlanPeriod.objects.none())
    set = forms.ModelChoiceField(label=_("Set"), queryset=ExhibitionSet.objects.none())
    venue = forms.ModelChoiceField(
        label=_("Venue"),
        queryset=Venue.objects.none(),
        required=False,
        empty_label=_("— nowhere —"),
    )

    def __init__(self, *args: Any, plan: RotationPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (
            ("period", plan.periods.order_by("sequence")),
            ("set", plan.region.sets.filter(status="active").order_by("code")),
            (
                "venue",
                Venue.objects.filter(
                    hostings__region=plan.region, hostings__is_active=True
                ).order_by("division_id", "name"),
            ),
        ):
            limit(self, name, queryset)


class VisitorsForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("To"), widget=DateInput())
    visitors = forms.IntegerField(label=_("Visitors (人次)"), min_value=0)
    approximate = forms.BooleanField(label=_("About (约)"), required=False)
    source = forms.ChoiceField(
        label=_("Source"), choices=AttendanceSource.choices, initial=AttendanceSource.COUNTED
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class StopStatusForm(forms.Form):
    ACTIONS = [("open", _("Opened")), ("close", _("Closed")), ("cancel", _("Cancel the stop"))]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    opens_on = forms.DateField(label=_("Opened on"), widget=DateInput(), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class CaravanRequestForm(forms.Form):
    caravan = forms.ModelChoiceField(label=_("Caravan"), queryset=Caravan.objects.none())
    name = forms.CharField(label=_("Place"), max_length=200, required=False)
    place_kind = forms.ChoiceField(
        label=_("Kind of place"),
        choices=[
            choice for choice in PlaceKind.choices if choice[0] not in ("hall", "venue", "online")
        ],
        initial=PlaceKind.SCHOOL,
    )
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False
    )
    division = forms.ModelChoiceField(
        label=_("County"), queryset=Division.objects.none(), required=False
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )
    earliest_on = forms.DateField(label=_("Can receive from"), widget=DateInput())
    latest_on = forms.DateField(label=_("Until"), widget=DateInput())
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        initial=[0, 1, 2, 3, 4],
        widget=forms.CheckboxSelectMultiple,
    )
    receive_from = forms.TimeField(label=_("Receives from"), widget=TimeInput(), initial=time(9))
    receive_until = forms.TimeField(label=_("Receives until"), widget=TimeInput(), initial=time(16))
    visit_minutes = forms.IntegerField(
        label=_("Visit takes (minutes)"), min_value=15, max_value=600, initial=90
    )
    expected_people = forms.IntegerField(label=_("People expected"), min_value=0, initial=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province = venue.division_id[:2]
        for name, queryset in (
            ("caravan", Caravan.objects.filter(venue=venue, is_active=True)),
            ("school", School.objects.filter(division__code__startswith=province).order_by("name")),
            (
                "division",
                Division.objects.filter(code__startswith=province, level="county").order_by("code"),
            ),
        ):
            limit(self, name, queryset)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name") and not data.get("school"):
            self.add_error("name", _("Name the place, or choose the school."))
        if not data.get("division") and not data.get("school"):
            self.add_error("division", _("Choose the county."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["weekdays"] = sum(1 << day for day in data["weekdays"])
        if data.get("division") is None:
            data.pop("division")
        return data


class WeekPlanForm(forms.Form):
    caravan = forms.ModelChoiceField(label=_("Caravan"), queryset=Caravan.objects.none())
    week_starts = forms.DateField(label=_("Week of (a Monday)"), widget=DateInput())
    depot = forms.ModelChoiceField(label=_("Depot"), queryset=Venue.objects.none())
    working_days = forms.TypedMultipleChoiceField(
        label=_("Working days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        initial=[0, 1, 2, 3, 4],
        widget=forms.CheckboxSelectMultiple,
    )
    day_starts = forms.TimeField(label=_("Leaves from"), widget=TimeInput(), initial=time(7, 30))
    day_ends = forms.TimeField(label=_("Back by"), widget=TimeInput(), initial=time(17, 30))
    max_drive_minutes = forms.IntegerField(
        label=_("Driving per day (minutes)"), min_value=30, max_value=720, initial=360
    )
    max_km_per_day = forms.IntegerField(label=_("Kilometres per day"), min_value=1, required=False)
    speed_kmh = forms.IntegerField(
        label=_("Average speed (km/h)"), min_value=10, max_value=120, initial=50
    )
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=1, max_value=120, initial=10
    )

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_venues = Venue.objects.filter(pk=venue.pk)
        if venue.organisation_id is not None:
            organisation_venues = Venue.objects.filter(organisation_id=venue.organisation_id)
        for name, queryset in (
            ("caravan", Caravan.objects.filter(venue=venue, is_active=True)),
            ("depot", organisation_venues.exclude(kind=VenueKind.ONLINE).order_by("name")),
        ):
            limit(self, name, queryset)
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("week_starts", today + timedelta(days=7 - today.weekday()))
            self.initial.setdefault("depot", venue.pk)
            first = Caravan.objects.filter(venue=venue, is_active=True).order_by("name").first()
            if first is not None:
                self.initial.setdefault("caravan", first.pk)

"""Forms of the volunteer pages. They check shapes; the services decide the rules."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.network.forms import WEEKDAY_CHOICES, DateInput, TimeInput
from kepu.network.models import Hall, Venue
from kepu.programs.models import School
from kepu.visits.identity import IdType
from kepu.volunteers.models import (
    ON_ROLL,
    Assessment,
    Availability,
    Category,
    Course,
    CourseSession,
    Drive,
    Gender,
    Language,
    Post,
    Recognition,
    Team,
    Volunteer,
    VolunteerSettings,
    VolunteerStatus,
)
from kepu.volunteers.services.common import PersonInput
from kepu.volunteers.services.people import SETTINGS_FIELDS
from kepu.volunteers.services.recruitment import AccountInput, ApplicantInput

DOCUMENTS = [(code, label) for code, label in IdType.choices if code != IdType.NONE_CHILD]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _limit(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    if isinstance(field, forms.ModelChoiceField):
        field.queryset = queryset


def colleges_for(venue: Venue) -> QuerySet[School]:
    """Universities and colleges of the register (the venue's province first)."""
    kinds = [School.Kind.UNIVERSITY, School.Kind.VOCATIONAL]
    schools = School.objects.filter(kind__in=kinds).select_related("division")
    if venue.division_id:
        schools = schools.filter(division__code__startswith=str(venue.division_id)[:2])
    return schools.order_by("name")


def request_key(form: forms.Form) -> None:
    """A fresh key per form shown: a double submit takes effect once."""
    if not form.is_bound:
        form.initial["request_key"] = uuid.uuid4().hex


# Recruitment -------------------------------------------------------------------------------------


class DriveForm(forms.ModelForm):  # type: ignore[type-arg]
    categories = forms.MultipleChoiceField(
        label=_("Who may apply"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    colleges = forms.ModelMultipleChoiceField(
        label=_("Partner colleges"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Students apply through these colleges' youth league committees."),
    )

    class Meta:
        model = Drive
        fields = [
            "title",
            "title_en",
            "categories",
            "colleges",
            "places",
            "opens_on",
            "closes_on",
            "description",
            "agreement",
        ]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "agreement": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "colleges", colleges_for(venue))

    def service_data(self) -> tuple[dict[str, Any], list[School]]:
        data = dict(self.cleaned_data)
        colleges = list(data.pop("colleges") or [])
        return data, colleges


class ApplicationForm(forms.Form):
    """The public application: mobile first, everything the drive needs on one page."""

    category = forms.ChoiceField(label=_("I apply as"), widget=forms.RadioSelect)
    name = forms.CharField(label=_("Full name"), max_length=50)
    id_type = forms.ChoiceField(label=_("Document"), choices=DOCUMENTS)
    id_number = forms.CharField(label=_("ID number"), max_length=32)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput(),
        help_text=_("Only needed with a document other than the resident identity card."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    college = forms.ModelChoiceField(
        label=_("College"), queryset=School.objects.none(), required=False
    )
    organisation = forms.CharField(label=_("School or work unit"), max_length=200, required=False)
    professional_title = forms.CharField(
        label=_("Professional title (experts)"), max_length=100, required=False
    )
    skills = forms.CharField(
        label=_("Skills"),
        max_length=300,
        required=False,
        help_text=_("E.g. explaining exhibits, photography, first aid, sign language."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("When I can serve"),
        choices=Availability.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    motivation = forms.CharField(
        label=_("Why you want to volunteer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    guardian_name = forms.CharField(
        label=_("Guardian's name (applicants under 18)"), max_length=50, required=False
    )
    guardian_phone = forms.CharField(
        label=_("Guardian's mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    guardian_consent = forms.BooleanField(
        label=_("As the guardian, I consent to this application."), required=False
    )
    username = forms.CharField(
        label=_("Choose a username"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        help_text=_("You sign in with it to follow your application and sign up for shifts."),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    agreed = forms.BooleanField(label=_("I have read and accept the volunteer agreement."))
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, drive: Drive, signed_in: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = [(c, label) for c, label in Category.choices if c in drive.categories]
        self.fields["category"].choices = categories  # type: ignore[attr-defined]
        if len(categories) == 1:
            self.fields["category"].initial = categories[0][0]
        colleges = drive.colleges.order_by("name")
        _limit(self, "college", colleges)
        if not colleges.exists():
            del self.fields["college"]
        self.signed_in = signed_in
        if signed_in:
            del self.fields["username"]
            del self.fields["password"]
        else:
            self.fields["username"].required = True
            self.fields["password"].required = True
        request_key(self)

    def applicant(self) -> ApplicantInput:
        data = self.cleaned_data
        college = data.get("college")
        return ApplicantInput(
            category=data["category"],
            person=PersonInput(
                name=data["name"],
                id_type=data["id_type"],
                id_number=data["id_number"],
                phone=data["phone"],
                birth_date=data["birth_date"],
                gender=data["gender"],
                guardian_name=data["guardian_name"],
                guardian_phone=data["guardian_phone"],
            ),
            college_id=college.pk if college else None,
            organisation=data["organisation"],
            professional_title=data["professional_title"],
            skills=data["skills"],
            languages=list(data["languages"]),
            availability=list(data["availability"]),
            motivation=data["motivation"],
            guardian_consent=data["guardian_consent"],
            agreed=data["agreed"],
        )

    def account(self) -> AccountInput | None:
        if self.signed_in:
            return None
        return AccountInput(self.cleaned_data["username"], self.cleaned_data["password"])


class InterviewForm(forms.Form):
    interviewed_at = forms.DateTimeField(label=_("Interviewed at"), widget=DateTimeInput())
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100, required=False)
    note = forms.CharField(
        label=_("Interview notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("interviewed_at", timezone.localtime().replace(second=0))


class AcceptForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    reason = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "team", Team.objects.filter(venue=venue, is_active=True).order_by("name"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Stage"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All")), *Category.choices], required=False
    )
    drive = forms.ModelChoiceField(label=_("Drive"), queryset=Drive.objects.none(), required=False)
    q = forms.CharField(label=_("Reference, mobile or ID number"), max_length=32, required=False)

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        from kepu.volunteers.models import ApplicationStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *ApplicationStatus.choices,
        ]
        _limit(self, "drive", Drive.objects.filter(venue=venue).order_by("-opens_on"))


# The roll ----------------------------------------------------------------------------------------


class VolunteerFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("on_roll", _("On the roll")), ("", _("All")), *VolunteerStatus.choices],
        required=False,
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All")), *Category.choices], required=False
    )
    q = forms.CharField(label=_("Number, mobile or ID number"), max_length=32, required=False)

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "team", Team.objects.filter(venue=venue).order_by("name"))


class VolunteerForm(forms.ModelForm):  # type: ignore[type-arg]
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("When I can serve"),
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Volunteer
        fields = [
            "team",
            "organisation",
            "professional_title",
            "skills",
            "languages",
            "availability",
            "note",
        ]

    def __init__(self, *args: Any, venue: Venue, own: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "team", Team.objects.filter(venue=venue, is_active=True).order_by("name"))
        if own:
            for name in ("team", "organisation", "professional_title", "note"):
                del self.fields[name]


class AppointForm(forms.Form):
    waiver_reason = forms.CharField(
        label=_("Reason to waive the probation targets"), max_length=300, required=False
    )


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("Extend probation until"), widget=DateInput())


class ShiftPlacesForm(forms.Form):
    post = forms.ModelChoiceField(label=_("Post"), queryset=Post.objects.none())
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=200)

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "post", Post.objects.filter(venue=venue, is_active=True).order_by("name"))


class ExitForm(forms.Form):
    kind = forms.ChoiceField(label=_("How they leave"), choices=Volunteer.ExitKind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class AssessmentForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    rating = forms.ChoiceField(label=_("Rating"), choices=Assessment.Rating.choices)
    renew = forms.BooleanField(label=_("Renew for next year"), required=False, initial=True)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_reason = forms.CharField(
        label=_("Reason to renew below the thresholds"), max_length=300, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)


class RecognitionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Recognition.Kind.choices)
    title = forms.CharField(
        label=_("Title"), max_length=100, help_text=_("E.g. 优秀志愿者, or a written warning.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
    awarded_on = forms.DateField(label=_("Date"), widget=DateInput())


class CertificateForm(forms.Form):
    start = forms.DateField(label=_("Service from"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Service until"), widget=DateInput(), required=False)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you need the full data"),
        max_length=200,
        help_text=_("Kept in the audit log with your name."),
    )


class SettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = VolunteerSettings
        fields = sorted(SETTINGS_FIELDS)


# Teams, posts, training --------------------------------------------------------------------------


class TeamForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Team
        fields = ["name", "name_en", "college", "leader", "description", "is_active"]

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "college", colleges_for(venue))
        leaders = Volunteer.objects.filter(venue=venue, status__in=ON_ROLL)
        if self.instance.pk:
            leaders = leaders.filter(Q(team=self.instance) | Q(team__isnull=True))
        _limit(self, "leader", leaders.order_by("number"))


class PostForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Post
        fields = [
            "name",
            "name_en",
            "kind",
            "required_course",
            "counts_tours",
            "description",
            "is_active",
        ]

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "required_course", Course.objects.filter(venue=venue).order_by("name"))


class CourseForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Course
        fields = ["name", "name_en", "hours", "valid_months", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CourseSessionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CourseSession
        fields = ["starts_at", "ends_at", "place", "trainer"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}


class TrainingForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Course session"), queryset=CourseSession.objects.none(), required=False
    )
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())
    passed = forms.BooleanField(label=_("Passed"), required=False, initial=True)
    volunteers = forms.ModelMultipleChoiceField(
        label=_("Volunteers"),
        queryset=Volunteer.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "session", course.sessions.order_by("-starts_at"))
        _limit(
            self,
            "volunteers",
            Volunteer.objects.filter(venue_id=course.venue_id, status__in=ON_ROLL).order_by(
                "number"
            ),
        )
        if not self.is_bound:
            self.initial.setdefault("completed_on", timezone.localdate())


# Shifts ------------------------------------------------------------------------------------------


class PlacesMixin(forms.Form):
    """One number of places per active post of the venue (``places_<post id>``)."""

    def add_place_fields(self, venue: Venue) -> None:
        self.posts = list(Post.objects.filter(venue=venue, is_active=True).order_by("name"))
        for post in self.posts:
            self.fields[f"places_{post.pk}"] = forms.IntegerField(
                label=post.display_name, min_value=0, max_value=200, required=False
            )

    def places(self) -> dict[Post, int]:
        return {post: self.cleaned_data.get(f"places_{post.pk}") or 0 for post in self.posts}


class ShiftForm(PlacesMixin):
    title = forms.CharField(label=_("Title"), max_length=100)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    starts = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    hall = forms.ModelChoiceField(label=_("Hall"), queryset=Hall.objects.none(), required=False)
    place_name = forms.CharField(label=_("Place"), max_length=200, required=False)
    team = forms.ModelChoiceField(
        label=_("Reserved for team"), queryset=Team.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "hall", Hall.objects.filter(venue=venue))
        _limit(self, "team", Team.objects.filter(venue=venue, is_active=True))
        self.add_place_fields(venue)

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": timezone.make_aware(datetime.combine(data["day"], data["starts"])),
            "ends_at": timezone.make_aware(datetime.combine(data["day"], data["ends"])),
            "hall": data["hall"],
            "place_name": data["place_name"],
            "team": data["team"],
            "note": data["note"],
        }


class PatternForm(PlacesMixin):
    title = forms.CharField(label=_("Title"), max_length=100, initial=_("Weekend morning"))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    starts = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    valid_from = forms.DateField(label=_("First day"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Last day (optional)"), widget=DateInput(), required=False
    )
    generate_until = forms.DateField(
        label=_("Generate shifts until"),
        widget=DateInput(),
        help_text=_("Shifts are made on the days the venue is open (at most 93 days ahead)."),
    )
    hall = forms.ModelChoiceField(label=_("Hall"), queryset=Hall.objects.none(), required=False)
    team = forms.ModelChoiceField(
        label=_("Reserved for team"), queryset=Team.objects.none(), required=False
    )

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "hall", Hall.objects.filter(venue=venue))
        _limit(self, "team", Team.objects.filter(venue=venue, is_active=True))
        self.add_place_fields(venue)


class AssignForm(forms.Form):
    shift_post = forms.TypedChoiceField(label=_("Post"), coerce=int)
    number = forms.CharField(label=_("Volunteer number"), max_length=20)


class RecordServiceForm(forms.Form):
    checked_in_at = forms.DateTimeField(label=_("Check-in time"), widget=DateTimeInput())
    checked_out_at = forms.DateTimeField(label=_("Check-out time"), widget=DateTimeInput())
    tours = forms.IntegerField(label=_("Guided tours"), min_value=0, initial=0, required=False)


class CorrectionForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours served"), min_value=0, max_value=16, decimal_places=2, max_digits=4
    )
    tours = forms.IntegerField(label=_("Guided tours"), min_value=0, initial=0, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", "—"), *[(n, "★" * n) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    feedback = forms.CharField(label=_("Feedback"), max_length=300, required=False)


class DeskForm(forms.Form):
    code = forms.CharField(
        label=_("Volunteer's QR code or number"),
        max_length=120,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    tours = forms.IntegerField(label=_("Guided tours (at check-out)"), min_value=0, required=False)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocapitalize": "characters",
                "placeholder": "XXXX-XXXX-XXXX",
            }
        ),
    )

"""What a venue does besides opening its doors: activities and their sessions, sign-ups, schools
and partnerships, S&T workers, caravan trips, theme days, joint actions and competitions.

Every figure here may be marked approximate (约/余/近); the flag travels with the figure into the
reports.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kepu.network.models import Alliance, Division, Hall, Venue, localized


class ActivityType(models.TextChoices):
    STUDY_TOUR = "study_tour", _("Study tour")
    SCHOOL_COOPERATION = "school_cooperation", _("School–museum cooperation class")
    LECTURE = "lecture", _("Lecture or forum")
    SHOW = "show", _("Science show or experiment performance")
    THEME_DAY_EVENT = "theme_day_event", _("Theme-day event")
    COMPETITION = "competition", _("Competition")
    TRAINING = "training", _("Training course")
    CAMP = "camp", _("Camp")
    CARAVAN_VISIT = "caravan_visit", _("Caravan visit")
    SAFETY_OUTREACH = "safety_outreach", _("Emergency or public-safety outreach")
    EXHIBITION_TOUR = "exhibition_tour", _("Exhibition tour")
    LIVESTREAM = "livestream", _("Livestream")
    OTHER = "other", _("Other activity")


class Audience(models.TextChoices):
    PUBLIC = "public", _("General public")
    CHILDREN = "children", _("Preschool children")
    PRIMARY = "primary", _("Primary school students")
    SECONDARY = "secondary", _("Secondary school students")
    STUDENTS = "students", _("School students")
    UNIVERSITY = "university", _("University students")
    FAMILIES = "families", _("Families")
    TEACHERS = "teachers", _("Teachers")
    SENIORS = "seniors", _("Seniors")
    RURAL = "rural", _("Rural residents")
    PROFESSIONALS = "professionals", _("Professionals")


class PlaceKind(models.TextChoices):
    HALL = "hall", _("Hall of the venue")
    VENUE = "venue", _("Elsewhere at the venue")
    SCHOOL = "school", _("School")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    SQUARE = "square", _("Square or public space")
    OTHER_VENUE = "other_venue", _("Another venue")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other place")


AT_VENUE = frozenset({PlaceKind.HALL, PlaceKind.VENUE})


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ThemeDay(models.Model):
    """A national theme day or week (全国科普日, 科技活动周, 防灾减灾日 …) in a given year."""

    class Kind(models.TextChoices):
        SCIENCE_DAY = "science_day", _("National Science Popularization Day")
        ST_WEEK = "st_week", _("National S&T Week")
        OTHER = "other", _("Other theme day")

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("theme day")
        verbose_name_plural = _("theme days")
        ordering = ("starts_on", "name")
        constraints = [
            models.UniqueConstraint(fields=["name", "starts_on"], name="one_theme_day_per_start"),
            models.CheckConstraint(
                name="theme_day_dates_ordered", condition=Q(ends_on__gte=F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.starts_on.year}"

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class Campaign(models.Model):
    """A joint action (联合行动) of the national network or of an alliance, with monthly themes."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=250, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    alliance = models.ForeignKey(
        Alliance,
        verbose_name=_("organising alliance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        help_text=_("Empty for a campaign of the whole national network."),
    )
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("joint action")
        verbose_name_plural = _("joint actions")
        ordering = ("-year", "name")
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="one_campaign_per_name_year"),
            models.CheckConstraint(
                name="campaign_dates_ordered", condition=Q(ends_on__gte=F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class CampaignTheme(models.Model):
    """One month's theme of a joint action (2024: March "Cherish Resources" …)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="themes")
    month = models.PositiveSmallIntegerField(_("month"))
    name = models.CharField(_("theme"), max_length=100)
    name_en = models.CharField(_("English theme"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("monthly theme")
        verbose_name_plural = _("monthly themes")
        ordering = ("campaign", "month")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "month"], name="one_theme_per_month"),
            models.CheckConstraint(
                name="theme_month_valid", condition=Q(month__gte=1, month__lte=12)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.year}-{self.month:02d} {self.name}"

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class School(models.Model):
    """A school in the shared register (partner schools, outreach stops, class sign-ups)."""

    class Kind(models.TextChoices):
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        PRIMARY = "primary", _("Primary school")
        JUNIOR = "junior", _("Junior secondary school")
        SENIOR = "senior", _("Senior secondary school")
        SECONDARY = "secondary", _("Secondary school (junior and senior)")
        NINE_YEAR = "nine_year", _("Nine-year school")
        VOCATIONAL = "vocational", _("Vocational school")
        UNIVERSITY = "university", _("University or college")
        SPECIAL = "special", _("Special education school")
        OTHER = "other", _("Other school")

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=250, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRIMARY)
    division = models.ForeignKey(
        Division,
        verbose_name=_("administrative division"),
        on_delete=models.PROTECT,
        related_name="schools",
    )
    is_rural = models.BooleanField(_("rural"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ("division", "name")
        constraints = [
            models.UniqueConstraint(fields=["division", "name"], name="one_school_per_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class Partnership(models.Model):
    """A school–museum cooperation agreement (馆校合作)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="partnerships")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="partnerships")
    signed_on = models.DateField(_("signed on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("school partnership")
        verbose_name_plural = _("school partnerships")
        ordering = ("venue", "school__name")
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "school", "signed_on"], name="one_partnership_per_signing"
            ),
            models.CheckConstraint(
                name="partnership_dates_ordered",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("signed_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue} – {self.school}"


class Degree(models.TextChoices):
    NONE = "none", _("No degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")


class Expert(models.Model):
    """An S&T worker (科技工作者) a venue works with: its own staff, experts, teachers."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Venue staff")
        EXPERT = "expert", _("Scientist or engineer")
        TEACHER = "teacher", _("Teacher")
        VOLUNTEER = "volunteer", _("S&T volunteer")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="experts")
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.EXPERT)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    field = models.CharField(_("field"), max_length=100, blank=True)
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    degree = models.CharField(_("degree"), max_length=12, choices=Degree.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("S&T worker")
        verbose_name_plural = _("S&T workers")
        ordering = ("venue", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "name", "organisation"], name="one_expert_per_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScienceVicePrincipal(models.Model):
    """A staff member appointed science vice-principal (科学副校长) of a school."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="vice_principals")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="appointments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="vice_principals")
    appointed_on = models.DateField(_("appointed on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("science vice-principal")
        verbose_name_plural = _("science vice-principals")
        ordering = ("venue", "-appointed_on")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "school", "appointed_on"], name="one_appointment_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.school}"


class Caravan(models.Model):
    """A science caravan (科普大篷车): a vehicle with exhibits that visits schools and villages."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="caravans")
    name = models.CharField(_("name"), max_length=100)
    plate_number = models.CharField(_("plate number"), max_length=20, blank=True)
    exhibits = models.PositiveSmallIntegerField(_("exhibits carried"), default=0)
    in_service_since = models.DateField(_("in service since"), null=True, blank=True)
    is_active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("caravan")
        verbose_name_plural = _("caravans")
        ordering = ("venue", "name")
        constraints = [
            models.UniqueConstraint(fields=["venue", "name"], name="one_caravan_per_name"),
        ]

    def __str__(self) -> str:
        return self.name


class CaravanTrip(models.Model):
    """One trip of a caravan: its dates, the kilometres driven, and its stops."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="caravan_trips")
    caravan = models.ForeignKey(Caravan, on_delete=models.PROTECT, related_name="trips")
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    km = models.DecimalField(_("kilometres driven"), max_digits=8, decimal_places=1)
    km_approximate = models.BooleanField(_("kilometres approximate"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("caravan trip")
        verbose_name_plural = _("caravan trips")
        ordering = ("venue", "-starts_on")
        constraints = [
            models.CheckConstraint(
                name="trip_dates_ordered", condition=Q(ends_on__gte=F("starts_on"))
            ),
            models.CheckConstraint(name="trip_km_not_negative", condition=Q(km__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.caravan} {self.starts_on}: {self.title}"


class TripStop(models.Model):
    """Where a caravan trip stopped, and how many people it served there."""

    trip = models.ForeignKey(CaravanTrip, on_delete=models.CASCADE, related_name="stops")
    sequence = models.PositiveSmallIntegerField(_("order"))
    day = models.DateField(_("day"))
    place_kind = models.CharField(
        _("kind of place"), max_length=12, choices=PlaceKind.choices, default=PlaceKind.SCHOOL
    )
    name = models.CharField(_("place"), max_length=200)
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, null=True, blank=True
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("administrative division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    people_served = models.PositiveIntegerField(_("people served"), default=0)
    people_approximate = models.BooleanField(_("people approximate"), default=False)

    class Meta:
        verbose_name = _("trip stop")
        verbose_name_plural = _("trip stops")
        ordering = ("trip", "sequence")
        constraints = [
            models.UniqueConstraint(fields=["trip", "sequence"], name="one_stop_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.name}"


class Activity(models.Model):
    """An activity of the venue's programme; it runs as one or more sessions."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="activities")
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=250, blank=True)
    activity_type = models.CharField(_("type"), max_length=24, choices=ActivityType.choices)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC
    )
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    partners = models.CharField(
        _("partner organisations"),
        max_length=500,
        blank=True,
        help_text=_("Separate several with 、 or commas."),
    )
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    theme_day = models.ForeignKey(
        ThemeDay,
        verbose_name=_("theme day"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    campaign_theme = models.ForeignKey(
        CampaignTheme,
        verbose_name=_("joint action theme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ("venue", "-created_at")
        indexes = [models.Index(fields=["venue", "activity_type"])]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def partner_list(self) -> list[str]:
        return split_names(self.partners)


def split_names(text: str) -> list[str]:
    """'集安市教育局、集安市博物馆, 集旅集团' → three names."""
    for separator in ("，", ",", ";", "；", "\n"):
        text = text.replace(separator, "、")
    return [name.strip() for name in text.split("、") if name.strip()]


class Session(models.Model):
    """One occurrence of an activity: when, where, for how many, and who came."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="sessions")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place_kind = models.CharField(
        _("kind of place"), max_length=12, choices=PlaceKind.choices, default=PlaceKind.HALL
    )
    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, null=True, blank=True
    )
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("administrative division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    trip = models.ForeignKey(
        CaravanTrip,
        verbose_name=_("caravan trip"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Places for sign-up; empty when the public does not sign up."),
    )
    places_left = models.IntegerField(null=True, blank=True, editable=False)
    registration_open = models.BooleanField(_("open for sign-up"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    participants_approximate = models.BooleanField(_("participants approximate"), default=False)
    online_viewers = models.PositiveIntegerField(_("online viewers"), null=True, blank=True)
    online_approximate = models.BooleanField(_("online viewers approximate"), default=False)
    st_workers = models.PositiveIntegerField(_("S&T workers taking part"), default=0)
    st_workers_approximate = models.BooleanField(_("S&T workers approximate"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ("starts_at", "id")
        indexes = [models.Index(fields=["venue", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                name="session_never_overbooked",
                condition=Q(places_left__isnull=True) | Q(places_left__gte=0),
            ),
            models.CheckConstraint(
                name="session_times_ordered",
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_outreach(self) -> bool:
        return self.place_kind not in AT_VENUE and self.place_kind != PlaceKind.ONLINE


class SessionWorker(models.Model):
    """An S&T worker who took part in a session, and as what."""

    class Role(models.TextChoices):
        LECTURER = "lecturer", _("Lecturer")
        GUIDE = "guide", _("Guide or demonstrator")
        JUDGE = "judge", _("Judge")
        ASSISTANT = "assistant", _("Assistant")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="workers")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="sessions")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.LECTURER)

    class Meta:
        verbose_name = _("S&T worker of a session")
        verbose_name_plural = _("S&T workers of sessions")
        constraints = [
            models.UniqueConstraint(fields=["session", "expert"], name="one_role_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} ({self.get_role_display()})"


class Registration(models.Model):
    """A sign-up for a session: one person, or a class registered by its teacher."""

    AUDIT_EXCLUDE = ("name_encrypted", "phone_encrypted", "phone_hash")

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        CLASS = "class", _("Class")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PERSON)
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    headcount = models.PositiveIntegerField(_("people"), default=1)
    name_encrypted = models.TextField(blank=True)
    name_masked = models.CharField(_("name"), max_length=60, blank=True)
    phone_encrypted = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("mobile"), max_length=20, blank=True)
    school_name = models.CharField(_("school"), max_length=200, blank=True)
    class_name = models.CharField(_("class"), max_length=100, blank=True)
    attended = models.PositiveIntegerField(_("attended"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ("session", "created_at")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="one_signup_per_key",
            ),
            models.UniqueConstraint(
                fields=["session", "phone_hash"],
                condition=Q(status="confirmed", kind="person") & ~Q(phone_hash=""),
                name="one_person_signup_per_phone",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class CampaignReport(models.Model):
    """A member unit's part in a joint action: what it held, where, and for how many."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports")
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="campaign_reports")
    theme = models.ForeignKey(
        CampaignTheme,
        verbose_name=_("monthly theme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    sites = models.PositiveIntegerField(_("sites"), default=1)
    service_team = models.PositiveIntegerField(_("service team"), default=0)
    on_site = models.PositiveIntegerField(_("people on site"), default=0)
    on_site_approximate = models.BooleanField(_("people on site approximate"), default=False)
    online_viewers = models.PositiveIntegerField(_("online viewers"), default=0)
    online_approximate = models.BooleanField(_("online viewers approximate"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("joint action report")
        verbose_name_plural = _("joint action reports")
        ordering = ("campaign", "starts_on", "venue")
        constraints = [
            models.CheckConstraint(
                name="campaign_report_dates_ordered", condition=Q(ends_on__gte=F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue}: {self.title}"


class Competition(models.Model):
    """A competition or training programme the venue organised or entered."""

    class Kind(models.TextChoices):
        COMPETITION = "competition", _("Competition")
        TRAINING = "training", _("Training programme")

    class Role(models.TextChoices):
        ORGANISED = "organised", _("Organised")
        ENTERED = "entered", _("Entered")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="competitions")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.COMPETITION
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.ORGANISED)
    level = models.CharField(
        _("level"), max_length=12, choices=Level.choices, default=Level.PROVINCIAL
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    regions = models.PositiveIntegerField(_("cities or regions taking part"), null=True, blank=True)
    organisations = models.PositiveIntegerField(
        _("schools and organisations taking part"), null=True, blank=True
    )
    sessions_held = models.PositiveIntegerField(_("sessions held"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    participants_approximate = models.BooleanField(_("participants approximate"), default=False)
    results = models.TextField(_("results"), blank=True)

    class Meta:
        verbose_name = _("competition or training")
        verbose_name_plural = _("competitions and trainings")
        ordering = ("venue", "-starts_on")
        constraints = [
            models.CheckConstraint(
                name="competition_dates_ordered", condition=Q(ends_on__gte=F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Exhibition(models.Model):
    """A special exhibition (专题展览): time-bounded, in a hall of the venue."""

    class Kind(models.TextChoices):
        SPECIAL = "special", _("Special exhibition")
        TOURING = "touring", _("Touring exhibition received")
        JOINT = "joint", _("Joint exhibition")
        ONLINE = "online", _("Online exhibition")

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="exhibitions", verbose_name=_("venue")
    )
    hall = models.ForeignKey(
        Hall,
        verbose_name=_("hall"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exhibitions",
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SPECIAL)
    starts_on = models.DateField(_("opens on"))
    ends_on = models.DateField(_("closes on"))
    partners = models.CharField(_("partner organisations"), max_length=300, blank=True)
    visitors = models.PositiveIntegerField(_("visitors"), null=True, blank=True)
    visitors_approximate = models.BooleanField(_("visitors approximate"), default=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("special exhibition")
        verbose_name_plural = _("special exhibitions")
        ordering = ("venue", "-starts_on")
        constraints = [
            models.CheckConstraint(
                name="exhibition_dates_ordered", condition=Q(ends_on__gte=F("starts_on"))
            ),
            models.UniqueConstraint(
                fields=["venue", "title", "starts_on"], name="unique_exhibition"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_name(self) -> str:
        return localized(self.title, self.title_en)

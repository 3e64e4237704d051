"""Posts, shifts with places per post, assignments and the minutes they credit, corrections,
yearly assessments, commendations and penalties, and certificates."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kepu.network.models import Hall, Venue, localized
from kepu.volunteers.models.base import hours_from_minutes
from kepu.volunteers.models.people import Course, Team, Volunteer


class Post(models.Model):
    """What a volunteer does on a shift: exhibit explainer, visitor guidance, caravan crew …"""

    class Kind(models.TextChoices):
        EXPLAINER = "explainer", _("Exhibit explainer")
        GUIDANCE = "guidance", _("Visitor guidance")
        ACTIVITY = "activity", _("Activity assistant")
        CARAVAN = "caravan", _("Caravan crew")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other post")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="volunteer_posts")
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    description = models.CharField(_("description"), max_length=300, blank=True)
    required_course = models.ForeignKey(
        Course,
        verbose_name=_("required course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="required_by",
        help_text=_("Volunteers take this post's shifts only after passing the course."),
    )
    counts_tours = models.BooleanField(
        _("records guided tours"),
        default=False,
        help_text=_("Tours given on these shifts count towards probation and renewal."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("volunteer post")
        verbose_name_plural = _("volunteer posts")
        ordering = ("venue", "name")
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="one_post_per_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class ShiftPattern(models.Model):
    """A recurring shift (e.g. Saturday mornings 09:00–12:00) that generates shifts on the
    venue's open days."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    weekdays = models.PositiveSmallIntegerField(_("weekdays"))  # bit 0 = Monday … bit 6 = Sunday
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.SET_NULL, null=True, blank=True
    )
    team = models.ForeignKey(
        Team, verbose_name=_("reserved for team"), on_delete=models.SET_NULL, null=True, blank=True
    )
    places = models.JSONField(default=dict)  # {post id: places}

    class Meta:
        verbose_name = _("shift pattern")
        verbose_name_plural = _("shift patterns")
        constraints = [
            models.CheckConstraint(
                name="pattern_times_ordered", condition=Q(ends_at__gt=F("starts_at"))
            ),
            models.CheckConstraint(
                name="pattern_weekdays_valid", condition=Q(weekdays__gt=0, weekdays__lte=127)
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ShiftStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")


class Shift(models.Model):
    """A block of service time at (or for) the venue, with places per post."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="volunteer_shifts")
    pattern = models.ForeignKey(
        ShiftPattern, on_delete=models.SET_NULL, null=True, blank=True, related_name="shifts"
    )
    title = models.CharField(_("title"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.SET_NULL, null=True, blank=True
    )
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("reserved for team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shifts",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ShiftStatus.choices, default=ShiftStatus.PLANNED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ("starts_at", "id")
        indexes = [models.Index(fields=["venue", "starts_at"], name="shift_venue_time")]
        constraints = [
            models.CheckConstraint(
                name="shift_times_ordered", condition=Q(ends_at__gt=F("starts_at"))
            ),
            models.UniqueConstraint(
                fields=["venue", "pattern", "starts_at"],
                condition=Q(pattern__isnull=False),
                name="one_shift_per_pattern_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class ShiftPost(models.Model):
    """The places of one post on one shift. ``places_left`` never drops below zero."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="posts")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="shift_posts")
    places = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    places_left = models.IntegerField(editable=False)

    class Meta:
        verbose_name = _("places of a post")
        verbose_name_plural = _("places of posts")
        ordering = ("shift", "post__name")
        constraints = [
            models.UniqueConstraint(fields=["shift", "post"], name="one_entry_per_shift_post"),
            # The last safety net: a shift is never overfilled, whatever the code does.
            models.CheckConstraint(
                name="shift_post_never_overfilled",
                condition=Q(places_left__gte=0) & Q(places_left__lte=F("places")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shift} · {self.post}"

    @property
    def taken(self) -> int:
        return self.places - self.places_left


class AssignmentStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    CHECKED_IN = "checked_in", _("On duty")
    COMPLETED = "completed", _("Served")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


HOLDING_PLACE = (
    AssignmentStatus.SIGNED_UP,
    AssignmentStatus.CHECKED_IN,
    AssignmentStatus.COMPLETED,
)


class Assignment(models.Model):
    """A volunteer on a shift's post: signed up or assigned, then checked in and out; the
    minutes credited come from the check-in and check-out (corrections leave a record)."""

    class Source(models.TextChoices):
        SELF = "self", _("Signed up themselves")
        ASSIGNED = "assigned", _("Assigned by the coordinator")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments")
    shift_post = models.ForeignKey(ShiftPost, on_delete=models.CASCADE, related_name="assignments")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="assignments")
    # The shift's times, kept here so overlaps are found with one indexed query.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.SIGNED_UP,
    )
    source = models.CharField(_("how"), max_length=10, choices=Source.choices, default=Source.SELF)
    checked_in_at = models.DateTimeField(_("check-in time"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("check-out time"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes credited"), default=0)
    tours = models.PositiveSmallIntegerField(_("guided tours given"), default=0)
    corrected = models.BooleanField(_("hours corrected"), default=False)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    feedback = models.CharField(_("coordinator's feedback"), max_length=300, blank=True)
    volunteer_comment = models.CharField(_("volunteer's comment"), max_length=300, blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shift assignment")
        verbose_name_plural = _("shift assignments")
        ordering = ("starts_at", "id")
        indexes = [
            models.Index(fields=["volunteer", "starts_at"], name="assignment_volunteer_time"),
            models.Index(fields=["venue", "starts_at"], name="assignment_venue_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=~Q(status="cancelled"),
                name="one_assignment_per_shift",
            ),
            models.UniqueConstraint(
                fields=["volunteer", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="one_assignment_per_key",
            ),
            models.CheckConstraint(
                name="checked_out_after_in",
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_in_at__isnull=False, checked_out_at__gte=F("checked_in_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.shift}"

    @property
    def hours(self) -> Decimal:
        return hours_from_minutes(self.minutes)

    @property
    def is_open(self) -> bool:
        """Signed up or on duty: the service is still to be recorded."""
        return self.status in (AssignmentStatus.SIGNED_UP, AssignmentStatus.CHECKED_IN)


class HoursCorrection(models.Model):
    """A coordinator changed the minutes or tours credited for a shift, and said why."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="corrections")
    minutes_before = models.PositiveIntegerField()
    minutes_after = models.PositiveIntegerField()
    tours_before = models.PositiveSmallIntegerField(default=0)
    tours_after = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField(_("reason"), max_length=300)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hours correction")
        verbose_name_plural = _("hours corrections")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.assignment}: {self.minutes_before} → {self.minutes_after}"


class Assessment(models.Model):
    """The yearly assessment: the year's figures (from the records), a rating, renewal."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        PASS = "pass", _("Satisfactory")
        FAIL = "fail", _("Unsatisfactory")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    minutes = models.PositiveIntegerField(_("minutes served"))
    shifts = models.PositiveIntegerField(_("shifts served"))
    tours = models.PositiveIntegerField(_("guided tours"))
    no_shows = models.PositiveIntegerField(_("no-shows"))
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)
    renewed = models.BooleanField(_("renewed for next year"))
    comment = models.TextField(_("comment"), blank=True)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("yearly assessment")
        verbose_name_plural = _("yearly assessments")
        ordering = ("-year",)
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "year"], name="one_assessment_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.year}"

    @property
    def hours(self) -> Decimal:
        return hours_from_minutes(self.minutes)


class Recognition(models.Model):
    """A commendation or a penalty, with its reason."""

    class Kind(models.TextChoices):
        COMMENDATION = "commendation", _("Commendation")
        PENALTY = "penalty", _("Penalty")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="recognitions")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    reason = models.CharField(_("reason"), max_length=300)
    awarded_on = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("commendation or penalty")
        verbose_name_plural = _("commendations and penalties")
        ordering = ("-awarded_on", "-id")

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.title}"


class Certificate(models.Model):
    """A service certificate: what the venue recorded for the period, frozen when issued, with a
    code anyone can check on the public verification page."""

    AUDIT_EXCLUDE = ("holder_name_encrypted",)

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    minutes = models.PositiveIntegerField(_("minutes served"))
    shifts = models.PositiveIntegerField(_("shifts served"))
    stars = models.PositiveSmallIntegerField(_("stars"))
    details = models.JSONField(default=dict)  # posts with minutes, training, recognitions
    holder_name_encrypted = models.TextField(blank=True)
    holder_name_masked = models.CharField(_("holder"), max_length=60)
    holder_id_masked = models.CharField(_("holder's ID"), max_length=32, blank=True)
    holder_number = models.CharField(_("volunteer number"), max_length=20)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("service certificate")
        verbose_name_plural = _("service certificates")
        ordering = ("-issued_at",)
        constraints = [
            models.CheckConstraint(
                name="certificate_period_ordered", condition=Q(period_end__gte=F("period_start"))
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def hours(self) -> Decimal:
        return hours_from_minutes(self.minutes)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

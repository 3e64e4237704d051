"""Applications, volunteers and their teams, training courses and records."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.network.models import Venue, localized
from kepu.programs.models import School
from kepu.volunteers.models.base import Category, Drive, PersonalData


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    INTERVIEWED = "interviewed", _("Interviewed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_APPLICATION = (ApplicationStatus.PENDING, ApplicationStatus.INTERVIEWED)


class Application(PersonalData):
    """Someone's application to a drive, moving pending → interviewed → accepted / rejected."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    drive = models.ForeignKey(Drive, on_delete=models.PROTECT, related_name="applications")
    reference = models.CharField(_("application number"), max_length=12, unique=True)
    status = models.CharField(
        _("stage"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    category = models.CharField(_("category"), max_length=8, choices=Category.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_applications",
    )
    college = models.ForeignKey(
        School, verbose_name=_("college"), on_delete=models.PROTECT, null=True, blank=True
    )
    organisation = models.CharField(_("school or work unit"), max_length=200, blank=True)
    professional_title = models.CharField(_("professional title"), max_length=100, blank=True)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    availability = models.JSONField(_("availability"), default=list)
    motivation = models.TextField(_("why you want to volunteer"), blank=True)
    agreement_text = models.TextField(_("agreement accepted"), blank=True)
    agreed_at = models.DateTimeField(_("agreement accepted at"))
    guardian_consent = models.BooleanField(_("guardian's consent"), default=False)
    interview_at = models.DateTimeField(_("interviewed at"), null=True, blank=True)
    interview_score = models.PositiveSmallIntegerField(
        _("interview score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    interview_note = models.TextField(_("interview notes"), blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(_("applied at"), default=timezone.now)

    class Meta:
        verbose_name = _("volunteer application")
        verbose_name_plural = _("volunteer applications")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["venue", "status"], name="volunteer_app_stage")]
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "id_hash"],
                condition=Q(status__in=["pending", "interviewed"]),
                name="one_open_application_per_person",
            ),
            models.UniqueConstraint(
                fields=["venue", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="one_application_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name_masked}"


class VolunteerStatus(models.TextChoices):
    PROBATION = "probation", _("On probation")
    ACTIVE = "active", _("Appointed")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Has left")
    REMOVED = "removed", _("Removed")


SERVING = (VolunteerStatus.PROBATION, VolunteerStatus.ACTIVE)
ON_ROLL = (*SERVING, VolunteerStatus.SUSPENDED)


class Team(models.Model):
    """A volunteer team (e.g. one per partner college), with its leader."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="volunteer_teams")
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    leader = models.ForeignKey(
        "Volunteer",
        verbose_name=_("leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    college = models.ForeignKey(
        School, verbose_name=_("college"), on_delete=models.PROTECT, null=True, blank=True
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ("venue", "name")
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="one_team_per_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class Volunteer(PersonalData):
    """A volunteer of a venue: their record stays after exit, for certificates and statistics."""

    class ExitKind(models.TextChoices):
        LEFT = "left", _("Left of their own accord")
        NOT_RENEWED = "not_renewed", _("Not renewed")
        REMOVED = "removed", _("Removed")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="volunteers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_records",
    )
    application = models.OneToOneField(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="volunteer"
    )
    number = models.CharField(_("volunteer number"), max_length=20)
    category = models.CharField(_("category"), max_length=8, choices=Category.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VolunteerStatus.choices,
        default=VolunteerStatus.PROBATION,
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    college = models.ForeignKey(
        School, verbose_name=_("college"), on_delete=models.PROTECT, null=True, blank=True
    )
    organisation = models.CharField(_("school or work unit"), max_length=200, blank=True)
    professional_title = models.CharField(_("professional title"), max_length=100, blank=True)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    availability = models.JSONField(_("availability"), default=list)
    joined_on = models.DateField(_("joined on"))
    probation_until = models.DateField(_("probation until"), null=True, blank=True)
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    exit_kind = models.CharField(
        _("how they left"), max_length=12, choices=ExitKind.choices, blank=True
    )
    exit_reason = models.CharField(_("reason"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ("venue", "number")
        indexes = [models.Index(fields=["venue", "status"], name="volunteer_venue_status")]
        constraints = [
            models.UniqueConstraint(fields=["venue", "number"], name="one_volunteer_number"),
            models.UniqueConstraint(
                fields=["venue", "user"],
                condition=Q(user__isnull=False),
                name="one_volunteer_record_per_account",
            ),
            models.UniqueConstraint(
                fields=["venue", "id_hash"],
                condition=Q(status__in=["probation", "active", "suspended"]),
                name="one_serving_volunteer_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name_masked}"

    @property
    def is_serving(self) -> bool:
        return self.status in SERVING

    @property
    def is_on_roll(self) -> bool:
        return self.status in ON_ROLL


class Course(models.Model):
    """A training course; a post may require it before a volunteer takes the post's shifts."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="volunteer_courses")
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    hours = models.DecimalField(
        _("training hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    valid_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the course never needs repeating."),
    )
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ("venue", "name")
        constraints = [
            models.UniqueConstraint(fields=["venue", "name"], name="one_course_per_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class CourseSession(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")
        ordering = ("starts_at", "id")
        constraints = [
            models.CheckConstraint(
                name="course_session_times_ordered", condition=Q(ends_at__gt=F("starts_at"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d}"


class TrainingRecord(models.Model):
    """A volunteer took a course (at a session, or recognised from elsewhere), passed or not."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="trainings")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    session = models.ForeignKey(
        CourseSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="records"
    )
    completed_on = models.DateField(_("completed on"))
    passed = models.BooleanField(_("passed"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ("-completed_on", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "course", "completed_on"], name="one_training_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.course} {self.completed_on}"

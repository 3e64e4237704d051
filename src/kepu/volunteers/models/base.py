"""The shared vocabulary (categories, languages, availability), personal data, the venue's
volunteer settings and its recruitment drives."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kepu.network.models import Venue, localized
from kepu.programs.models import School
from kepu.visits.identity import IdType

HOUR = Decimal(60)


def hours_from_minutes(minutes: int | None) -> Decimal:
    """Whole minutes as hours with one decimal (95 → 1.6)."""
    return (Decimal(minutes or 0) / HOUR).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class Category(models.TextChoices):
    STUDENT = "student", _("Student of a partner college")
    PUBLIC = "public", _("Member of the public")
    EXPERT = "expert", _("S&T expert")
    LITTLE = "little", _("Little volunteer (aged 8–11)")


class Language(models.TextChoices):
    MANDARIN = "zh", _("Mandarin")
    ENGLISH = "en", _("English")
    JAPANESE = "ja", _("Japanese")
    KOREAN = "ko", _("Korean")
    RUSSIAN = "ru", _("Russian")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    SIGN = "sign", _("Chinese Sign Language")
    DIALECT = "dialect", _("Local dialect")


class Availability(models.TextChoices):
    WEEKDAY_MORNING = "weekday_am", _("Weekday mornings")
    WEEKDAY_AFTERNOON = "weekday_pm", _("Weekday afternoons")
    WEEKEND_MORNING = "weekend_am", _("Weekend mornings")
    WEEKEND_AFTERNOON = "weekend_pm", _("Weekend afternoons")
    HOLIDAYS = "holidays", _("Public holidays")
    SCHOOL_HOLIDAYS = "school_holidays", _("Summer and winter school holidays")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class PersonalData(models.Model):
    """Identity and contact of one person, encrypted; the masks are what screens show."""

    name_encrypted = models.TextField(blank=True)
    name_masked = models.CharField(_("full name"), max_length=60, blank=True)
    id_type = models.CharField(
        _("document"), max_length=24, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    id_encrypted = models.TextField(blank=True)
    # NULL once purged: the unique constraints then ignore the row.
    id_hash = models.CharField(max_length=64, null=True, blank=True, db_index=True)  # noqa: DJ001
    id_masked = models.CharField(_("ID number"), max_length=32, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    phone_encrypted = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("mobile"), max_length=20, blank=True)
    guardian_name_encrypted = models.TextField(blank=True)
    guardian_name_masked = models.CharField(_("guardian"), max_length=60, blank=True)
    guardian_phone_encrypted = models.TextField(blank=True)
    guardian_phone_masked = models.CharField(_("guardian's mobile"), max_length=20, blank=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)

    AUDIT_EXCLUDE = (
        "name_encrypted",
        "id_encrypted",
        "id_hash",
        "phone_encrypted",
        "phone_hash",
        "guardian_name_encrypted",
        "guardian_phone_encrypted",
        "birth_date",
    )

    class Meta:
        abstract = True

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


class VolunteerSettings(models.Model):
    """A venue's rules for its volunteers: star thresholds, probation, renewal, ages, retention."""

    venue = models.OneToOneField(
        Venue, on_delete=models.CASCADE, related_name="volunteer_settings", verbose_name=_("venue")
    )
    star_1_hours = models.PositiveIntegerField(_("hours for one star"), default=100)
    star_2_hours = models.PositiveIntegerField(_("hours for two stars"), default=300)
    star_3_hours = models.PositiveIntegerField(_("hours for three stars"), default=600)
    star_4_hours = models.PositiveIntegerField(_("hours for four stars"), default=1000)
    star_5_hours = models.PositiveIntegerField(_("hours for five stars"), default=1500)
    probation_days = models.PositiveSmallIntegerField(
        _("probation (days)"), default=90, validators=[MinValueValidator(1)]
    )
    probation_hours = models.PositiveSmallIntegerField(_("hours to pass probation"), default=30)
    probation_tours = models.PositiveSmallIntegerField(
        _("guided tours to pass probation"), default=12
    )
    renewal_hours = models.PositiveSmallIntegerField(_("hours a year for renewal"), default=100)
    renewal_tours = models.PositiveSmallIntegerField(
        _("guided tours a year for renewal"), default=30
    )
    min_age = models.PositiveSmallIntegerField(
        _("youngest age (individual volunteers)"), default=16, validators=[MaxValueValidator(30)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("oldest age (individual volunteers)"), default=70, validators=[MinValueValidator(30)]
    )
    little_min_age = models.PositiveSmallIntegerField(_("youngest little volunteer"), default=8)
    little_max_age = models.PositiveSmallIntegerField(_("oldest little volunteer"), default=11)
    check_in_early_minutes = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before a shift)"), default=60
    )
    retention_days = models.PositiveIntegerField(
        _("keep personal data after exit (days)"),
        default=1095,
        validators=[MinValueValidator(30)],
        help_text=_("Service records stay; names, ID and phone numbers are erased after this."),
    )
    application_retention_days = models.PositiveIntegerField(
        _("keep declined applications (days)"), default=365, validators=[MinValueValidator(30)]
    )

    class Meta:
        verbose_name = _("volunteer settings")
        verbose_name_plural = _("volunteer settings")
        constraints = [
            models.CheckConstraint(
                name="star_hours_ascending",
                condition=Q(star_1_hours__gt=0)
                & Q(star_2_hours__gt=F("star_1_hours"))
                & Q(star_3_hours__gt=F("star_2_hours"))
                & Q(star_4_hours__gt=F("star_3_hours"))
                & Q(star_5_hours__gt=F("star_4_hours")),
                violation_error_message=_("Each star needs more hours than the one before."),
            ),
            models.CheckConstraint(
                name="volunteer_ages_ordered",
                condition=Q(max_age__gt=F("min_age")) & Q(little_max_age__gte=F("little_min_age")),
            ),
        ]

    def __str__(self) -> str:
        return str(self.venue)

    @property
    def star_thresholds(self) -> list[int]:
        return [
            self.star_1_hours,
            self.star_2_hours,
            self.star_3_hours,
            self.star_4_hours,
            self.star_5_hours,
        ]

    def stars_for(self, minutes: int) -> int:
        hours = Decimal(minutes) / HOUR
        return sum(1 for threshold in self.star_thresholds if hours >= threshold)


class Drive(models.Model):
    """A recruitment drive: whom, how many, until when, under which agreement."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Recruiting")
        CLOSED = "closed", _("Recruitment closed")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="volunteer_drives")
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    categories = models.JSONField(_("who may apply"), default=list)
    colleges = models.ManyToManyField(
        School, verbose_name=_("partner colleges"), blank=True, related_name="volunteer_drives"
    )
    places = models.PositiveIntegerField(_("volunteers wanted"), validators=[MinValueValidator(1)])
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    agreement = models.TextField(
        _("volunteer agreement"),
        help_text=_("Applicants read and accept it; its text is kept with each application."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recruitment drive")
        verbose_name_plural = _("recruitment drives")
        ordering = ("venue", "-opens_on", "-id")
        constraints = [
            models.CheckConstraint(
                name="drive_dates_ordered", condition=Q(closes_on__gte=F("opens_on"))
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return localized(self.title, self.title_en)

    def accepts_on(self, day: date) -> bool:
        return self.status == self.Status.OPEN and self.opens_on <= day <= self.closes_on

    def category_labels(self) -> list[str]:
        return [str(Category(code).label) for code in self.categories if code in Category.values]

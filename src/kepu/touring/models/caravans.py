"""Caravan visit requests and week plans (routes per day) that become caravan trips."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.network.models import Division, Venue
from kepu.programs.models import Caravan, CaravanTrip, PlaceKind, School


class RequestStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a date")
    SCHEDULED = "scheduled", _("Scheduled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CaravanRequest(models.Model):
    """A school or village that asked for a caravan visit: where, the days and hours it can
    receive the caravan, how long the visit takes."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="caravan_requests")
    caravan = models.ForeignKey(
        Caravan, verbose_name=_("caravan"), on_delete=models.PROTECT, related_name="requests"
    )
    name = models.CharField(_("place"), max_length=200)
    place_kind = models.CharField(
        _("kind of place"), max_length=12, choices=PlaceKind.choices, default=PlaceKind.SCHOOL
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, null=True, blank=True
    )
    division = models.ForeignKey(
        Division, verbose_name=_("administrative division"), on_delete=models.PROTECT
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    earliest_on = models.DateField(_("from"))
    latest_on = models.DateField(_("to"))
    weekdays = models.PositiveSmallIntegerField(
        _("weekdays"),
        default=0b0011111,
        validators=[MinValueValidator(1), MaxValueValidator(0b1111111)],
        help_text=_("The days of the week it can receive the caravan (bit 0 is Monday)."),
    )
    receive_from = models.TimeField(_("receives from"))
    receive_until = models.TimeField(_("receives until"))
    visit_minutes = models.PositiveSmallIntegerField(
        _("visit takes (minutes)"), validators=[MinValueValidator(15), MaxValueValidator(600)]
    )
    expected_people = models.PositiveIntegerField(_("people expected"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.WAITING
    )
    trip = models.ForeignKey(
        CaravanTrip,
        verbose_name=_("caravan trip"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("caravan request")
        verbose_name_plural = _("caravan requests")
        ordering = ("venue", "earliest_on", "name")
        indexes = [models.Index(fields=["caravan", "status", "earliest_on"])]
        constraints = [
            models.CheckConstraint(
                name="request_dates_ordered", condition=Q(latest_on__gte=F("earliest_on"))
            ),
            models.CheckConstraint(
                name="request_hours_ordered", condition=Q(receive_until__gt=F("receive_from"))
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def receives_on_weekday(self, weekday: int) -> bool:
        """``weekday`` as date.weekday(): Monday is 0."""
        return bool(self.weekdays >> weekday & 1)


class CaravanPlanStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    DISCARDED = "discarded", _("Discarded")


class CaravanPlan(models.Model):
    """A caravan's routes for one week, day by day, with what could not be served and why."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="caravan_plans")
    caravan = models.ForeignKey(
        Caravan, verbose_name=_("caravan"), on_delete=models.PROTECT, related_name="plans"
    )
    week_starts = models.DateField(_("week of"))
    depot = models.ForeignKey(
        Venue, verbose_name=_("depot"), on_delete=models.PROTECT, related_name="+"
    )
    working_days = models.PositiveSmallIntegerField(
        _("working days"), default=0b0011111, validators=[MaxValueValidator(0b1111111)]
    )
    day_starts = models.TimeField(_("leaves the depot from"))
    day_ends = models.TimeField(_("back at the depot by"))
    max_drive_minutes = models.PositiveSmallIntegerField(
        _("driving per day (minutes)"), validators=[MinValueValidator(30), MaxValueValidator(720)]
    )
    max_km_per_day = models.PositiveIntegerField(_("kilometres per day"), null=True, blank=True)
    speed_kmh = models.PositiveSmallIntegerField(
        _("average speed (km/h)"), default=50, validators=[MinValueValidator(10)]
    )
    road_factor = models.DecimalField(
        _("road factor"), max_digits=4, decimal_places=2, default=Decimal("1.30")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CaravanPlanStatus.choices,
        default=CaravanPlanStatus.PROPOSED,
    )
    served = models.PositiveIntegerField(_("requests served"), default=0)
    requested = models.PositiveIntegerField(_("requests"), default=0)
    km = models.PositiveIntegerField(_("kilometres"), default=0)
    seconds = models.DecimalField(_("solving time (s)"), max_digits=7, decimal_places=2, default=0)
    unserved = models.JSONField(_("requests not served"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    adopted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("caravan week plan")
        verbose_name_plural = _("caravan week plans")
        ordering = ("venue", "-week_starts", "-created_at")
        constraints = [
            models.CheckConstraint(
                name="caravan_day_hours_ordered", condition=Q(day_ends__gt=F("day_starts"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.caravan} {self.week_starts}"


class CaravanPlanDay(models.Model):
    plan = models.ForeignKey(CaravanPlan, on_delete=models.CASCADE, related_name="days")
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    leaves_at = models.TimeField(_("leaves"))
    returns_at = models.TimeField(_("returns"))
    km = models.PositiveIntegerField(_("kilometres"))
    drive_minutes = models.PositiveIntegerField(_("driving (minutes)"))
    trip = models.ForeignKey(
        CaravanTrip, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("caravan route")
        verbose_name_plural = _("caravan routes")
        ordering = ("plan", "day")
        constraints = [
            models.UniqueConstraint(fields=["plan", "day"], name="one_route_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.day}"


class CaravanPlanVisit(models.Model):
    route = models.ForeignKey(CaravanPlanDay, on_delete=models.CASCADE, related_name="visits")
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(CaravanRequest, on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveSmallIntegerField(_("order"))
    arrives_at = models.TimeField(_("arrives"))
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    km_from_previous = models.PositiveIntegerField(_("kilometres from the previous stop"))

    class Meta:
        verbose_name = _("planned caravan visit")
        verbose_name_plural = _("planned caravan visits")
        ordering = ("route", "sequence")
        constraints = [
            models.UniqueConstraint(fields=["route", "sequence"], name="one_visit_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.route.day} {self.sequence}. {self.request}"

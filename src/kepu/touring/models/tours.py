"""Rotation plans and what an adopted plan becomes: tours, stops, transfers, visitors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.network.models import Venue
from kepu.touring.models.exhibitions import ExhibitionSet, RotationRegion, Weighting


class PlanStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Superseded")
    DISCARDED = "discarded", _("Discarded")


class PlanSource(models.TextChoices):
    PLANNER = "planner", _("Proposed by the planner")
    MANUAL = "manual", _("Entered by hand")


class SolverStatus(models.TextChoices):
    OPTIMAL = "optimal", _("Optimal: proven best")
    FEASIBLE = "feasible", _("Best found in the time limit")
    INFEASIBLE = "infeasible", _("The requirements cannot all be met")


class PlanMethod(models.TextChoices):
    EXACT = "exact", _("solved whole")
    DECOMPOSITION = "decomposition", _("improved part by part")
    NONE = "none", _("no plan found")


class DistanceSource(models.TextChoices):
    MATRIX = "matrix", _("road distances from the imported matrix")
    ESTIMATE = "estimate", _("estimated from coordinates")
    MIXED = "mixed", _("imported where known, estimated elsewhere")


class RotationPlan(models.Model):
    """A plan of which set shows where in each period of a year, with the planner's report:
    its objective, the proven bound and the gap, or why the request cannot be met."""

    region = models.ForeignKey(
        RotationRegion, verbose_name=_("region"), on_delete=models.CASCADE, related_name="plans"
    )
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.PROPOSED
    )
    source = models.CharField(
        _("source"), max_length=10, choices=PlanSource.choices, default=PlanSource.PLANNER
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    repeat_years = models.PositiveSmallIntegerField(_("years before a theme may return"))
    weighting = models.CharField(
        _("venues weighted"), max_length=12, choices=Weighting.choices, default=Weighting.NONE
    )
    time_limit_seconds = models.PositiveIntegerField(_("time limit (s)"), default=0)
    required_venues = models.ManyToManyField(
        Venue, verbose_name=_("venues that must be served"), blank=True, related_name="+"
    )
    solver_status = models.CharField(
        _("planner's result"), max_length=12, choices=SolverStatus.choices, blank=True
    )
    method = models.CharField(_("method"), max_length=20, choices=PlanMethod.choices, blank=True)
    km = models.PositiveIntegerField(_("kilometres"), default=0)
    km_bound = models.PositiveIntegerField(_("proven lower bound (km)"), default=0)
    coverage = models.PositiveIntegerField(_("venues served (weighted)"), default=0)
    coverage_bound = models.PositiveIntegerField(_("most venues that can be served"), default=0)
    seconds = models.DecimalField(_("solving time (s)"), max_digits=8, decimal_places=2, default=0)
    distance_source = models.CharField(
        _("distances"), max_length=10, choices=DistanceSource.choices, blank=True
    )
    # What the planner could not do, as codes and ids; the pages put it into words.
    conflicts = models.JSONField(_("conflicts"), default=list, blank=True)
    unserved = models.JSONField(_("venues not served"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rotation plan")
        verbose_name_plural = _("rotation plans")
        ordering = ("region", "-year", "-created_at")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=Q(status="adopted"),
                name="one_adopted_plan_per_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def gap(self) -> float | None:
        """(kilometres − proven lower bound) / kilometres; None without a planner's report."""
        if self.solver_status == SolverStatus.INFEASIBLE or not self.solver_status:
            return None
        if not self.km:
            return 0.0
        return max(0.0, (self.km - self.km_bound) / self.km)

    @property
    def gap_percent(self) -> str:
        gap = self.gap
        return "" if gap is None else f"{gap * 100:.1f} %"


class PlanPeriod(models.Model):
    plan = models.ForeignKey(RotationPlan, on_delete=models.CASCADE, related_name="periods")
    sequence = models.PositiveSmallIntegerField(_("stop"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))

    class Meta:
        verbose_name = _("plan period")
        verbose_name_plural = _("plan periods")
        ordering = ("plan", "sequence")
        constraints = [
            models.UniqueConstraint(fields=["plan", "sequence"], name="one_period_per_sequence"),
            models.CheckConstraint(
                name="period_dates_ordered", condition=Q(ends_on__gte=F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}: {self.starts_on}–{self.ends_on}"


class PlanStop(models.Model):
    """In a plan: this set shows at this venue in this period."""

    plan = models.ForeignKey(RotationPlan, on_delete=models.CASCADE, related_name="stops")
    period = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="stops")
    set = models.ForeignKey(ExhibitionSet, on_delete=models.PROTECT, related_name="+")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="+")
    km_in = models.PositiveIntegerField(_("kilometres to get there"), default=0)
    pinned = models.BooleanField(_("kept by the coordinator"), default=False)

    class Meta:
        verbose_name = _("planned stop")
        verbose_name_plural = _("planned stops")
        ordering = ("plan", "set", "period__sequence")
        constraints = [
            models.UniqueConstraint(fields=["plan", "period", "set"], name="one_stop_per_set"),
            models.UniqueConstraint(fields=["plan", "period", "venue"], name="one_set_per_venue"),
        ]

    def __str__(self) -> str:
        return f"{self.set} → {self.venue} ({self.period.sequence})"


class Tour(models.Model):
    """A set's tour of one adopted plan: its stops in order (a touring exhibition made of
    venue parts)."""

    region = models.ForeignKey(RotationRegion, on_delete=models.CASCADE, related_name="tours")
    set = models.ForeignKey(ExhibitionSet, on_delete=models.PROTECT, related_name="tours")
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(
        RotationPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="tours"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("tour")
        verbose_name_plural = _("tours")
        ordering = ("region", "-year", "set")
        constraints = [
            models.UniqueConstraint(fields=["set", "year", "plan"], name="one_tour_per_plan"),
        ]

    def __str__(self) -> str:
        return self.name


class StopStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open to the public")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class TourStop(models.Model):
    """A set at a host venue for a date range (set up, open to the public, taken down)."""

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="stops")
    set = models.ForeignKey(ExhibitionSet, on_delete=models.PROTECT, related_name="stops")
    venue = models.ForeignKey(
        Venue, verbose_name=_("host venue"), on_delete=models.PROTECT, related_name="tour_stops"
    )
    region = models.ForeignKey(RotationRegion, on_delete=models.CASCADE, related_name="stops")
    sequence = models.PositiveSmallIntegerField(_("order"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    opens_on = models.DateField(_("opens to the public"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StopStatus.choices, default=StopStatus.PLANNED
    )
    plan_stop = models.ForeignKey(
        PlanStop, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tour stop")
        verbose_name_plural = _("tour stops")
        ordering = ("starts_on", "set")
        indexes = [
            models.Index(fields=["set", "starts_on"]),
            models.Index(fields=["venue", "starts_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="stop_dates_ordered", condition=Q(ends_on__gte=F("starts_on"))
            ),
            models.CheckConstraint(
                name="stop_opens_within_dates",
                condition=Q(opens_on__isnull=True)
                | (Q(opens_on__gte=F("starts_on")) & Q(opens_on__lte=F("ends_on"))),
            ),
            # The last safety net; the services lock the set and check every overlap first.
            models.UniqueConstraint(
                fields=["set", "starts_on"],
                condition=~Q(status="cancelled"),
                name="one_stop_per_set_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.set.code} @ {self.venue} {self.starts_on}–{self.ends_on}"


class Transfer(models.Model):
    """A move of a set: to a stop, or into its workshop for maintenance; from where it was, how
    far, when. Derived from the stops and maintenance periods (``refresh_routes``)."""

    set = models.ForeignKey(ExhibitionSet, on_delete=models.PROTECT, related_name="transfers")
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    origin = models.ForeignKey(
        Venue, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    destination = models.ForeignKey(
        Venue, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    to_stop = models.OneToOneField(
        TourStop, on_delete=models.CASCADE, null=True, blank=True, related_name="transfer_in"
    )
    to_maintenance = models.BooleanField(_("into the workshop"), default=False)
    km = models.DecimalField(_("kilometres"), max_digits=8, decimal_places=1)
    km_estimated = models.BooleanField(_("kilometres estimated"), default=True)
    departs_on = models.DateField(_("departs on"))
    arrives_on = models.DateField(_("arrives on"))

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ("set", "departs_on")
        constraints = [
            models.CheckConstraint(
                name="transfer_dates_ordered", condition=Q(arrives_on__gte=F("departs_on"))
            ),
            models.CheckConstraint(name="transfer_km_not_negative", condition=Q(km__gte=0)),
            models.CheckConstraint(
                name="transfer_has_a_purpose",
                condition=Q(to_stop__isnull=False) | Q(to_maintenance=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.set_id}: {self.origin_id} → {self.destination_id} ({self.km} km)"


class AttendanceSource(models.TextChoices):
    COUNTED = "counted", _("Counted at the door")
    ESTIMATED = "estimated", _("Estimated")
    IMPORTED = "imported", _("Imported")


class StopAttendance(models.Model):
    """Visitors (人次) of a stop over some days, recorded like the venues' daily attendance:
    reports add these up per venue and period (by the last day of each record)."""

    stop = models.ForeignKey(TourStop, on_delete=models.CASCADE, related_name="attendance")
    venue = models.ForeignKey(
        Venue, verbose_name=_("host venue"), on_delete=models.CASCADE, related_name="+"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    visitors = models.PositiveIntegerField(_("visitors"))
    approximate = models.BooleanField(_("approximate"), default=False)
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=AttendanceSource.choices,
        default=AttendanceSource.COUNTED,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("stop visitors")
        verbose_name_plural = _("stop visitors")
        ordering = ("stop", "starts_on")
        indexes = [models.Index(fields=["venue", "ends_on"])]
        constraints = [
            models.UniqueConstraint(fields=["stop", "starts_on"], name="one_record_per_start"),
            models.CheckConstraint(
                name="attendance_dates_ordered", condition=Q(ends_on__gte=F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stop_id} {self.starts_on}–{self.ends_on}: {self.visitors}"

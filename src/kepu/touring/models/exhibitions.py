"""Rotation regions, themes, touring sets with their exhibits and maintenance, host venues."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kepu.network.models import Alliance, Division, Organisation, Venue, localized


def venue_coordinates(venue: Venue) -> tuple[float, float] | None:
    """(latitude, longitude) of the venue, or of its administrative division (GB/T 2260
    coordinates from the division registry) when the venue has none of its own."""
    if venue.latitude is not None and venue.longitude is not None:
        return float(venue.latitude), float(venue.longitude)
    division = venue.division
    if division.latitude is not None and division.longitude is not None:
        return float(division.latitude), float(division.longitude)
    return None


class Weighting(models.TextChoices):
    NONE = "none", _("Every venue counts the same")
    POPULATION = "population", _("By the population the venue serves")
    PRIORITY = "priority", _("By the venue's priority")


class RotationRegion(models.Model):
    """A region whose venues rotate touring sets among themselves (区域换展), run by a
    coordinating venue (a provincial museum) and perhaps for an alliance."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=250, blank=True)
    coordinator = models.ForeignKey(
        Venue,
        verbose_name=_("coordinating venue"),
        on_delete=models.PROTECT,
        related_name="coordinated_regions",
    )
    alliance = models.ForeignKey(
        Alliance,
        verbose_name=_("alliance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rotation_regions",
        help_text=_("Its coordinators plan the rotation too."),
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("administrative division"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    repeat_years = models.PositiveSmallIntegerField(
        _("years before a theme may return"),
        default=3,
        validators=[MaxValueValidator(20)],
        help_text=_("A venue does not get a theme it hosted in this many years before."),
    )
    road_factor = models.DecimalField(
        _("road factor"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.30"),
        validators=[MinValueValidator(Decimal("1.00")), MaxValueValidator(Decimal("3.00"))],
        help_text=_("Road kilometres per kilometre as the crow flies, where no road distance "
                    "was imported."),
    )  # fmt: skip
    periods_per_year = models.PositiveSmallIntegerField(
        _("stops per year"), default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    period_weeks = models.PositiveSmallIntegerField(
        _("weeks per stop"), default=10, validators=[MinValueValidator(1), MaxValueValidator(26)]
    )
    first_month = models.PositiveSmallIntegerField(
        _("month the first stop opens"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    gap_days = models.PositiveSmallIntegerField(
        _("days between stops"),
        default=7,
        validators=[MaxValueValidator(60)],
        help_text=_("For dismantling, the transfer and setting up."),
    )
    weighting = models.CharField(
        _("venues weighted"), max_length=12, choices=Weighting.choices, default=Weighting.NONE
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rotation region")
        verbose_name_plural = _("rotation regions")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class Theme(models.Model):
    """A themed touring exhibition (主题巡展): the content a set carries, which a venue should
    not get again within a few years."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class SetStatus(models.TextChoices):
    ACTIVE = "active", _("On tour")
    RETIRED = "retired", _("Retired")


class ExhibitionSet(models.Model):
    """A touring set (展品套) of about fifty exhibits that moves from venue to venue."""

    region = models.ForeignKey(
        RotationRegion, verbose_name=_("region"), on_delete=models.PROTECT, related_name="sets"
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("managing venue"),
        on_delete=models.PROTECT,
        related_name="touring_sets",
    )
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="touring_sets",
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=250, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="sets")
    base = models.ForeignKey(
        Venue,
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the set is maintained."),
    )
    location = models.ForeignKey(
        Venue,
        verbose_name=_("current location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where the set is now, if not at its last stop."),
    )
    floor_area_m2 = models.DecimalField(
        _("floor area needed (m²)"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1"))],
    )
    exhibit_count = models.PositiveIntegerField(_("exhibits"), default=0)
    crates = models.PositiveIntegerField(_("crates"), default=0)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=10, decimal_places=1, default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=SetStatus.choices, default=SetStatus.ACTIVE
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("touring set")
        verbose_name_plural = _("touring sets")
        ordering = ("region", "code")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="one_set_per_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class Exhibit(models.Model):
    """One exhibit of a set, with what moving and showing it takes."""

    set = models.ForeignKey(
        ExhibitionSet, verbose_name=_("set"), on_delete=models.CASCADE, related_name="exhibits"
    )
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=250, blank=True)
    crates = models.PositiveSmallIntegerField(_("crates"), default=1)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=8, decimal_places=1, validators=[MinValueValidator(0)]
    )
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=7, decimal_places=1, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("exhibit")
        verbose_name_plural = _("exhibits")
        ordering = ("set", "id")
        constraints = [
            models.UniqueConstraint(fields=["set", "name"], name="one_exhibit_per_name"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class MaintenancePeriod(models.Model):
    """Dates a set spends in its workshop (维护保养): it cannot tour then."""

    set = models.ForeignKey(
        ExhibitionSet,
        verbose_name=_("set"),
        on_delete=models.CASCADE,
        related_name="maintenance_periods",
    )
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("maintenance period")
        verbose_name_plural = _("maintenance periods")
        ordering = ("set", "starts_on")
        constraints = [
            models.CheckConstraint(
                name="maintenance_dates_ordered", condition=Q(ends_on__gte=F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.set} {self.starts_on}–{self.ends_on}"


class HostVenue(models.Model):
    """A venue of a region that hosts touring sets: a county mobile-museum station, a school
    museum, any other venue with a hall for them."""

    region = models.ForeignKey(
        RotationRegion, verbose_name=_("region"), on_delete=models.CASCADE, related_name="hosts"
    )
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="hostings"
    )
    hall_area_m2 = models.DecimalField(
        _("hall area for touring sets (m²)"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1"))],
    )
    population_10k = models.DecimalField(
        _("population served (10,000 people)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (normal) to 5 (highest), when the region weights venues by priority."),
    )
    is_active = models.BooleanField(_("hosts sets"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("host venue")
        verbose_name_plural = _("host venues")
        ordering = ("region", "venue__division_id", "venue__name")
        constraints = [
            models.UniqueConstraint(fields=["region", "venue"], name="one_host_per_region"),
        ]

    def __str__(self) -> str:
        return str(self.venue)

    def weight(self, weighting: str) -> int:
        """The venue's weight in the planner's count of venues served."""
        if weighting == Weighting.POPULATION:
            return max(1, round(self.population_10k or 0))
        if weighting == Weighting.PRIORITY:
            return self.priority
        return 1


class HostAvailability(models.Model):
    """Dates a host venue can take a set (its hall free, staff ready)."""

    host = models.ForeignKey(
        HostVenue,
        verbose_name=_("host venue"),
        on_delete=models.CASCADE,
        related_name="availability",
    )
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("hosting dates")
        verbose_name_plural = _("hosting dates")
        ordering = ("host", "starts_on")
        constraints = [
            models.CheckConstraint(
                name="availability_dates_ordered", condition=Q(ends_on__gte=F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host} {self.starts_on}–{self.ends_on}"


class RoadDistance(models.Model):
    """A road distance imported from a file, used instead of the estimate for that pair."""

    region = models.ForeignKey(
        RotationRegion, on_delete=models.CASCADE, related_name="road_distances"
    )
    origin = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    destination = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    km = models.DecimalField(_("kilometres"), max_digits=8, decimal_places=1)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("road distance")
        verbose_name_plural = _("road distances")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "origin", "destination"], name="one_distance_per_pair"
            ),
            models.CheckConstraint(name="distance_not_negative", condition=Q(km__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.origin_id}→{self.destination_id}: {self.km}"

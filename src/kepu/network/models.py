"""The network registry: organisations, venues, halls, opening calendars, alliances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def localized(chinese: str, english: str) -> str:
    """The English form of a name on English pages when there is one, else the Chinese."""
    language = get_language() or "zh-hans"
    if language.startswith("en") and english:
        return english
    return chinese


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("Prefecture-level city")
    COUNTY = "county", _("County-level division")


class Division(models.Model):
    """An administrative division of the People's Republic of China (GB/T 2260 code)."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent division"),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True)

    class Meta:
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        ordering = ("code",)
        indexes: ClassVar = [models.Index(fields=["level", "code"], name="division_level_code")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    def lineage(self) -> list[Division]:
        """From the province down to this division, each level once (municipalities repeat)."""
        chain: list[Division] = []
        node: Division | None = self
        while node is not None:
            if not chain or chain[0].name != node.name:
                chain.insert(0, node)
            node = node.parent
        return chain

    @property
    def full_name(self) -> str:
        """吉林省通化市集安市 in Chinese; "Ji'an City, Tonghua City, Jilin Province" in English."""
        parts = [division.display_name for division in self.lineage()]
        if (get_language() or "").startswith("en"):
            return ", ".join(reversed(parts))
        return "".join(parts)


class FundingSource(models.TextChoices):
    FULL_ALLOCATION = "full_allocation", _("Full budget allocation")
    PARTIAL_ALLOCATION = "partial_allocation", _("Partial budget allocation")
    SELF_FINANCED = "self_financed", _("Self-financed")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """The legal record a public institution files every year (事业单位法人登记)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        help_text=_("18 characters, as on the registration certificate."),
    )
    purpose_and_scope = models.TextField(_("purpose and business scope"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("administrative division"),
    )
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    startup_capital_cny = models.DecimalField(
        _("start-up capital (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    funding_source = models.CharField(
        _("source of funds"), max_length=32, choices=FundingSource.choices, blank=True
    )
    sponsor = models.CharField(_("sponsoring organisation"), max_length=200, blank=True)
    online_name = models.CharField(_("online name"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="unique_credit_code",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class OrganisationYear(models.Model):
    """The figures of one year's registration report: assets and headcount."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="years", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1949), MaxValueValidator(2200)]
    )
    assets_start_cny = models.DecimalField(
        _("assets at the start of the year (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    assets_end_cny = models.DecimalField(
        _("assets at the end of the year (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual registration figures")
        verbose_name_plural = _("annual registration figures")
        ordering = ("organisation", "-year")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "year"], name="unique_org_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class VenueKind(models.TextChoices):
    MUSEUM = "museum", _("Science & technology museum")
    MOBILE_STATION = "mobile_station", _("Mobile science museum station")
    CARAVAN_BASE = "caravan_base", _("Science caravan base")
    SCHOOL_MUSEUM = "school_museum", _("Rural school science museum")
    ONLINE = "online", _("Online channel")


class VenueLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    PREFECTURE = "prefecture", _("Prefecture (city)")
    COUNTY = "county", _("County")


class Venue(models.Model):
    """Any place or channel that does science popularization and is run in kepu."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=VenueKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=VenueLevel.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="venues",
        verbose_name=_("organisation"),
    )
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        related_name="venues",
        verbose_name=_("administrative division"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
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
    phone = models.CharField(_("public telephone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ("division_id", "name")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["name", "division"], name="unique_venue_name"),
            models.CheckConstraint(
                name="museum_has_level",
                condition=~Q(kind="museum") | ~Q(level=""),
                violation_error_message=_("A museum needs its level."),
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["kind", "level"], name="venue_kind_level")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class HallKind(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    TEMPORARY = "temporary", _("Temporary")


class Hall(models.Model):
    """An exhibition hall of a venue (展厅), permanent or temporary, with its floor area."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="halls", verbose_name=_("venue")
    )
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=HallKind.choices)
    area_m2 = models.DecimalField(
        _("area (m²)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    floor = models.CharField(_("floor"), max_length=32, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        ordering = ("venue", "kind", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["venue", "name"], name="unique_hall_name"),
            models.CheckConstraint(
                name="hall_area_positive",
                condition=Q(area_m2__gt=0),
                violation_error_message=_("The area must be greater than zero."),
            ),
            models.CheckConstraint(
                name="hall_closes_after_opening",
                violation_error_message=_("A hall cannot close before it opens."),
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=F("opened_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)

    def is_open_on(self, day: date) -> bool:
        started = self.opened_on is None or self.opened_on <= day
        ended = self.closed_on is not None and self.closed_on < day
        return started and not ended


class HolidayPolicy(models.TextChoices):
    OPEN = "open", _("Open on statutory holidays, even on maintenance days")
    CLOSED = "closed", _("Closed on statutory holidays")
    WEEKLY = "weekly", _("Statutory holidays follow the weekly pattern")


class ClosedDayReason(models.TextChoices):
    MAINTENANCE = "maintenance", _("Exhibit maintenance")
    REST = "rest", _("Weekly rest day")


ALL_WEEKDAYS = 0b1111111


class OpeningPattern(models.Model):
    """The weekly opening pattern of a venue, in force from a date until the next pattern."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="opening_patterns", verbose_name=_("venue")
    )
    valid_from = models.DateField(_("valid from"))
    # Bit 0 is Monday … bit 6 is Sunday.
    open_weekdays = models.PositiveSmallIntegerField(
        _("open weekdays"), validators=[MaxValueValidator(ALL_WEEKDAYS)]
    )
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    last_entry_at = models.TimeField(_("last entry"), null=True, blank=True)
    holiday_policy = models.CharField(
        _("statutory holidays"),
        max_length=16,
        choices=HolidayPolicy.choices,
        default=HolidayPolicy.OPEN,
    )
    closed_day_reason = models.CharField(
        _("closed days are for"),
        max_length=16,
        choices=ClosedDayReason.choices,
        default=ClosedDayReason.MAINTENANCE,
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("opening pattern")
        verbose_name_plural = _("opening patterns")
        ordering = ("venue", "-valid_from")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["venue", "valid_from"], name="unique_pattern_start"),
            models.CheckConstraint(
                name="pattern_hours_ordered",
                condition=Q(opens_at__lt=F("closes_at")),
                violation_error_message=_("Closing time must be after opening time."),
            ),
            models.CheckConstraint(
                name="pattern_weekdays_range",
                condition=Q(open_weekdays__lte=ALL_WEEKDAYS),
                violation_error_message=_("Unknown weekdays."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue} {self.valid_from}"

    def is_open_weekday(self, weekday: int) -> bool:
        """``weekday`` as date.weekday(): Monday is 0."""
        return bool(self.open_weekdays >> weekday & 1)

    @property
    def weekdays(self) -> list[int]:
        """The open days as ISO weekday numbers (Monday 1 … Sunday 7)."""
        return [day + 1 for day in range(7) if self.is_open_weekday(day)]

    @staticmethod
    def mask_from_weekdays(iso_weekdays: list[int]) -> int:
        return sum(1 << (day - 1) for day in set(iso_weekdays))


class ExceptionKind(models.TextChoices):
    CLOSURE = "closure", _("Announced closure")
    SPECIAL_OPENING = "special_opening", _("Special opening")


class ClosureCategory(models.TextChoices):
    HOLIDAY = "holiday", _("Festival closure")
    RENOVATION = "renovation", _("Renovation or exhibit replacement")
    EMERGENCY = "emergency", _("Weather or emergency")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


class CalendarException(models.Model):
    """A date range on which the venue departs from its weekly pattern, with the reason."""

    venue = models.ForeignKey(
        Venue,
        on_delete=models.CASCADE,
        related_name="calendar_exceptions",
        verbose_name=_("venue"),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=ExceptionKind.choices, default=ExceptionKind.CLOSURE
    )
    category = models.CharField(
        _("category"), max_length=16, choices=ClosureCategory.choices, default=ClosureCategory.OTHER
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=255)
    reason_en = models.CharField(_("reason in English"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ("venue", "starts_on")
        constraints: ClassVar = [
            models.CheckConstraint(
                name="exception_range_ordered",
                condition=Q(ends_on__gte=F("starts_on")),
                violation_error_message=_("The last day cannot be before the first."),
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["venue", "starts_on", "ends_on"], name="exception_range")
        ]

    def __str__(self) -> str:
        return f"{self.venue} {self.starts_on}–{self.ends_on} {self.reason}"

    @property
    def display_reason(self) -> str:
        return localized(self.reason, self.reason_en)

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class Alliance(models.Model):
    """An alliance of venues; alliances can belong to a larger one (a national system)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class MembershipRole(models.TextChoices):
    EXECUTIVE_CHAIR = "executive_chair", _("Executive chair")
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    SECRETARIAT = "secretariat", _("Secretariat")
    COUNCIL = "council", _("Council member")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """A venue's membership of an alliance, from a date, with its role in the alliance."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("alliance")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("venue")
    )
    role = models.CharField(
        _("role"), max_length=32, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    since = models.DateField(_("member since"))
    until = models.DateField(_("member until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ("alliance", "since", "venue_id")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["alliance", "venue"],
                condition=Q(until__isnull=True),
                name="one_current_membership",
            ),
            models.CheckConstraint(
                name="membership_range_ordered",
                violation_error_message=_("Membership cannot end before it began."),
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue} ∈ {self.alliance}"

    def is_current(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.since <= day and (self.until is None or self.until >= day)

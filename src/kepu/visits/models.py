"""Free timed entry: booking rules, time slots and their seat pools, bookings, the gate, attendance.

Every operational row carries its venue as a column of its own, and the business unique
constraints include it, so the tables can later be distributed by venue (DESIGN.md, "Scale").
"""

from __future__ import annotations

from datetime import time
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.network.models import Hall, Venue, localized
from kepu.visits.identity import IdType


class VisitRules(models.Model):
    """The rules a venue publishes for real-name reservation (e.g. 青岛科技馆, 广西科技馆)."""

    venue = models.OneToOneField(
        Venue, on_delete=models.CASCADE, related_name="visit_rules", verbose_name=_("venue")
    )
    booking_enabled = models.BooleanField(_("online booking open"), default=True)
    booking_window_days = models.PositiveSmallIntegerField(
        _("book up to (days ahead)"),
        default=7,
        validators=[MinValueValidator(0), MaxValueValidator(90)],
        help_text=_("0 means same-day booking only."),
    )
    booking_opens_at = models.TimeField(
        _("new days open for booking at"),
        default=time(0, 0),
        help_text=_("Each day, the next date of the window opens at this time (e.g. 09:00)."),
    )
    cancel_cutoff_minutes = models.PositiveIntegerField(
        _("cancel until (minutes before the slot starts)"), default=0
    )
    max_party_size = models.PositiveSmallIntegerField(
        _("people per booking at most"), default=4, validators=[MinValueValidator(1)]
    )
    child_free_age = models.PositiveSmallIntegerField(
        _("children under this age may come without ID"),
        default=6,
        validators=[MaxValueValidator(18)],
    )
    max_minors_per_guardian = models.PositiveSmallIntegerField(
        _("minors per adult at most"), default=3, validators=[MinValueValidator(1)]
    )
    daily_cap = models.PositiveIntegerField(_("daily cap"), null=True, blank=True)
    inside_cap = models.PositiveIntegerField(
        _("people inside at once at most"), null=True, blank=True
    )
    group_min_size = models.PositiveSmallIntegerField(
        _("groups have at least"), default=20, validators=[MinValueValidator(2)]
    )
    group_max_size = models.PositiveSmallIntegerField(_("groups have at most"), default=100)
    group_lead_working_days = models.PositiveSmallIntegerField(
        _("groups book at least (working days ahead)"), default=3
    )
    no_show_limit = models.PositiveSmallIntegerField(
        _("no-shows before a ban"), default=3, help_text=_("0 turns the rule off.")
    )
    no_show_window_days = models.PositiveSmallIntegerField(
        _("counting no-shows over (days)"), default=180
    )
    ban_days = models.PositiveSmallIntegerField(_("ban length (days)"), default=30)
    walk_ins_allowed = models.BooleanField(_("walk-ins allowed"), default=False)
    waitlist_offer_minutes = models.PositiveSmallIntegerField(
        _("a freed seat is held for (minutes)"), default=30, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("visit rules")
        verbose_name_plural = _("visit rules")
        constraints: ClassVar = [
            models.CheckConstraint(
                name="group_sizes_ordered",
                condition=Q(group_max_size__gte=F("group_min_size")),
                violation_error_message=_("The largest group cannot be smaller than the smallest."),
            )
        ]

    def __str__(self) -> str:
        return str(self.venue)


class SlotTemplate(models.Model):
    """A recurring time slot: e.g. 上午场 09:00–12:00, 2,000 on weekdays and 3,000 at weekends."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="slot_templates", verbose_name=_("venue")
    )
    hall = models.ForeignKey(
        Hall,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="slot_templates",
        verbose_name=_("hall or theatre"),
        help_text=_("Leave empty for entry to the venue; choose a hall for a theatre's shows."),
    )
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    weekday_capacity = models.PositiveIntegerField(_("places on working days"))
    holiday_capacity = models.PositiveIntegerField(_("places at weekends and on holidays"))
    weekday_group_quota = models.PositiveIntegerField(_("group places on working days"), default=0)
    holiday_group_quota = models.PositiveIntegerField(
        _("group places at weekends and on holidays"), default=0
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("slot template")
        verbose_name_plural = _("slot templates")
        ordering = ("venue", "hall_id", "starts_at")
        constraints: ClassVar = [
            models.CheckConstraint(
                name="template_times_ordered",
                condition=Q(ends_at__gt=F("starts_at")),
                violation_error_message=_("A slot must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class TimeSlot(models.Model):
    """One bookable slot on one date, made from a template for each open day of the window."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="time_slots", verbose_name=_("venue")
    )
    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, null=True, blank=True, related_name="time_slots"
    )
    template = models.ForeignKey(
        SlotTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="slots"
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"))
    group_quota = models.PositiveIntegerField(_("group places"), default=0)
    is_closed = models.BooleanField(_("closed for booking"), default=False)

    class Meta:
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        ordering = ("venue", "date", "hall_id", "starts_at")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["venue", "date", "starts_at"],
                condition=Q(hall__isnull=True),
                name="one_entry_slot_per_start",
            ),
            models.UniqueConstraint(
                fields=["venue", "date", "hall", "starts_at"],
                condition=Q(hall__isnull=False),
                name="one_hall_slot_per_start",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["venue", "date"], name="slot_venue_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.display_name} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def hall_key(self) -> int:
        """0 for entry to the venue, else the hall's id: the scope of "one ID per day"."""
        return self.hall_id or 0


class PoolKind(models.TextChoices):
    PUBLIC = "public", _("Individual places of a slot")
    GROUP = "group", _("Group places of a slot")
    DAY = "day", _("Daily cap")


class SeatPool(models.Model):
    """A number of places that bookings draw from; its count is split over shards.

    A hot slot is one row that every booking would queue on; split over shards, concurrent
    bookings take from different rows (see docs/benchmarks.md).
    """

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    slot = models.ForeignKey(
        TimeSlot, on_delete=models.CASCADE, null=True, blank=True, related_name="pools"
    )
    kind = models.CharField(max_length=8, choices=PoolKind.choices)
    capacity = models.PositiveIntegerField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["venue", "slot", "kind"],
                condition=Q(slot__isnull=False),
                name="one_pool_per_slot_kind",
            ),
            models.UniqueConstraint(
                fields=["venue", "date", "kind"],
                condition=Q(slot__isnull=True),
                name="one_pool_per_day_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.date} {self.kind} {self.slot_id or ''}"


class SeatShard(models.Model):
    venue_id: int
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    pool = models.ForeignKey(SeatPool, on_delete=models.CASCADE, related_name="shards")
    number = models.PositiveSmallIntegerField()
    remaining = models.IntegerField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["venue", "pool", "number"], name="unique_shard"),
            # The last safety net: no shard ever goes below zero, whatever the code does.
            models.CheckConstraint(name="shard_never_oversold", condition=Q(remaining__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.pool_id}#{self.number}: {self.remaining}"


class BookingKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class BookingSource(models.TextChoices):
    WEB = "web", _("Website")
    API = "api", _("API")
    WAITLIST = "waitlist", _("Waiting list")
    STAFF = "staff", _("Staff")


class Booking(models.Model):
    """A reservation for one slot: a party of individuals, or a school group."""

    AUDIT_EXCLUDE = ("phone_encrypted", "phone_hash", "leader_encrypted")

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("venue")
    )
    slot = models.ForeignKey(
        TimeSlot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot")
    )
    date = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=BookingKind.choices, default=BookingKind.INDIVIDUAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    source = models.CharField(
        _("source"), max_length=12, choices=BookingSource.choices, default=BookingSource.WEB
    )
    party_size = models.PositiveIntegerField(_("people"))
    phone_encrypted = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("mobile"), max_length=20, blank=True)
    # Groups (a class on a study tour)
    school = models.CharField(_("school or organisation"), max_length=200, blank=True)
    leader_encrypted = models.TextField(blank=True)
    leader_masked = models.CharField(_("group leader"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=255, blank=True)
    group_checked_in = models.PositiveIntegerField(_("group members checked in"), default=0)
    # NULL, not "", when absent: the unique constraint ignores bookings made without a key.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ("-created_at",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["venue", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="one_booking_per_idempotency_key",
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["venue", "date", "status"], name="booking_venue_day"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.status in (BookingStatus.PENDING, BookingStatus.CONFIRMED)


class PersonStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


class BookingPerson(models.Model):
    """One visitor of a booking. Name and ID number are encrypted; masks are kept for screens."""

    AUDIT_EXCLUDE = ("name_encrypted", "id_encrypted", "id_hash")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="people")
    date = models.DateField()
    # 0 for entry to the venue, else the hall: one ID holds one booking per venue, day and scope.
    hall_key = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=PersonStatus.choices, default=PersonStatus.CONFIRMED
    )
    id_type = models.CharField(_("document"), max_length=24, choices=IdType.choices)
    id_encrypted = models.TextField(blank=True)
    # NULL for a child without ID (and after a purge): "one ID per day" does not apply to them.
    id_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    id_masked = models.CharField(_("ID number"), max_length=32, blank=True)
    name_encrypted = models.TextField(blank=True)
    name_masked = models.CharField(_("name"), max_length=64, blank=True)
    is_minor = models.BooleanField(_("minor"), default=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    no_show = models.BooleanField(_("no-show"), default=False)

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["venue", "date", "hall_key", "id_hash"],
                condition=Q(status="confirmed", id_hash__isnull=False),
                name="one_booking_per_id_per_day",
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["venue", "id_hash"], name="person_venue_id"),
            models.Index(fields=["venue", "date"], name="person_venue_day"),
        ]

    def __str__(self) -> str:
        return f"{self.name_masked} {self.id_masked}"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Place offered")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Offer expired")
    CANCELLED = "cancelled", _("Left the list")


class WaitlistEntry(models.Model):
    """A party waiting for a full slot; a freed place is held for them for a limited time."""

    AUDIT_EXCLUDE = ("party_encrypted", "phone_encrypted", "phone_hash")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    slot = models.ForeignKey(TimeSlot, on_delete=models.CASCADE, related_name="waitlist")
    date = models.DateField()
    party_size = models.PositiveIntegerField()
    party_encrypted = models.TextField()  # the validated party, encrypted as one JSON document
    phone_encrypted = models.TextField()
    phone_hash = models.CharField(max_length=64)
    phone_masked = models.CharField(max_length=20)
    token = models.CharField(max_length=32, unique=True)
    status = models.CharField(
        max_length=12, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    offered_until = models.DateTimeField(null=True, blank=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")
        indexes: ClassVar = [
            models.Index(fields=["venue", "slot", "status", "created_at"], name="waitlist_queue")
        ]

    def __str__(self) -> str:
        return f"{self.slot_id} {self.status} {self.party_size}"


class GateEventKind(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    EXIT = "exit", _("Exit")


class GateEvent(models.Model):
    """People counted at the gate without a booking (walk-ins) or leaving (exits)."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    kind = models.CharField(max_length=12, choices=GateEventKind.choices)
    count = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["venue", "date"], name="gate_venue_day")]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.date} {self.kind} {self.count}"


class VisitorBan(models.Model):
    """An ID barred from booking at a venue for a while after repeated no-shows."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    id_hash = models.CharField(max_length=64)
    until = models.DateField()
    no_shows = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["venue", "id_hash"], name="ban_venue_id")]

    def __str__(self) -> str:
        return f"{self.venue_id} until {self.until}"


class AttendanceSource(models.TextChoices):
    BOOKINGS = "bookings", _("Bookings and gate records")
    IMPORTED = "imported", _("Imported counts (turnstiles)")
    MANUAL = "manual", _("Entered by staff")


class DailyAttendance(models.Model):
    """A venue's day in figures: the record that reports take visits from (人次)."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("venue")
    )
    date = models.DateField(_("date"))
    booked = models.PositiveIntegerField(_("booked"), default=0)
    checked_in = models.PositiveIntegerField(_("checked in"), default=0)
    group_booked = models.PositiveIntegerField(_("group places booked"), default=0)
    group_visits = models.PositiveIntegerField(_("group visits"), default=0)
    walk_ins = models.PositiveIntegerField(_("walk-ins"), default=0)
    no_shows = models.PositiveIntegerField(_("no-shows"), default=0)
    exits = models.PositiveIntegerField(_("exits"), default=0)
    visits = models.PositiveIntegerField(_("visits"), default=0)
    approximate = models.BooleanField(_("approximate"), default=False)
    source = models.CharField(
        _("source"),
        max_length=12,
        choices=AttendanceSource.choices,
        default=AttendanceSource.BOOKINGS,
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("daily attendance")
        verbose_name_plural = _("daily attendance")
        ordering = ("venue", "date")
        # A venue's busiest day (statistics) is the first entry of this index.
        indexes: ClassVar = [
            models.Index(fields=["venue", "-visits", "date"], name="attendance_peak"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["venue", "date"], name="one_attendance_per_day"),
            # Computed from kepu's own records, visits are exactly who came in; imported or
            # entered figures may carry only a total.
            models.CheckConstraint(
                name="visits_add_up",
                condition=Q(visits=F("checked_in") + F("group_visits") + F("walk_ins"))
                | ~Q(source="bookings"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.date}: {self.visits}"

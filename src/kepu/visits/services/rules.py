"""The venue's booking rules, its slot templates, and the slots they make for each open day."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError
from kepu.core.scopes import Capability, require_venue
from kepu.core.services import apply_changes, create_and_audit, reject_unknown_fields
from kepu.network.models import Venue
from kepu.network.opening import OpeningCalendar, is_rest_day
from kepu.visits import capacity
from kepu.visits.models import PoolKind, SeatPool, SlotTemplate, TimeSlot, VisitRules

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

RULE_FIELDS = frozenset(
    field.name for field in VisitRules._meta.concrete_fields if field.name not in {"id", "venue"}
)
TEMPLATE_FIELDS = frozenset(
    {
        "hall",
        "name",
        "name_en",
        "starts_at",
        "ends_at",
        "weekday_capacity",
        "holiday_capacity",
        "weekday_group_quota",
        "holiday_group_quota",
        "is_active",
    }
)


def rules_for(venue: Venue) -> VisitRules:
    try:
        rules: VisitRules | None = venue.visit_rules  # loaded with the venue where selected
    except VisitRules.DoesNotExist:
        rules = None
    if rules is None or not rules.booking_enabled:
        raise ApplicationError(_("This venue does not take online bookings."), code="not_bookable")
    return rules


def _check_rules(rules: VisitRules) -> None:
    if rules.group_max_size < rules.group_min_size:
        raise ApplicationError.for_field(
            "group_max_size", _("The largest group cannot be smaller than the smallest.")
        )


@transaction.atomic
def visit_rules_save(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> VisitRules:
    require_venue(actor, venue, Capability.MANAGE_VISITS)
    rules = VisitRules.objects.select_for_update().filter(venue=venue).first()
    if rules is None:
        reject_unknown_fields(data, RULE_FIELDS)
        rules = create_and_audit(
            actor=actor,
            instance=VisitRules(venue=venue, **data),
            action="visit_rules.create",
            conflict=("venue", _("This venue has booking rules already.")),
            venue=venue,
            extra_validation=_check_rules,
        )
        if rules.daily_cap:
            _apply_daily_cap(venue, rules.daily_cap)
        capacity.bump_pools_version(venue.pk)
        return rules
    old_cap = rules.daily_cap
    rules = apply_changes(
        actor=actor,
        instance=rules,
        data=data,
        allowed=RULE_FIELDS,
        action="visit_rules.update",
        venue=venue,
        extra_validation=_check_rules,
    )
    if rules.daily_cap != old_cap:
        _apply_daily_cap(venue, rules.daily_cap)
    capacity.bump_pools_version(venue.pk)  # booking processes read the new rules at once
    return rules


def _apply_daily_cap(venue: Venue, cap: int | None) -> None:
    """A changed daily cap holds from today on, for the days whose slots exist already too."""
    days = (
        TimeSlot.objects.filter(venue=venue, date__gte=timezone.localdate())
        .values_list("date", flat=True)
        .distinct()
        .order_by("date")
    )
    for day in days:
        capacity.daily_cap_apply(venue.pk, day, cap)


def _check_template(template: SlotTemplate) -> None:
    if template.starts_at and template.ends_at and template.ends_at <= template.starts_at:
        raise ApplicationError.for_field("ends_at", _("A slot must end after it starts."))
    if (
        template.hall_id
        and template.hall is not None
        and template.hall.venue_id != template.venue_id
    ):
        raise ApplicationError.for_field("hall", _("Choose a hall of this venue."))
    for quota, places in (
        ("weekday_group_quota", "weekday_capacity"),
        ("holiday_group_quota", "holiday_capacity"),
    ):
        if getattr(template, quota) > getattr(template, places):
            raise ApplicationError.for_field(
                quota, _("Group places are part of the slot's places and cannot exceed them.")
            )


@transaction.atomic
def slot_template_create(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> SlotTemplate:
    require_venue(actor, venue, Capability.MANAGE_VISITS)
    reject_unknown_fields(data, TEMPLATE_FIELDS)
    return create_and_audit(
        actor=actor,
        instance=SlotTemplate(venue=venue, **data),
        action="slot_template.create",
        conflict=("name", _("This slot exists already.")),
        venue=venue,
        extra_validation=_check_template,
    )


@transaction.atomic
def slot_template_update(
    *, actor: Actor, template: SlotTemplate, data: Mapping[str, Any]
) -> SlotTemplate:
    """Change a template; slots already made keep their figures (change those one by one)."""
    require_venue(actor, template.venue, Capability.MANAGE_VISITS)
    return apply_changes(
        actor=actor,
        instance=template,
        data=data,
        allowed=TEMPLATE_FIELDS,
        action="slot_template.update",
        venue=template.venue,
        extra_validation=_check_template,
    )


def bookable_until(rules: VisitRules, now: Any = None) -> date:
    """The last date open for booking right now (the window opens a day at ``booking_opens_at``)."""
    moment = timezone.localtime(now) if now is not None else timezone.localtime()
    last = moment.date() + timedelta(days=rules.booking_window_days)
    if moment.time() < rules.booking_opens_at:
        last -= timedelta(days=1)
    return max(last, moment.date())


def slots_ensure(venue: Venue, start: date, end: date) -> int:
    """Make the slots of every open day in [start, end] from the active templates (idempotent).

    Returns how many slots were made. Safe under concurrency: a slot made by another request at
    the same moment is simply kept.
    """
    templates = list(SlotTemplate.objects.filter(venue=venue, is_active=True))
    if not templates or end < start:
        return 0
    existing = set(
        TimeSlot.objects.filter(venue=venue, date__range=(start, end)).values_list(
            "date", "hall_id", "starts_at"
        )
    )
    opening = OpeningCalendar.for_venue(venue, start, end)
    rules = VisitRules.objects.filter(venue=venue).first()
    made = 0
    for status in opening.days(start, end):
        if not status.is_open:
            continue
        missing = [t for t in templates if (status.day, t.hall_id, t.starts_at) not in existing]
        if missing:
            made += _make_day(venue, status.day, missing, rules)
    return made


def _make_day(
    venue: Venue, day: date, templates: list[SlotTemplate], rules: VisitRules | None
) -> int:
    rest = is_rest_day(day)
    made = 0
    # The day's cap exists before any of its slots can be seen, so no booking goes without it.
    if rules is not None and rules.daily_cap:
        try:
            with transaction.atomic():
                capacity.pool_create(
                    venue_id=venue.pk, day=day, kind=PoolKind.DAY, capacity=rules.daily_cap
                )
        except IntegrityError:
            pass
    for template in templates:
        places = template.holiday_capacity if rest else template.weekday_capacity
        quota = template.holiday_group_quota if rest else template.weekday_group_quota
        try:
            with transaction.atomic():
                slot = TimeSlot.objects.create(
                    venue=venue,
                    hall=template.hall,
                    template=template,
                    date=day,
                    name=template.name,
                    name_en=template.name_en,
                    starts_at=template.starts_at,
                    ends_at=template.ends_at,
                    capacity=places,
                    group_quota=quota,
                )
                capacity.pool_create(
                    venue_id=venue.pk,
                    day=day,
                    kind=PoolKind.PUBLIC,
                    capacity=places - quota,
                    slot=slot,
                )
                if quota:
                    capacity.pool_create(
                        venue_id=venue.pk, day=day, kind=PoolKind.GROUP, capacity=quota, slot=slot
                    )
                made += 1
        except IntegrityError:
            continue  # made by a concurrent request
    return made


@transaction.atomic
def slot_update(*, actor: Actor, slot: TimeSlot, data: Mapping[str, Any]) -> TimeSlot:
    """Change one slot's places or group places, or close it for booking."""
    require_venue(actor, slot.venue, Capability.MANAGE_VISITS)
    reject_unknown_fields(data, {"capacity", "group_quota", "is_closed"})
    before = snapshot(slot, data.keys())
    places = int(data.get("capacity", slot.capacity))
    quota = int(data.get("group_quota", slot.group_quota))
    if quota > places:
        raise ApplicationError.for_field(
            "group_quota", _("Group places are part of the slot's places and cannot exceed them.")
        )
    pools = {pool.kind: pool for pool in SeatPool.objects.filter(slot=slot)}
    capacity.resize(pools[PoolKind.PUBLIC], places - quota)
    if PoolKind.GROUP in pools:
        capacity.resize(pools[PoolKind.GROUP], quota)
    elif quota:
        capacity.pool_create(
            venue_id=slot.venue_id, day=slot.date, kind=PoolKind.GROUP, capacity=quota, slot=slot
        )
    slot.capacity, slot.group_quota = places, quota
    slot.is_closed = bool(data.get("is_closed", slot.is_closed))
    slot.save(update_fields=["capacity", "group_quota", "is_closed"])
    audit_record(
        actor=actor,
        action="slot.update",
        target=slot,
        before=before,
        after=snapshot(slot, data.keys()),
        venue=slot.venue,
    )
    return slot

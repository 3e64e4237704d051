"""The demo's visits: booking rules and slots, years of daily attendance that add up to the
seed reports, and live bookings for the coming week — all through the services.

* 集安市科技馆 2024: 265 open days and about 50,000 visits (the report says 约5万, so the daily
  hand counts are marked approximate).
* 辽宁省科学技术馆 2023: 2,522,000 visits with the peak of 38,353 on 1 May; 2022: 804,697, so
  that the year-over-year growth is +213.41 % as reported (2022 had an epidemic closure).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, time, timedelta

from django.utils import timezone

from kepu.core.errors import ConflictError
from kepu.core.models import User
from kepu.network.models import ClosureCategory, Venue
from kepu.network.opening import OpeningCalendar, add_working_days, is_rest_day
from kepu.network.services import calendar_exception_create
from kepu.visits.identity import check_digit
from kepu.visits.models import AttendanceSource, TimeSlot
from kepu.visits.services.attendance import AttendanceRow, attendance_import
from kepu.visits.services.booking import (
    PartyMember,
    booking_create,
    group_booking_decide,
    group_booking_request,
)
from kepu.visits.services.rules import (
    bookable_until,
    slot_template_create,
    slots_ensure,
    visit_rules_save,
)

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鑫宇浩然子涵梓轩"
    "欣怡雨桐思远博文晨曦佳琪俊杰诗涵一鸣"
)


def demo_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def demo_id(rng: random.Random, region: str, born: date) -> str:
    first = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first + check_digit(first)


def day_weight(day: date) -> float:
    """How busy a day is, relative to an ordinary working day."""
    weight = 1.0
    if is_rest_day(day):
        weight = 1.9
    if day.month in (7, 8):
        weight *= 1.35
    elif day.month in (1, 2):
        weight *= 0.75
    return weight


def spread(
    total: int, days: Sequence[date], rng: random.Random, fixed: dict[date, int]
) -> dict[date, int]:
    """Split ``total`` over the days by weight (with some noise), keeping fixed days as given,
    so that the figures add up exactly (largest-remainder rounding)."""
    free = [d for d in days if d not in fixed]
    rest = total - sum(fixed.values())
    weights = {d: day_weight(d) * rng.uniform(0.85, 1.15) for d in free}
    scale = rest / sum(weights.values())
    raw = {d: w * scale for d, w in weights.items()}
    counts = {d: int(v) for d, v in raw.items()}
    short = rest - sum(counts.values())
    for d in sorted(free, key=lambda d: raw[d] - counts[d], reverse=True)[:short]:
        counts[d] += 1
    return {**counts, **fixed}


def open_days(venue: Venue, year: int) -> list[date]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    return [
        s.day for s in OpeningCalendar.for_venue(venue, start, end).days(start, end) if s.is_open
    ]


def import_year(
    admin: User,
    venue: Venue,
    year: int,
    total: int,
    *,
    approximate: bool,
    source: str,
    fixed: dict[date, int] | None = None,
    seed: int = 0,
) -> None:
    counts = spread(total, open_days(venue, year), random.Random(seed or year), fixed or {})
    attendance_import(
        actor=admin,
        venue=venue,
        rows=[
            AttendanceRow(day=d, visits=n, approximate=approximate)
            for d, n in sorted(counts.items())
        ],
        source=source,
    )


def setup_rules(admin: User, venues: dict[str, Venue]) -> None:
    jian, liaoning, planetarium = (
        venues["集安市科技馆"],
        venues["辽宁省科学技术馆"],
        venues["北京天文馆"],
    )
    visit_rules_save(
        actor=admin,
        venue=jian,
        data={
            "booking_window_days": 7,
            "max_party_size": 5,
            "child_free_age": 6,
            "walk_ins_allowed": True,
            "inside_cap": 300,
            "group_min_size": 20,
            "group_max_size": 100,
            "group_lead_working_days": 3,
            "cancel_cutoff_minutes": 30,
        },
    )
    for name, name_en, start, end in (
        ("上午场", "Morning", time(9), time(11, 30)),
        ("下午场", "Afternoon", time(13, 30), time(16)),
    ):
        slot_template_create(
            actor=admin,
            venue=jian,
            data={
                "name": name,
                "name_en": name_en,
                "starts_at": start,
                "ends_at": end,
                "weekday_capacity": 150,
                "holiday_capacity": 200,
                "weekday_group_quota": 50,
                "holiday_group_quota": 50,
            },
        )
    # As 青岛科技馆 publishes: 7 days ahead from 09:00, at most 4 people, 3 no-shows → 30 days.
    visit_rules_save(
        actor=admin,
        venue=liaoning,
        data={
            "booking_window_days": 7,
            "booking_opens_at": time(9),
            "max_party_size": 4,
            "max_minors_per_guardian": 2,
            "daily_cap": 40_000,
            "inside_cap": 15_000,
            "no_show_limit": 3,
            "ban_days": 30,
            "group_min_size": 20,
            "group_lead_working_days": 3,
            "cancel_cutoff_minutes": 60,
        },
    )
    for name, name_en, start, end in (
        ("上午场", "Morning", time(9), time(12)),
        ("下午场", "Afternoon", time(12), time(16, 30)),
    ):
        slot_template_create(
            actor=admin,
            venue=liaoning,
            data={
                "name": name,
                "name_en": name_en,
                "starts_at": start,
                "ends_at": end,
                "weekday_capacity": 6_000,
                "holiday_capacity": 15_000,
                "weekday_group_quota": 1_000,
                "holiday_group_quota": 1_000,
            },
        )
    visit_rules_save(
        actor=admin,
        venue=planetarium,
        data={
            "booking_window_days": 7,
            "max_party_size": 4,
            "cancel_cutoff_minutes": 60,
        },
    )
    slot_template_create(
        actor=admin,
        venue=planetarium,
        data={
            "name": "全天",
            "name_en": "All day",
            "starts_at": time(9),
            "ends_at": time(16, 30),
            "weekday_capacity": 3_000,
            "holiday_capacity": 5_000,
        },
    )
    theatre = planetarium.halls.get(name="宇宙剧场")
    for hour in (10, 11, 14, 15):  # the theatre's shows, each with its own cap (cf. 中国科技馆)
        slot_template_create(
            actor=admin,
            venue=planetarium,
            data={
                "hall": theatre,
                "name": f"宇宙剧场 {hour}:00",
                "name_en": f"Universe Theater {hour}:00",
                "starts_at": time(hour),
                "ends_at": time(hour, 45),
                "weekday_capacity": 200,
                "holiday_capacity": 200,
            },
        )


def attendance_history(admin: User, venues: dict[str, Venue]) -> None:
    jian, liaoning = venues["集安市科技馆"], venues["辽宁省科学技术馆"]
    import_year(admin, jian, 2024, 50_000, approximate=True, source=AttendanceSource.MANUAL)
    calendar_exception_create(
        actor=admin,
        venue=liaoning,
        data={
            "starts_on": date(2022, 11, 7),
            "ends_on": date(2022, 12, 25),
            "reason": "疫情防控临时闭馆",
            "reason_en": "Temporary closure for epidemic control",
            "category": ClosureCategory.EMERGENCY,
        },
    )
    import_year(admin, liaoning, 2022, 804_697, approximate=False, source=AttendanceSource.IMPORTED)
    import_year(
        admin,
        liaoning,
        2023,
        2_522_000,
        approximate=False,
        source=AttendanceSource.IMPORTED,
        fixed={date(2023, 5, 1): 38_353},
    )


def coming_week(admin: User, venues: dict[str, Venue]) -> None:
    """Real bookings for the days open for booking now, through the public booking service."""
    rng = random.Random(20_241)
    today = timezone.localdate()
    serial = 0
    for name, per_slot, region in (
        ("集安市科技馆", 12, "220582"),
        ("辽宁省科学技术馆", 25, "210112"),
        ("北京天文馆", 6, "110102"),
    ):
        venue = venues[name]
        rules = venue.visit_rules
        slots_ensure(venue, today, bookable_until(rules))
        for slot in TimeSlot.objects.filter(venue=venue, date__gt=today).order_by(
            "date", "starts_at"
        ):
            for _ in range(per_slot):
                serial += 1
                size = rng.choice([1, 2, 2, 3, 3, 4])
                people = []
                for member in range(size):
                    # A parent with up to two children, or adults together.
                    child = member > 0 and member <= 2 and rng.random() < 0.5
                    age = rng.randint(7, 16) if child else rng.randint(20, 65)
                    born = today - timedelta(days=age * 365 + rng.randint(0, 300))
                    people.append(
                        PartyMember(demo_name(rng), "resident_id", demo_id(rng, region, born))
                    )
                try:
                    booking_create(
                        venue=venue,
                        slot_id=slot.pk,
                        people=people,
                        phone=f"1{rng.choice([38, 39, 58, 86, 88])}{rng.randrange(10**8):08d}",
                        idempotency_key=f"demo-{serial}",
                    )
                except ConflictError:
                    continue  # a generated ID that happens to repeat: skip that party
    jian = venues["集安市科技馆"]
    group_slots = list(TimeSlot.objects.filter(venue=jian, group_quota__gt=0).order_by("date"))
    earliest = add_working_days(today, jian.visit_rules.group_lead_working_days)
    eligible = [s for s in group_slots if s.date >= earliest]
    for index, slot in enumerate(eligible[:2]):
        request = group_booking_request(
            venue=jian,
            slot_id=slot.pk,
            headcount=[40, 35][index],
            school=["集安市第一小学", "集安市实验中学"][index],
            leader_name=["王老师", "李老师"][index],
            phone=["13904351234", "13804359876"][index],
            note="研学实践",
            idempotency_key=f"demo-group-{index}",
        )
        if index == 0:
            group_booking_decide(actor=admin, booking=request.booking, approve=True)


def build_visits(admin: User, venues: dict[str, Venue]) -> None:
    setup_rules(admin, venues)
    attendance_history(admin, venues)
    coming_week(admin, venues)

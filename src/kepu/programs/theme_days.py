"""The national theme days that fall on the same date every year.

The weeks the organisers announce afresh each year (全国科普日 in September, 全国科技活动周 in
May) are entered by a national administrator once announced; these fixed days are added for a
year by ``theme_days_ensure`` (``kepu theme-days --year YYYY``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from kepu.programs.models import ThemeDay
from kepu.programs.services.registry import theme_day_create

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

FIXED_THEME_DAYS: list[tuple[int, int, str, str]] = [
    (3, 22, "世界水日", "World Water Day"),
    (3, 23, "世界气象日", "World Meteorological Day"),
    (4, 15, "全民国家安全教育日", "National Security Education Day"),
    (4, 22, "世界地球日", "Earth Day"),
    (4, 24, "中国航天日", "Space Day of China"),
    (5, 12, "全国防灾减灾日", "National Disaster Prevention and Reduction Day"),
    (5, 18, "国际博物馆日", "International Museum Day"),
    (5, 30, "全国科技工作者日", "National Science and Technology Workers' Day"),
    (6, 5, "世界环境日", "World Environment Day"),
    (10, 16, "世界粮食日", "World Food Day"),
    (11, 9, "全国消防日", "National Fire Safety Day"),
]


@transaction.atomic
def theme_days_ensure(*, actor: User | AnonymousUser | None, year: int) -> list[ThemeDay]:
    """Add the fixed-date theme days of ``year`` that are not in the calendar yet."""
    made: list[ThemeDay] = []
    for month, day, name, name_en in FIXED_THEME_DAYS:
        on = date(year, month, day)
        if ThemeDay.objects.filter(name=name, starts_on=on).exists():
            continue
        made.append(
            theme_day_create(
                actor=actor,
                data={
                    "name": name,
                    "name_en": name_en,
                    "kind": ThemeDay.Kind.OTHER,
                    "starts_on": on,
                    "ends_on": on,
                },
            )
        )
    return made

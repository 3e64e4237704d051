"""The demo network matches the seed reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kepu.core.models import Role, RoleAssignment
from kepu.network.models import Alliance, HallKind, Membership, Venue, VenueKind
from kepu.network.opening import OpeningCalendar
from kepu.network.selectors import hall_totals

pytestmark = pytest.mark.django_db


def test_jian_matches_its_self_evaluation(jian: Venue) -> None:
    halls = list(jian.halls.all())
    totals = hall_totals(halls, date(2024, 12, 31))
    assert (totals.permanent, totals.temporary, totals.area_m2) == (4, 1, Decimal(1340))
    calendar = OpeningCalendar.for_venue(jian, date(2024, 1, 1), date(2024, 12, 31))
    assert calendar.summary(date(2024, 1, 1), date(2024, 12, 31)).open_days == 265
    pattern = jian.opening_patterns.get()
    assert pattern.weekdays == [3, 4, 5, 6, 7]  # Wednesday to Sunday
    assert jian.division.full_name == "吉林省通化市集安市"


def test_liaoning_has_eight_permanent_halls_and_chairs_the_northeast_alliance(
    liaoning: Venue,
) -> None:
    assert liaoning.halls.filter(kind=HallKind.PERMANENT).count() == 8
    assert liaoning.halls.get(name="眼健康科普馆").opened_on == date(2023, 6, 6)
    membership = Membership.objects.get(venue=liaoning, alliance__short_name="东北联盟")
    assert membership.role == "executive_chair"


def test_northeast_alliance_has_129_members_in_four_provinces() -> None:
    northeast = Alliance.objects.get(short_name="东北联盟")
    members = Membership.objects.filter(alliance=northeast, until__isnull=True)
    assert members.count() == 129
    assert {m.venue.division_id[:2] for m in members.select_related("venue")} == {
        "21",
        "22",
        "23",
        "15",
    }
    assert northeast.parent is not None and northeast.parent.name == "全国现代科技馆体系"


def test_xian_registration_record_matches_seed_003(xian: Venue) -> None:
    organisation = xian.organisation
    assert organisation is not None
    assert organisation.legal_representative == "徐鹏"
    assert organisation.startup_capital_cny == Decimal(50_000)
    assert organisation.sponsor == "西安市科学技术协会"
    assert organisation.address == "西安市碑林区南大街粉巷22号"
    year = organisation.years.get(year=2024)
    assert (year.assets_start_cny, year.assets_end_cny, year.headcount) == (
        Decimal(631_000),
        Decimal(592_700),
        31,
    )
    assert Membership.objects.get(venue=xian).since == date(2024, 6, 1)


def test_every_kind_of_venue_and_one_user_per_role() -> None:
    kinds = set(Venue.objects.values_list("kind", flat=True))
    assert kinds == set(VenueKind.values)
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Venue.objects.get(name="北京天文馆").address == "北京市西城区西直门外大街138号"

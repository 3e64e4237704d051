"""Role boundaries, proven on the demo network through selectors and services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kepu.core.errors import NotFoundError, PermissionDeniedError
from kepu.core.models import Role, RoleAssignment, User
from kepu.core.scopes import Capability, forget_scope, scope_for
from kepu.network import selectors, services
from kepu.network.models import Alliance, Membership, Venue

pytestmark = pytest.mark.django_db


def readable(user: User) -> set[str]:
    return set(selectors.venue_list(user=user).values_list("name", flat=True))


def test_national_administrator_reads_every_venue(users: dict[str, User]) -> None:
    assert selectors.venue_list(user=users["admin"]).count() == Venue.objects.count()
    assert scope_for(users["admin"]).is_national


def test_venue_staff_read_only_their_venue(users: dict[str, User]) -> None:
    assert readable(users["jian-staff"]) == {"集安市科技馆"}
    assert readable(users["jian"]) == {"集安市科技馆"}
    assert readable(users["xian-volunteers"]) == {"西安市科学技术馆"}


def test_alliance_coordinator_reads_the_129_member_venues(users: dict[str, User]) -> None:
    names = readable(users["dongbei"])
    assert len(names) == 129
    assert {"辽宁省科学技术馆", "集安市科技馆"} <= names
    assert "西安市科学技术馆" not in names  # a Yellow River venue
    huanghe = readable(users["huanghe"])
    assert "西安市科学技术馆" in huanghe and "集安市科技馆" not in huanghe


def test_coordinator_of_the_national_system_reads_member_alliances_too(
    users: dict[str, User], alliances: dict[str, Alliance]
) -> None:
    coordinator = User.objects.create(username="system-coordinator")
    RoleAssignment.objects.create(
        user=coordinator, role=Role.ALLIANCE_COORDINATOR, alliance=alliances["现代科技馆体系"]
    )
    names = readable(coordinator)
    assert {"集安市科技馆", "西安市科学技术馆", "中国科学技术馆"} <= names
    assert scope_for(coordinator).can_manage_alliance(alliances["东北联盟"].pk)


def test_other_venue_looks_like_a_missing_one(users: dict[str, User], liaoning: Venue) -> None:
    with pytest.raises(NotFoundError) as other:
        selectors.venue_get(user=users["jian"], venue_id=liaoning.pk)
    with pytest.raises(NotFoundError) as missing:
        selectors.venue_get(user=users["jian"], venue_id=10_000_000)
    assert str(other.value) == str(missing.value)


def test_services_refuse_out_of_scope_writes(users: dict[str, User], liaoning: Venue) -> None:
    with pytest.raises(NotFoundError):
        services.venue_update(actor=users["jian"], venue=liaoning, data={"phone": "123"})
    with pytest.raises(NotFoundError):
        services.hall_create(
            actor=users["jian-staff"],
            venue=liaoning,
            data={"name": "x", "kind": "permanent", "area_m2": 1},
        )


def test_coordinator_reads_but_does_not_manage_member_venues(
    users: dict[str, User], jian: Venue
) -> None:
    scope = scope_for(users["dongbei"])
    assert scope.can(Capability.VIEW, jian.pk)
    assert not scope.can(Capability.MANAGE_REGISTRY, jian.pk)
    with pytest.raises(PermissionDeniedError):
        services.venue_update(actor=users["dongbei"], venue=jian, data={"phone": "0435-1234567"})


def test_staff_may_announce_closures_but_not_edit_the_registry(
    users: dict[str, User], jian: Venue
) -> None:
    today = timezone.localdate()
    services.calendar_exception_create(
        actor=users["jian-staff"],
        venue=jian,
        data={
            "starts_on": today + timedelta(days=400),
            "ends_on": today + timedelta(days=400),
            "reason": "设备检修",
        },
    )
    with pytest.raises(PermissionDeniedError):
        services.venue_update(actor=users["jian-staff"], venue=jian, data={"phone": "1"})
    with pytest.raises(PermissionDeniedError):
        services.calendar_exception_create(
            actor=users["xian-volunteers"],
            venue=Venue.objects.get(name="西安市科学技术馆"),
            data={"starts_on": today, "ends_on": today, "reason": "x"},
        )


def test_an_ended_membership_ends_the_coordinators_reach(
    users: dict[str, User], jian: Venue, alliances: dict[str, Alliance]
) -> None:
    membership = Membership.objects.get(venue=jian, alliance=alliances["东北联盟"])
    services.membership_end(
        actor=users["dongbei"],
        membership=membership,
        until=timezone.localdate() - timedelta(days=1),
    )
    coordinator = User.objects.get(username="dongbei")
    assert "集安市科技馆" not in readable(coordinator)
    forget_scope(coordinator)


def test_inactive_and_anonymous_users_read_nothing(users: dict[str, User]) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert selectors.venue_list(user=AnonymousUser()).count() == 0
    inactive = users["admin"]
    inactive.is_active = False
    forget_scope(inactive)
    assert selectors.venue_list(user=inactive).count() == 0


def test_venue_roles_read_the_alliances_their_venue_belongs_to(
    users: dict[str, User], alliances: dict[str, Alliance]
) -> None:
    names = set(selectors.alliance_list(user=users["jian"]).values_list("short_name", flat=True))
    assert names == {"东北联盟"}
    with pytest.raises(NotFoundError):
        selectors.alliance_get(user=users["jian"], alliance_id=alliances["黄河联盟"].pk)
    with pytest.raises(PermissionDeniedError):
        selectors.alliance_get(
            user=users["jian"], alliance_id=alliances["东北联盟"].pk, manage=True
        )

"""Accounts and role grants, and who may read the audit log."""

from __future__ import annotations

import pytest

from kepu.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from kepu.core.models import AuditEntry, Role, RoleAssignment, User
from kepu.core.services import national_admin_bootstrap, role_grant, role_revoke, user_create
from kepu.network import selectors, services
from kepu.network.models import Alliance, Venue

pytestmark = pytest.mark.django_db


def test_manager_grants_staff_roles_at_their_venue_only(
    users: dict[str, User], jian: Venue, liaoning: Venue
) -> None:
    newcomer = user_create(actor=users["jian"], username="jian-guide", password="long-enough-1")
    assignment = role_grant(actor=users["jian"], user=newcomer, role=Role.VENUE_STAFF, venue=jian)
    assert set(selectors.venue_list(user=newcomer).values_list("name", flat=True)) == {
        "集安市科技馆"
    }
    with pytest.raises(ConflictError):
        role_grant(actor=users["jian"], user=newcomer, role=Role.VENUE_STAFF, venue=jian)
    with pytest.raises(PermissionDeniedError):
        role_grant(actor=users["jian"], user=newcomer, role=Role.VENUE_MANAGER, venue=jian)
    with pytest.raises(NotFoundError):
        role_grant(actor=users["jian"], user=newcomer, role=Role.VENUE_STAFF, venue=liaoning)
    role_revoke(actor=users["jian"], assignment=assignment)
    assert selectors.venue_list(user=newcomer).count() == 0
    actions = list(
        AuditEntry.objects.filter(target_type="core.roleassignment", venue=jian)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["role.grant", "role.revoke"]


def test_role_needs_the_right_scope(
    users: dict[str, User], jian: Venue, alliances: dict[str, Alliance]
) -> None:
    someone = User.objects.create(username="someone")
    with pytest.raises(ApplicationError):
        role_grant(actor=users["admin"], user=someone, role=Role.VENUE_STAFF)
    with pytest.raises(ApplicationError):
        role_grant(actor=users["admin"], user=someone, role=Role.ALLIANCE_COORDINATOR, venue=jian)
    with pytest.raises(PermissionDeniedError):
        role_grant(
            actor=users["dongbei"],
            user=someone,
            role=Role.ALLIANCE_COORDINATOR,
            alliance=alliances["东北联盟"],
        )
    role_grant(
        actor=users["admin"],
        user=someone,
        role=Role.ALLIANCE_COORDINATOR,
        alliance=alliances["东北联盟"],
    )
    assert RoleAssignment.objects.filter(user=someone).count() == 1


def test_staff_cannot_create_accounts(users: dict[str, User]) -> None:
    with pytest.raises(PermissionDeniedError):
        user_create(actor=users["jian-staff"], username="x", password="long-enough-1")
    with pytest.raises(ConflictError) as error:
        user_create(actor=users["admin"], username="jian", password="long-enough-1")
    assert "username" in error.value.fields


def test_bootstrap_only_once(users: dict[str, User]) -> None:
    with pytest.raises(ConflictError):
        national_admin_bootstrap(username="second-admin", password="long-enough-1")


def test_audit_log_is_scoped(users: dict[str, User], jian: Venue, liaoning: Venue) -> None:
    services.venue_update(actor=users["liaoning"], venue=liaoning, data={"phone": "024-1"})
    services.venue_update(actor=users["jian"], venue=jian, data={"phone": "0435-1"})
    jian_sees = selectors.audit_entries(user=users["jian"])
    assert jian_sees.filter(venue=jian).exists()
    assert not jian_sees.exclude(venue=jian).filter(alliance__isnull=True).exists()
    assert not jian_sees.filter(venue=liaoning).exists()
    assert selectors.audit_entries(user=users["jian-staff"]).count() == 0
    assert selectors.audit_entries(user=users["admin"]).filter(venue=liaoning).exists()

"""The admin obeys the same scopes as everything else."""

from __future__ import annotations

from typing import Any

import pytest

from kepu.core.models import RoleAssignment, User
from kepu.network.models import Venue

pytestmark = pytest.mark.django_db


def test_venue_manager_sees_only_their_venue_in_the_admin(
    page_as: Any, jian: Venue, liaoning: Venue
) -> None:
    client = page_as("jian")
    listing = client.get("/admin/network/venue/").content.decode()
    assert "集安市科技馆" in listing and "辽宁省科学技术馆" not in listing
    assert client.get(f"/admin/network/venue/{jian.pk}/change/").status_code == 200
    other = client.get(f"/admin/network/venue/{liaoning.pk}/change/")
    assert other.status_code == 302  # "does not exist", the same as a missing id
    assert client.get("/admin/core/user/").status_code == 403  # accounts are national


def test_registry_is_read_only_in_the_admin(page_as: Any, jian: Venue) -> None:
    response = page_as("admin").post(f"/admin/network/venue/{jian.pk}/change/", {"name": "改名"})
    assert response.status_code == 403
    assert Venue.objects.get(pk=jian.pk).name == "集安市科技馆"


def test_manager_grants_staff_roles_in_the_admin_through_the_service(
    page_as: Any, jian: Venue
) -> None:
    newcomer = User.objects.create(username="newcomer")
    response = page_as("jian").post(
        "/admin/core/roleassignment/add/",
        {"user": newcomer.pk, "role": "venue_staff", "venue": jian.pk, "alliance": ""},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=newcomer)
    assert assignment.venue == jian
    from kepu.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="role.grant", target_id=str(assignment.pk)).exists()


def test_staff_without_admin_flag_cannot_enter(page_as: Any) -> None:
    assert page_as("jian-staff").get("/admin/").status_code == 302

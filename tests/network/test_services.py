"""Registry services: validation with per-field reasons, conflicts, and the audit trail."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from kepu.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from kepu.core.models import AuditEntry, User
from kepu.network import services
from kepu.network.models import (
    Alliance,
    Division,
    Hall,
    OpeningPattern,
    Organisation,
    OrganisationYear,
    Venue,
    VenueKind,
)

pytestmark = pytest.mark.django_db


def audit_for(instance: object, action: str) -> AuditEntry:
    return AuditEntry.objects.filter(target_id=str(instance.pk), action=action).latest("id")  # type: ignore[attr-defined]


def test_venue_create_places_it_at_its_division_and_audits(users: dict[str, User]) -> None:
    venue = services.venue_create(
        actor=users["admin"],
        data={
            "name": "抚松县科技馆",
            "kind": VenueKind.MUSEUM,
            "level": "county",
            "division": Division.objects.get(pk="220621"),
        },
    )
    division = Division.objects.get(pk="220621")
    assert (venue.latitude, venue.longitude) == (division.latitude, division.longitude)
    entry = audit_for(venue, "venue.create")
    assert entry.actor == users["admin"] and entry.after["name"] == "抚松县科技馆"
    assert entry.venue == venue


def test_museum_without_level_is_refused_with_its_field(users: dict[str, User]) -> None:
    with pytest.raises(ApplicationError) as error:
        services.venue_create(
            actor=users["admin"],
            data={
                "name": "无级别馆",
                "kind": VenueKind.MUSEUM,
                "division": Division.objects.get(pk="220621"),
            },
        )
    assert "level" in error.value.fields
    assert not Venue.objects.filter(name="无级别馆").exists()


def test_only_national_administrators_register_venues(users: dict[str, User]) -> None:
    with pytest.raises(PermissionDeniedError):
        services.venue_create(actor=users["jian"], data={"name": "x"})


def test_manager_edits_profile_fields_but_not_the_registry_identity(
    users: dict[str, User], jian: Venue
) -> None:
    services.venue_update(actor=users["jian"], venue=jian, data={"phone": "0435-6222222"})
    jian.refresh_from_db()
    assert jian.phone == "0435-6222222"
    entry = audit_for(jian, "venue.update")
    assert entry.before == {"phone": ""} and entry.after == {"phone": "0435-6222222"}
    assert entry.changes == {"phone": ("", "0435-6222222")}
    with pytest.raises(ApplicationError) as error:
        services.venue_update(actor=users["jian"], venue=jian, data={"name": "改名"})
    assert "name" in error.value.fields


def test_an_update_that_changes_nothing_leaves_no_audit_entry(
    users: dict[str, User], jian: Venue
) -> None:
    before = AuditEntry.objects.count()
    services.venue_update(actor=users["jian"], venue=jian, data={"phone": jian.phone})
    assert AuditEntry.objects.count() == before


def test_invalid_update_saves_nothing(users: dict[str, User], jian: Venue) -> None:
    with pytest.raises(ApplicationError) as error:
        services.venue_update(
            actor=users["jian"], venue=jian, data={"phone": "0435", "latitude": Decimal("123")}
        )
    assert "latitude" in error.value.fields
    assert Venue.objects.get(pk=jian.pk).phone == ""


def test_hall_rules(users: dict[str, User], jian: Venue) -> None:
    with pytest.raises(ConflictError):
        services.hall_create(
            actor=users["jian"],
            venue=jian,
            data={"name": "洞穴课堂", "kind": "permanent", "area_m2": Decimal(10)},
        )
    with pytest.raises(ApplicationError) as error:
        services.hall_create(
            actor=users["jian"],
            venue=jian,
            data={
                "name": "新展厅",
                "kind": "temporary",
                "area_m2": Decimal(10),
                "opened_on": date(2024, 5, 1),
                "closed_on": date(2024, 4, 1),
            },
        )
    assert "closed_on" in error.value.fields
    with pytest.raises(ApplicationError) as error:
        services.hall_create(
            actor=users["jian"],
            venue=jian,
            data={"name": "零面积", "kind": "temporary", "area_m2": Decimal(0)},
        )
    assert "area_m2" in error.value.fields
    assert not Hall.objects.filter(venue=jian, name__in=["新展厅", "零面积"]).exists()


def test_pattern_rules(users: dict[str, User], jian: Venue) -> None:
    base = {
        "valid_from": date(2026, 1, 1),
        "open_weekdays": 0b1111100,
        "opens_at": time(9),
        "closes_at": time(17),
    }
    with pytest.raises(ApplicationError) as error:
        services.opening_pattern_create(
            actor=users["jian"], venue=jian, data={**base, "open_weekdays": 0}
        )
    assert "open_weekdays" in error.value.fields
    with pytest.raises(ApplicationError) as error:
        services.opening_pattern_create(
            actor=users["jian"], venue=jian, data={**base, "closes_at": time(8)}
        )
    assert "closes_at" in error.value.fields
    with pytest.raises(ApplicationError) as error:
        services.opening_pattern_create(
            actor=users["jian"], venue=jian, data={**base, "last_entry_at": time(18)}
        )
    assert "last_entry_at" in error.value.fields
    pattern = services.opening_pattern_create(actor=users["jian"], venue=jian, data=base)
    assert pattern.weekdays == [3, 4, 5, 6, 7]
    with pytest.raises(ConflictError):
        services.opening_pattern_create(actor=users["jian"], venue=jian, data=base)
    assert OpeningPattern.objects.filter(venue=jian).count() == 2


def test_overlapping_closures_are_refused(users: dict[str, User], jian: Venue) -> None:
    with pytest.raises(ConflictError) as error:
        services.calendar_exception_create(
            actor=users["jian"],
            venue=jian,
            data={"starts_on": date(2024, 2, 10), "ends_on": date(2024, 2, 12), "reason": "春节"},
        )
    assert "starts_on" in error.value.fields
    with pytest.raises(ApplicationError) as error:
        services.calendar_exception_create(
            actor=users["jian"],
            venue=jian,
            data={"starts_on": date(2024, 3, 10), "ends_on": date(2024, 3, 1), "reason": "倒序"},
        )
    assert "ends_on" in error.value.fields


def test_deleting_a_closure_is_audited_with_what_it_was(
    users: dict[str, User], jian: Venue
) -> None:
    closure = jian.calendar_exceptions.get(starts_on=date(2024, 7, 28))
    services.calendar_exception_delete(actor=users["jian-staff"], exception=closure)
    entry = AuditEntry.objects.filter(action="calendar_exception.delete").latest("id")
    assert entry.before["reason"] == "暴雨红色预警，防汛闭馆" and entry.after is None
    assert entry.actor_name == "jian-staff"


def test_organisation_year_is_recorded_then_corrected(users: dict[str, User], xian: Venue) -> None:
    organisation = xian.organisation
    assert organisation is not None
    record = services.organisation_year_save(
        actor=users["xian"],
        organisation=organisation,
        year=2025,
        data={"assets_start_cny": Decimal(592_700), "headcount": 33},
    )
    services.organisation_year_save(
        actor=users["xian"], organisation=organisation, year=2025, data={"headcount": 34}
    )
    record.refresh_from_db()
    assert record.headcount == 34
    assert OrganisationYear.objects.filter(organisation=organisation, year=2025).count() == 1
    assert audit_for(record, "organisation_year.update").before == {"headcount": 33}
    with pytest.raises(PermissionDeniedError):
        services.organisation_year_save(
            actor=users["xian-volunteers"], organisation=organisation, year=2025, data={}
        )


def test_organisation_of_another_venue_is_not_found(users: dict[str, User], xian: Venue) -> None:
    with pytest.raises(NotFoundError):
        services.organisation_update(
            actor=users["jian"],
            organisation=xian.organisation,
            data={"sponsor": "x"},  # type: ignore[arg-type]
        )


def test_membership_rules(
    users: dict[str, User], alliances: dict[str, Alliance], jian: Venue, xian: Venue
) -> None:
    northeast = alliances["东北联盟"]
    with pytest.raises(ConflictError):
        services.membership_add(
            actor=users["dongbei"],
            alliance=northeast,
            venue=jian,
            role="member",
            since=date(2024, 1, 1),
        )
    # A coordinator of another alliance cannot even see this one.
    with pytest.raises(NotFoundError):
        services.membership_add(
            actor=users["huanghe"],
            alliance=northeast,
            venue=xian,
            role="member",
            since=date(2024, 1, 1),
        )
    membership = services.membership_add(
        actor=users["dongbei"],
        alliance=northeast,
        venue=xian,
        role="council",
        since=date(2024, 1, 1),
    )
    assert membership.alliance == northeast
    entry = audit_for(membership, "membership.add")
    assert entry.alliance == northeast and entry.venue == xian


def test_an_alliance_cannot_contain_itself(
    users: dict[str, User], alliances: dict[str, Alliance]
) -> None:
    national = alliances["现代科技馆体系"]
    with pytest.raises(ApplicationError) as error:
        services.alliance_update(
            actor=users["admin"], alliance=national, data={"parent": alliances["东北联盟"]}
        )
    assert "parent" in error.value.fields
    # Coordinators edit their alliance, but not where it sits in the national system.
    with pytest.raises(ApplicationError):
        services.alliance_update(
            actor=users["dongbei"], alliance=alliances["东北联盟"], data={"parent": None}
        )
    services.alliance_update(
        actor=users["dongbei"], alliance=alliances["东北联盟"], data={"region": "东北"}
    )


def test_organisation_names_are_unique(users: dict[str, User]) -> None:
    with pytest.raises(ApplicationError) as error:
        services.organisation_create(actor=users["admin"], data={"name": "西安市科学技术馆"})
    assert "name" in error.value.fields
    assert Organisation.objects.filter(name="西安市科学技术馆").count() == 1

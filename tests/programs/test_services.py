"""Programmes through the services: scope, validation, sign-up capacity, trips, joint actions,
and the demo's figures as the seed reports give them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from kepu.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from kepu.core.models import AuditEntry, User
from kepu.network.models import Alliance, Hall, Venue
from kepu.programs.models import (
    ActivityType,
    Campaign,
    CaravanTrip,
    PlaceKind,
    Registration,
    Session,
    SessionStatus,
)
from kepu.programs.selectors import (
    activity_get,
    activity_list,
    campaign_list,
    month_grid,
    programme_figures,
    vice_principal_coverage,
)
from kepu.programs.services.activities import (
    activity_create,
    activity_delete,
    session_cancel,
    session_create,
    session_record,
    session_update,
)
from kepu.programs.services.registry import (
    StopInput,
    campaign_create,
    campaign_report_create,
    caravan_create,
    trip_create,
)
from kepu.programs.services.signup import (
    SessionFull,
    SignUp,
    registration_attend,
    registration_cancel,
    registration_create,
    registration_find,
)

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def soon(days: int = 3) -> date:
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def lab(users: dict[str, User], jian: Venue) -> Any:
    """An activity of Ji'an with one session of 5 places open for sign-up."""
    activity = activity_create(
        actor=users["jian-staff"],
        venue=jian,
        data={"name": "测试实验课", "activity_type": ActivityType.SHOW, "audience": "families"},
    )
    session = session_create(
        actor=users["jian-staff"],
        activity=activity,
        data={
            "starts_at": at(soon(), 10),
            "ends_at": at(soon(), 11),
            "place_kind": PlaceKind.HALL,
            "hall": Hall.objects.filter(venue=jian).first(),
            "capacity": 5,
            "registration_open": True,
        },
    )
    return activity, session


def person(name: str = "张三", phone: str = PHONE, headcount: int = 1) -> SignUp:
    return SignUp(kind="person", name=name, phone=phone, headcount=headcount)


def test_staff_run_activities_only_at_their_venue(
    users: dict[str, User], jian: Venue, liaoning: Venue, xian: Venue, lab: Any
) -> None:
    activity, _session = lab
    assert AuditEntry.objects.filter(action="activity.create", target_id=str(activity.pk)).exists()
    with pytest.raises(NotFoundError):  # not theirs looks like nothing at all
        activity_create(
            actor=users["jian"], venue=liaoning, data={"name": "x", "activity_type": "show"}
        )
    with pytest.raises(NotFoundError):
        activity_get(user=users["liaoning"], venue_id=jian.pk, activity_id=activity.pk)
    with pytest.raises(PermissionDeniedError):  # reads Xi'an, runs no programmes there
        activity_create(
            actor=users["xian-volunteers"],
            venue=xian,
            data={"name": "x", "activity_type": "show"},
        )
    # The northeast coordinator reads Ji'an's programme, and changes nothing.
    assert activity_get(user=users["dongbei"], venue_id=jian.pk, activity_id=activity.pk)
    with pytest.raises(PermissionDeniedError):
        session_record(actor=users["dongbei"], session=lab[1], data={"participants": 3})


def test_sessions_say_clearly_what_is_wrong(
    users: dict[str, User], jian: Venue, liaoning: Venue, lab: Any
) -> None:
    activity, _session = lab
    other_hall = Hall.objects.filter(venue=liaoning).first()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"starts_at": at(soon(), 10), "place_kind": PlaceKind.HALL, "hall": other_hall}, "hall"),
        ({"starts_at": at(soon(), 10), "place_kind": PlaceKind.HALL}, "hall"),
        ({"starts_at": at(soon(), 10), "place_kind": PlaceKind.VILLAGE}, "place_name"),
        (
            {
                "starts_at": at(soon(), 10),
                "ends_at": at(soon(), 9),
                "place_kind": PlaceKind.VENUE,
            },
            "ends_at",
        ),
        (
            {"starts_at": at(soon(), 10), "place_kind": PlaceKind.VENUE, "registration_open": True},
            "capacity",
        ),
    ]
    before = Session.objects.count()
    for data, field in cases:
        with pytest.raises(ApplicationError) as error:
            session_create(actor=users["jian"], activity=activity, data=data)
        assert field in error.value.fields, (data, error.value.fields)
    assert Session.objects.count() == before


def test_sign_up_never_overbooks_and_a_retry_counts_once(users: dict[str, User], lab: Any) -> None:
    _activity, session = lab
    first = registration_create(session_id=session.pk, signup=person(), idempotency_key="k1")
    again = registration_create(session_id=session.pk, signup=person(), idempotency_key="k1")
    assert again.registration.pk == first.registration.pk and not again.created
    with pytest.raises(ConflictError) as error:  # the same mobile, a second time
        registration_create(session_id=session.pk, signup=person())
    assert error.value.code == "already_signed_up"
    registration_create(
        session_id=session.pk,
        signup=SignUp(
            kind="class",
            name="王老师",
            phone="13900001111",
            headcount=3,
            school_name="集安市第一小学",
            class_name="五年级二班",
        ),
    )
    with pytest.raises(SessionFull):
        registration_create(session_id=session.pk, signup=person("李四", "13700002222", 2))
    session.refresh_from_db()
    assert session.places_left == 1
    with pytest.raises(ConflictError):  # 4 are signed up
        session_update(actor=users["jian"], session=session, data={"capacity": 3})
    session_update(actor=users["jian"], session=session, data={"capacity": 8})
    session.refresh_from_db()
    assert session.places_left == 4


def test_sign_up_reports_every_mistake_and_cancels(users: dict[str, User], lab: Any) -> None:
    _activity, session = lab
    with pytest.raises(ApplicationError) as error:
        registration_create(
            session_id=session.pk,
            signup=SignUp(kind="class", name="", phone="12345", headcount=0),
        )
    assert set(error.value.fields) >= {"name", "phone", "headcount", "school_name", "class_name"}
    made = registration_create(session_id=session.pk, signup=person(headcount=2)).registration
    assert "张三" not in made.name_encrypted and made.name_masked != "张三"
    found = registration_find(reference=made.reference.lower(), phone="+86 138 1234 5678")
    registration_cancel(registration=found)
    session.refresh_from_db()
    assert session.places_left == 5
    with pytest.raises(ConflictError):
        registration_cancel(registration=found)
    again = registration_create(session_id=session.pk, signup=person()).registration
    registration_attend(actor=users["jian-staff"], registration=again, attended=1)
    with pytest.raises(ApplicationError):
        registration_attend(actor=users["jian-staff"], registration=again, attended=2)


def test_closed_and_past_sessions_take_no_sign_ups(users: dict[str, User], lab: Any) -> None:
    activity, session = lab
    past = session_create(
        actor=users["jian"],
        activity=activity,
        data={
            "starts_at": at(timezone.localdate() - timedelta(days=1), 10),
            "place_kind": PlaceKind.VENUE,
            "capacity": 10,
            "registration_open": True,
        },
    )
    with pytest.raises(ApplicationError) as error:
        registration_create(session_id=past.pk, signup=person())
    assert error.value.code == "closed"
    registration_create(session_id=session.pk, signup=person())
    session_cancel(actor=users["jian"], session=session, reason="暴雨停课")
    assert not Registration.objects.filter(session=session, status="confirmed").exists()
    with pytest.raises(ApplicationError):
        registration_create(session_id=session.pk, signup=person("李四", "13700002222"))
    with pytest.raises(NotFoundError):
        registration_create(session_id=999_999, signup=person())


def test_recorded_figures_keep_their_approximate_mark(
    users: dict[str, User], jian: Venue, lab: Any
) -> None:
    activity, session = lab
    day = timezone.localtime(session.starts_at).date()
    before = programme_figures(jian, day, day)
    assert before.sessions.value == 0  # planned sessions are not counted
    with pytest.raises(ConflictError):  # not held yet
        session_record(actor=users["jian-staff"], session=session, data={"participants": 3})
    with time_machine.travel(session.starts_at + timedelta(hours=2)):
        session_record(
            actor=users["jian-staff"],
            session=session,
            data={"participants": 1650, "participants_approximate": True, "st_workers": 4},
        )
    figures = programme_figures(jian, day, day)
    assert (figures.sessions.value, figures.participants.value) == (1, 1650)
    assert figures.participants.approximate and not figures.st_workers.approximate
    assert figures.by_type["show"][1].value == 1650
    with pytest.raises(ConflictError):  # it was held: its record stays
        activity_delete(actor=users["jian"], activity=activity)
    grid = month_grid(user=users["jian"], venue_id=jian.pk, year=day.year, month=day.month)
    assert any(session in found for week in grid.weeks for _day, found in week)
    listed = activity_list(user=users["jian"], venue_id=jian.pk, year=day.year, month=day.month)
    row = listed.get(pk=activity.pk)
    assert (row.held_count, row.participants_total, row.any_approximate) == (1, 1650, True)


def test_a_trip_and_its_stops_are_saved_together(users: dict[str, User], jian: Venue) -> None:
    caravan = caravan_create(actor=users["jian"], venue=jian, data={"name": "测试大篷车"})
    day = date(2025, 6, 3)
    trips = CaravanTrip.objects.count()
    with pytest.raises(ApplicationError) as error:
        trip_create(
            actor=users["jian-staff"],
            venue=jian,
            data={"caravan": caravan, "title": "t", "starts_on": day, "ends_on": day, "km": 40},
            stops=[
                StopInput(day=day, name="清河镇中心小学", people_served=200),
                StopInput(day=day + timedelta(days=2), name="", people_served=-1),
            ],
        )
    assert set(error.value.fields) == {
        "stops.1.day",
        "stops.1.name",
        "stops.1.people_served",
    }
    assert CaravanTrip.objects.count() == trips
    trip = trip_create(
        actor=users["jian-staff"],
        venue=jian,
        data={"caravan": caravan, "title": "t", "starts_on": day, "ends_on": day, "km": 40},
        stops=[StopInput(day=day, name="清河镇中心小学", people_served=200)],
    )
    assert trip.stops.get().people_served == 200
    figures = programme_figures(jian, day, day)
    assert (figures.caravan_trips.value, figures.caravan_km.value) == (1, Decimal(40))


def test_joint_actions_belong_to_their_organisers(
    users: dict[str, User], jian: Venue, xian: Venue
) -> None:
    northeast = Alliance.objects.get(name="东北三省一区科普场馆联盟")
    data = {
        "name": "东北联盟科普日联合行动",
        "year": 2025,
        "alliance": northeast,
        "starts_on": date(2025, 9, 1),
        "ends_on": date(2025, 9, 30),
    }
    with pytest.raises(PermissionDeniedError):
        campaign_create(actor=users["jian"], data=data)
    with pytest.raises(NotFoundError):
        campaign_create(actor=users["huanghe"], data=data)
    campaign = campaign_create(
        actor=users["dongbei"], data=data, themes=[(9, "同上一堂科学课", "")]
    )
    report = {"title": "集安参与", "starts_on": date(2025, 9, 20), "ends_on": date(2025, 9, 20)}
    campaign_report_create(actor=users["jian"], campaign=campaign, venue=jian, data=report)
    with pytest.raises(ApplicationError) as error:  # Xi'an is not in the northeast alliance
        campaign_report_create(actor=users["xian"], campaign=campaign, venue=xian, data=report)
    assert "campaign" in error.value.fields
    assert campaign in campaign_list(user=users["jian"])  # Ji'an is a member
    assert campaign not in campaign_list(user=users["xian"])


def test_the_demo_programme_matches_the_reports(
    users: dict[str, User], jian: Venue, liaoning: Venue
) -> None:
    ji = programme_figures(jian, date(2024, 1, 1), date(2024, 12, 31))
    by_type = {kind: (s.value, p.value, p.approximate) for kind, (s, p) in ji.by_type.items()}
    assert by_type["study_tour"] == (9, 1650, True)
    assert by_type["school_cooperation"] == (2, 60, False)
    assert by_type["caravan_visit"] == (10, 2000, True)
    assert by_type["safety_outreach"] == (11, 7000, True)
    assert (ji.theme_day_sessions.value, ji.theme_day_participants.value) == (3, 1080)
    assert (ji.st_workers.value, ji.st_workers.approximate) == (82, True)
    ln = programme_figures(liaoning, date(2023, 1, 1), date(2023, 12, 31))
    assert ln.sessions.value == 2800
    assert (ln.caravan_km.value, ln.caravan_people.value) == (Decimal(11000), 73200)
    assert ln.partner_schools.value == 330
    coverage = vice_principal_coverage(liaoning, date(2023, 12, 31))
    assert (coverage.appointed, coverage.eligible, coverage.percent) == (27, 27, Decimal("100.0"))
    joint = Campaign.objects.get(year=2024)
    assert [t.name for t in joint.themes.all()][:2] == ["珍惜资源", "梦想太空"]
    assert joint.themes.get(month=12).name_en == "Science Center of the People"
    assert Session.objects.filter(venue=jian, status=SessionStatus.PLANNED).exists()


def test_the_theme_days_command_adds_a_years_fixed_days_once() -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("theme-days", "--year", "2030", "--as", "admin", stdout=out)
    assert out.getvalue() == "已为 2030 年添加 11 个主题日。\n"  # Chinese unless --lang en
    call_command("theme-days", "--year", "2030", "--as", "admin", "--lang", "en", stdout=out)
    assert out.getvalue().endswith("0 theme days added for 2030.\n")
    with pytest.raises(CommandError):  # only national administrators keep the calendar
        call_command("theme-days", "--year", "2031", "--as", "jian", stdout=out)

"""Volunteers through the services: every lifecycle transition, eligibility, the training gate,
overlapping and full shifts, hours and stars, corrections, certificates, scopes, purge and the
figures for reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from kepu.core import crypto
from kepu.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from kepu.core.models import AuditEntry, User
from kepu.network.models import Venue
from kepu.network.opening import OpeningCalendar
from kepu.volunteers import selectors
from kepu.volunteers.models import (
    Application,
    ApplicationStatus,
    Assessment,
    AssignmentStatus,
    Category,
    Course,
    Drive,
    HoursCorrection,
    Post,
    Shift,
    ShiftStatus,
    Volunteer,
    VolunteerStatus,
)
from kepu.volunteers.services import people, recruitment, service, shifts, training
from kepu.volunteers.services.assessment import assessment_record, recognition_add
from kepu.volunteers.services.certificates import (
    certificate_issue,
    certificate_pdf,
    certificate_revoke,
    certificate_verify,
)
from kepu.volunteers.services.shifts import ShiftFull
from tests.visits.conftest import resident_id
from tests.volunteers.conftest import applicant, place

pytestmark = pytest.mark.django_db


def account_for(volunteer: Volunteer, username: str) -> User:
    """Give a volunteer a sign-in (as applying with an account does)."""
    user = User.objects.create(username=username)
    Volunteer.objects.filter(pk=volunteer.pk).update(user=user)
    volunteer.user = user
    return user


def serve(
    coordinator: User, volunteer: Volunteer, shift: Shift, post: Post, tours: int = 0
) -> None:
    """Put a volunteer on a past shift and record the whole shift served."""
    assignment = shifts.shift_assign(
        actor=coordinator, volunteer=volunteer, shift_post=place(shift, post)
    )
    service.assignment_record(
        actor=coordinator,
        assignment=assignment,
        checked_in_at=shift.starts_at,
        checked_out_at=shift.ends_at,
        tours=tours,
    )


# Recruitment -------------------------------------------------------------------------------------


def test_an_application_is_validated_encrypted_masked_and_audited(drive: Drive) -> None:
    result = recruitment.application_submit(drive_id=drive.pk, applicant=applicant(501))
    application = result.application
    assert result.created and application.status == ApplicationStatus.PENDING
    assert application.name_masked == "测" + "*" * 7
    assert application.phone_masked == "139****0501"
    assert application.id_masked.startswith("6101") and "*" in application.id_masked
    assert "测试志愿者501" not in application.name_encrypted
    assert crypto.decrypt(application.id_encrypted) == resident_id(501, date(1990, 5, 17), "610113")
    assert application.agreement_text == drive.agreement
    entry = AuditEntry.objects.get(action="volunteer_application.submit", target_id=application.pk)
    assert "name_encrypted" not in (entry.after or {}) and "id_hash" not in (entry.after or {})


def test_every_problem_is_reported_on_its_field_and_nothing_is_saved(drive: Drive) -> None:
    bad = applicant(
        502,
        person={"id_number": "610113199005175020", "phone": "12345"},
        availability=[],
        agreed=False,
    )
    before = Application.objects.count()
    with pytest.raises(ApplicationError) as caught:
        recruitment.application_submit(drive_id=drive.pk, applicant=bad)
    assert {"id_number", "phone", "availability", "agreed"} <= set(caught.value.fields)
    assert Application.objects.count() == before


@pytest.mark.parametrize(
    ("category", "born", "field"),
    [
        (Category.PUBLIC, date(2015, 1, 1), "birth_date"),  # too young for an individual
        (Category.PUBLIC, date(1940, 1, 1), "birth_date"),  # older than 70
        (Category.LITTLE, date(2005, 1, 1), "birth_date"),  # not 8 to 11
    ],
)
def test_age_rules(drive: Drive, category: str, born: date, field: str) -> None:
    with pytest.raises(ApplicationError) as caught:
        recruitment.application_submit(
            drive_id=drive.pk, applicant=applicant(503, category=category, born=born)
        )
    assert field in caught.value.fields


def test_a_minor_needs_a_guardian_and_their_consent(drive: Drive) -> None:
    today = timezone.localdate()
    born = date(today.year - 10, 1, 15)
    with pytest.raises(ApplicationError) as caught:
        recruitment.application_submit(
            drive_id=drive.pk, applicant=applicant(504, category=Category.LITTLE, born=born)
        )
    assert {"guardian_name", "guardian_phone", "guardian_consent"} <= set(caught.value.fields)
    with_guardian = applicant(
        504,
        category=Category.LITTLE,
        born=born,
        person={"guardian_name": "家长甲", "guardian_phone": "13900000504"},
        guardian_consent=True,
    )
    application = recruitment.application_submit(
        drive_id=drive.pk, applicant=with_guardian
    ).application
    assert application.guardian_name_masked == "家**" and application.guardian_consent


def test_students_apply_through_a_partner_college(drive: Drive) -> None:
    with pytest.raises(ApplicationError) as caught:
        recruitment.application_submit(
            drive_id=drive.pk,
            applicant=applicant(505, category=Category.STUDENT, born=date(2004, 3, 3)),
        )
    assert "college" in caught.value.fields
    college = drive.colleges.first()
    assert college is not None
    student = applicant(
        505, category=Category.STUDENT, born=date(2004, 3, 3), college_id=college.pk
    )
    assert (
        recruitment.application_submit(drive_id=drive.pk, applicant=student).application.college
        == college
    )


def test_one_open_application_per_person_and_retries_count_once(drive: Drive) -> None:
    first = recruitment.application_submit(
        drive_id=drive.pk, applicant=applicant(506), idempotency_key="k-506"
    )
    again = recruitment.application_submit(
        drive_id=drive.pk, applicant=applicant(506), idempotency_key="k-506"
    )
    assert again.application == first.application and not again.created
    with pytest.raises(ConflictError) as caught:
        recruitment.application_submit(drive_id=drive.pk, applicant=applicant(506))
    assert caught.value.code == "already_applied"


def test_applying_creates_a_sign_in(drive: Drive) -> None:
    result = recruitment.application_submit(
        drive_id=drive.pk,
        applicant=applicant(507),
        account=recruitment.AccountInput("new.volunteer507", "a-Long-secret-507"),
    )
    user = result.application.user
    assert user is not None and user.check_password("a-Long-secret-507")
    with pytest.raises(ApplicationError) as caught:
        recruitment.application_submit(
            drive_id=drive.pk,
            applicant=applicant(508),
            account=recruitment.AccountInput("NEW.volunteer507", "123"),
        )
    assert {"username", "password"} <= set(caught.value.fields)


def test_a_closed_or_draft_drive_takes_no_applications(
    coordinator: User, drive: Drive, xian: Venue
) -> None:
    recruitment.drive_set_status(actor=coordinator, drive=drive, status=Drive.Status.CLOSED)
    with pytest.raises(ApplicationError) as caught:
        recruitment.application_submit(drive_id=drive.pk, applicant=applicant(509))
    assert caught.value.code == "closed"
    draft = recruitment.drive_create(
        actor=coordinator,
        venue=xian,
        data={
            "title": "草稿招募",
            "categories": ["public"],
            "places": 5,
            "opens_on": timezone.localdate(),
            "closes_on": timezone.localdate(),
        },
    )
    with pytest.raises(NotFoundError):
        recruitment.application_submit(drive_id=draft.pk, applicant=applicant(509))


def test_pending_interviewed_accepted(coordinator: User, drive: Drive) -> None:
    application = recruitment.application_submit(
        drive_id=drive.pk, applicant=applicant(510)
    ).application
    with pytest.raises(ConflictError) as caught:
        recruitment.application_accept(actor=coordinator, application=application)
    assert caught.value.code == "wrong_stage"
    application = recruitment.application_interview(
        actor=coordinator, application=application, interviewed_at=timezone.now(), score=90
    )
    assert application.status == ApplicationStatus.INTERVIEWED
    volunteer = recruitment.application_accept(actor=coordinator, application=application)
    application.refresh_from_db()
    today = timezone.localdate()
    assert application.status == ApplicationStatus.ACCEPTED and application.decided_at
    assert volunteer.status == VolunteerStatus.PROBATION
    assert volunteer.number.startswith(str(today.year)) and len(volunteer.number) == 8
    assert volunteer.probation_until == today + timedelta(days=90)
    assert volunteer.name_masked == application.name_masked
    assert volunteer.id_hash == application.id_hash
    with pytest.raises(ConflictError):
        recruitment.application_reject(actor=coordinator, application=application, reason="迟了")


def test_rejection_needs_a_reason_and_withdrawal_is_the_applicants(
    coordinator: User, drive: Drive
) -> None:
    application = recruitment.application_submit(
        drive_id=drive.pk,
        applicant=applicant(511),
        account=recruitment.AccountInput("applicant511", "a-Long-secret-511"),
    ).application
    with pytest.raises(ApplicationError):
        recruitment.application_reject(actor=coordinator, application=application, reason=" ")
    with pytest.raises(NotFoundError):
        recruitment.application_withdraw(actor=coordinator, application=application)
    assert application.user is not None
    withdrawn = recruitment.application_withdraw(actor=application.user, application=application)
    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    other = recruitment.application_submit(drive_id=drive.pk, applicant=applicant(512)).application
    rejected = recruitment.application_reject(
        actor=coordinator, application=other, reason="岗位已满"
    )
    assert rejected.status == ApplicationStatus.REJECTED and rejected.decision_reason == "岗位已满"


def test_a_drive_accepts_no_more_than_its_places(
    coordinator: User, drive: Drive, enrol: Callable[..., Volunteer]
) -> None:
    accepted = drive.applications.filter(status=ApplicationStatus.ACCEPTED).count()
    Drive.objects.filter(pk=drive.pk).update(places=accepted + 1)
    enrol(513)
    with pytest.raises(ConflictError) as caught:
        enrol(514)
    assert caught.value.code == "drive_full"


# Probation, appointment, suspension, exit --------------------------------------------------------


def test_appointment_needs_the_probation_targets_or_a_waiver(
    coordinator: User,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
) -> None:
    volunteer = enrol(520)
    with pytest.raises(ConflictError) as caught:
        people.volunteer_appoint(actor=coordinator, volunteer=volunteer)
    assert caught.value.code == "probation_not_met"
    people.settings_update(
        actor=coordinator, venue=volunteer.venue, data={"probation_hours": 3, "probation_tours": 0}
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    Volunteer.objects.filter(pk=volunteer.pk).update(joined_on=yesterday - timedelta(days=1))
    volunteer.refresh_from_db()
    serve(coordinator, volunteer, make_shift(posts["guidance"], day=yesterday), posts["guidance"])
    appointed = people.volunteer_appoint(actor=coordinator, volunteer=volunteer)
    assert appointed.status == VolunteerStatus.ACTIVE and appointed.appointed_on
    other = enrol(521)
    waived = people.volunteer_appoint(
        actor=coordinator, volunteer=other, waiver_reason="资深科技工作者"
    )
    assert waived.status == VolunteerStatus.ACTIVE and "资深科技工作者" in waived.note


def test_suspension_and_reinstatement(
    coordinator: User,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
) -> None:
    volunteer = enrol(522)
    shift = make_shift(posts["guidance"], places=1)
    shifts.shift_assign(
        actor=coordinator, volunteer=volunteer, shift_post=place(shift, posts["guidance"])
    )
    suspended = people.volunteer_suspend(
        actor=coordinator, volunteer=volunteer, reason="多次无故缺席"
    )
    assert suspended.status == VolunteerStatus.SUSPENDED
    assert place(shift, posts["guidance"]).places_left == 1  # the coming shift given back
    with pytest.raises(ConflictError) as caught:
        shifts.shift_assign(
            actor=coordinator, volunteer=suspended, shift_post=place(shift, posts["guidance"])
        )
    assert caught.value.code == "not_serving"
    reinstated = people.volunteer_reinstate(actor=coordinator, volunteer=suspended)
    assert reinstated.status == VolunteerStatus.PROBATION


def test_a_volunteer_leaves_and_their_record_stays(
    coordinator: User,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
) -> None:
    volunteer = enrol(523)
    user = account_for(volunteer, "leaver523")
    shift = make_shift(posts["guidance"], places=2)
    shifts.shift_assign(
        actor=coordinator, volunteer=volunteer, shift_post=place(shift, posts["guidance"])
    )
    with pytest.raises(ApplicationError):
        people.volunteer_exit(actor=user, volunteer=volunteer, kind="removed", reason="x")
    left = people.volunteer_exit(actor=user, volunteer=volunteer, kind="left")
    assert left.status == VolunteerStatus.LEFT and left.left_on == timezone.localdate()
    assert place(shift, posts["guidance"]).places_left == 2
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()
    other = enrol(524)
    with pytest.raises(ApplicationError):
        people.volunteer_exit(actor=coordinator, volunteer=other, kind="removed")
    removed = people.volunteer_exit(
        actor=coordinator, volunteer=other, kind="removed", reason="违反志愿者协议"
    )
    assert removed.status == VolunteerStatus.REMOVED and removed.exit_reason == "违反志愿者协议"


# Training gate, overlaps, places -----------------------------------------------------------------


def test_the_training_gate(
    coordinator: User,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
) -> None:
    explainer = posts["explainer"]
    assert explainer.required_course is not None
    volunteer = enrol(530)
    user = account_for(volunteer, "trainee530")
    shift = make_shift(explainer)
    with pytest.raises(ConflictError) as caught:
        shifts.shift_sign_up(
            actor=user, volunteer=volunteer, shift_post_id=place(shift, explainer).pk
        )
    assert caught.value.code == "training_required"
    course = explainer.required_course
    training.training_record(
        actor=coordinator,
        course=course,
        volunteers=[volunteer],
        completed_on=timezone.localdate() - timedelta(days=800),
    )
    with pytest.raises(ConflictError):  # valid for 24 months only: expired
        shifts.shift_sign_up(
            actor=user, volunteer=volunteer, shift_post_id=place(shift, explainer).pk
        )
    training.training_record(
        actor=coordinator, course=course, volunteers=[volunteer], completed_on=timezone.localdate()
    )
    result = shifts.shift_sign_up(
        actor=user, volunteer=volunteer, shift_post_id=place(shift, explainer).pk
    )
    assert result.created and result.assignment.status == AssignmentStatus.SIGNED_UP


def test_a_volunteer_cannot_hold_overlapping_shifts(
    enrol: Callable[..., Volunteer], posts: dict[str, Post], make_shift: Callable[..., Shift]
) -> None:
    volunteer = enrol(531)
    user = account_for(volunteer, "busy531")
    guidance = posts["guidance"]
    morning = make_shift(guidance, start=9, end=12)
    overlapping = make_shift(posts["activity"], start=11, end=14)
    afternoon = make_shift(guidance, start=12, end=15)  # starts as the morning ends
    shifts.shift_sign_up(actor=user, volunteer=volunteer, shift_post_id=place(morning, guidance).pk)
    with pytest.raises(ConflictError) as caught:
        shifts.shift_sign_up(
            actor=user, volunteer=volunteer, shift_post_id=place(overlapping, posts["activity"]).pk
        )
    assert caught.value.code == "overlap"
    assert place(overlapping, posts["activity"]).places_left == 2
    shifts.shift_sign_up(
        actor=user, volunteer=volunteer, shift_post_id=place(afternoon, guidance).pk
    )


def test_a_full_shift_refuses_and_a_retry_counts_once(
    enrol: Callable[..., Volunteer], posts: dict[str, Post], make_shift: Callable[..., Shift]
) -> None:
    guidance = posts["guidance"]
    shift = make_shift(guidance, places=1)
    first, second = enrol(532), enrol(533)
    first_user, second_user = account_for(first, "first532"), account_for(second, "second533")
    entry = place(shift, guidance)
    made = shifts.shift_sign_up(
        actor=first_user, volunteer=first, shift_post_id=entry.pk, idempotency_key="x1"
    )
    again = shifts.shift_sign_up(
        actor=first_user, volunteer=first, shift_post_id=entry.pk, idempotency_key="x1"
    )
    assert again.assignment == made.assignment and not again.created
    with pytest.raises(ShiftFull):
        shifts.shift_sign_up(actor=second_user, volunteer=second, shift_post_id=entry.pk)
    shifts.assignment_cancel(actor=first_user, assignment=made.assignment)
    assert place(shift, guidance).places_left == 1
    shifts.shift_sign_up(actor=second_user, volunteer=second, shift_post_id=entry.pk)
    assert place(shift, guidance).places_left == 0


def test_only_the_volunteer_signs_themselves_up(
    coordinator: User,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
) -> None:
    volunteer, other = enrol(534), enrol(535)
    intruder = account_for(other, "other535")
    shift = make_shift(posts["guidance"])
    with pytest.raises(NotFoundError):
        shifts.shift_sign_up(
            actor=intruder, volunteer=volunteer, shift_post_id=place(shift, posts["guidance"]).pk
        )
    with pytest.raises(NotFoundError):
        shifts.shift_sign_up(
            actor=coordinator, volunteer=volunteer, shift_post_id=place(shift, posts["guidance"]).pk
        )


def test_a_cancelled_shift_cancels_its_sign_ups_and_places_never_drop_below_taken(
    coordinator: User,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
) -> None:
    guidance = posts["guidance"]
    shift = make_shift(guidance, places=3)
    volunteer = enrol(536)
    assignment = shifts.shift_assign(
        actor=coordinator, volunteer=volunteer, shift_post=place(shift, guidance)
    )
    shifts.shift_assign(actor=coordinator, volunteer=enrol(537), shift_post=place(shift, guidance))
    with pytest.raises(ConflictError):
        shifts.shift_set_places(actor=coordinator, shift=shift, post=guidance, places=1)
    assert (
        shifts.shift_set_places(actor=coordinator, shift=shift, post=guidance, places=2).places_left
        == 0
    )
    cancelled = shifts.shift_cancel(actor=coordinator, shift=shift, reason="闭馆")
    assignment.refresh_from_db()
    assert cancelled.status == ShiftStatus.CANCELLED
    assert assignment.status == AssignmentStatus.CANCELLED


def test_patterns_make_shifts_on_open_days_only_and_once(
    coordinator: User, xian: Venue, posts: dict[str, Post]
) -> None:
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    pattern = shifts.pattern_create(
        actor=coordinator,
        venue=xian,
        pattern=shifts.PatternInput(
            title="晚班",
            weekdays=[1, 2, 3],
            starts_at=time(17),
            ends_at=time(19),
            valid_from=monday,
            valid_until=None,
            places={posts["guidance"]: 2},
        ),
    )
    week = (monday, monday + timedelta(days=6))
    made = shifts.shifts_generate(actor=coordinator, pattern=pattern, start=week[0], end=week[1])
    calendar = OpeningCalendar.for_venue(xian, *week)
    expected = [
        monday + timedelta(days=n)
        for n in range(3)
        if calendar.day(monday + timedelta(days=n)).is_open
    ]
    assert sorted(timezone.localtime(s.starts_at).date() for s in made) == expected
    assert monday not in expected or calendar.day(monday).holiday  # closed on Mondays
    assert all(place(s, posts["guidance"]).places_left == 2 for s in made)
    assert (
        shifts.shifts_generate(actor=coordinator, pattern=pattern, start=week[0], end=week[1]) == []
    )


# Service, hours, stars ---------------------------------------------------------------------------


def test_check_in_and_out_credit_the_minutes_of_the_shift(
    coordinator: User,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
) -> None:
    explainer = posts["explainer"]
    volunteer = enrol(540)
    training.training_record(
        actor=coordinator,
        course=explainer.required_course,
        volunteers=[volunteer],
        completed_on=timezone.localdate(),
    )
    shift = make_shift(explainer, start=9, end=12)
    assignment = shifts.shift_assign(
        actor=coordinator, volunteer=volunteer, shift_post=place(shift, explainer)
    )
    with pytest.raises(ConflictError) as caught:
        service.assignment_check_in(
            actor=coordinator, assignment=assignment, now=shift.starts_at - timedelta(hours=2)
        )
    assert caught.value.code == "too_early"
    service.assignment_check_in(
        actor=coordinator, assignment=assignment, now=shift.starts_at - timedelta(minutes=20)
    )
    done = service.assignment_check_out(
        actor=coordinator, assignment=assignment, tours=4, now=shift.ends_at + timedelta(minutes=30)
    )
    assert done.status == AssignmentStatus.COMPLETED
    assert done.minutes == 180 and done.hours == Decimal("3.0") and done.tours == 4


def test_the_desk_scans_the_volunteers_code_in_then_out(
    coordinator: User,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
    xian: Venue,
) -> None:
    volunteer = enrol(541)
    shift = make_shift(posts["guidance"], start=14, end=16)
    shifts.shift_assign(
        actor=coordinator, volunteer=volunteer, shift_post=place(shift, posts["guidance"])
    )
    code = service.qr_payload(volunteer)
    checked_in = service.desk_scan(
        actor=coordinator, venue=xian, code=code, now=shift.starts_at + timedelta(minutes=5)
    )
    assert checked_in.action == "check_in"
    checked_out = service.desk_scan(
        actor=coordinator, venue=xian, code=volunteer.number, now=shift.ends_at
    )
    assert checked_out.action == "check_out" and checked_out.assignment.minutes == 115
    with pytest.raises(NotFoundError):
        service.desk_scan(actor=coordinator, venue=xian, code=code[:-2] + "xx", now=shift.ends_at)


def test_no_shows_corrections_and_closing_past_shifts(
    coordinator: User,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
) -> None:
    guidance = posts["guidance"]
    yesterday = timezone.localdate() - timedelta(days=1)
    shift = make_shift(guidance, places=3, day=yesterday, start=9, end=12)
    absent, forgetful, marked = enrol(542), enrol(543), enrol(544)
    for volunteer in (absent, forgetful, marked):
        shifts.shift_assign(
            actor=coordinator, volunteer=volunteer, shift_post=place(shift, guidance)
        )
    forgot = forgetful.assignments.get()
    service.assignment_check_in(actor=coordinator, assignment=forgot, now=shift.starts_at)
    no_show = service.assignment_no_show(actor=coordinator, assignment=marked.assignments.get())
    assert no_show.status == AssignmentStatus.NO_SHOW
    call_command("close-volunteer-shifts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert absent.assignments.get().status == AssignmentStatus.NO_SHOW
    forgot.refresh_from_db()
    assert forgot.status == AssignmentStatus.COMPLETED and forgot.minutes == 180
    with pytest.raises(ApplicationError):
        service.assignment_correct(
            actor=coordinator, assignment=no_show, minutes=60, tours=0, reason=""
        )
    corrected = service.assignment_correct(
        actor=coordinator, assignment=no_show, minutes=90, tours=0, reason="签到机故障，现场已核实"
    )
    assert corrected.status == AssignmentStatus.COMPLETED and corrected.corrected
    correction = HoursCorrection.objects.get(assignment=no_show)
    assert (correction.minutes_before, correction.minutes_after) == (0, 90)
    entry = AuditEntry.objects.filter(
        action="volunteer_assignment.correct", target_id=no_show.pk
    ).get()
    assert entry.after is not None and entry.after["reason"] == "签到机故障，现场已核实"


def test_stars_follow_the_hours_with_the_venues_thresholds(
    coordinator: User,
    xian: Venue,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
) -> None:
    rules = selectors.settings_of(xian.pk)
    assert rules.star_thresholds == [100, 300, 600, 1000, 1500]
    assert [rules.stars_for(h * 60) for h in (99, 100, 299, 300, 1500, 2000)] == [0, 1, 1, 2, 5, 5]
    with pytest.raises(ApplicationError):
        people.settings_update(actor=coordinator, venue=xian, data={"star_2_hours": 50})
    people.settings_update(
        actor=coordinator,
        venue=xian,
        data={
            "star_1_hours": 2,
            "star_2_hours": 5,
            "star_3_hours": 8,
            "star_4_hours": 9,
            "star_5_hours": 10,
        },
    )
    volunteer = enrol(545)
    Volunteer.objects.filter(pk=volunteer.pk).update(
        joined_on=timezone.localdate() - timedelta(days=10)
    )
    for days in (2, 3):
        shift = make_shift(
            posts["guidance"], day=timezone.localdate() - timedelta(days=days), start=9, end=12
        )
        serve(coordinator, volunteer, shift, posts["guidance"])
    summary = selectors.volunteer_summary(volunteer)
    assert summary.total.hours == Decimal("6.0") and summary.stars == 2
    assert summary.next_star_hours == 8 and summary.hours_to_next_star == Decimal("2.0")


def test_yearly_assessment_and_renewal(coordinator: User, enrol: Callable[..., Volunteer]) -> None:
    volunteer = enrol(546)
    year = timezone.localdate().year
    with pytest.raises(ConflictError) as caught:
        assessment_record(
            actor=coordinator, volunteer=volunteer, year=year, rating="good", renew=True
        )
    assert caught.value.code == "renewal_not_met"
    renewed = assessment_record(
        actor=coordinator,
        volunteer=volunteer,
        year=year,
        rating="good",
        renew=True,
        override_reason="新加入",
    )
    assert renewed.renewed and renewed.minutes == 0
    other = enrol(547)
    assessment_record(actor=coordinator, volunteer=other, year=year, rating="fail", renew=False)
    other.refresh_from_db()
    assert (
        other.status == VolunteerStatus.LEFT and other.exit_kind == Volunteer.ExitKind.NOT_RENEWED
    )
    assert Assessment.objects.filter(volunteer=other, year=year, renewed=False).exists()
    praised = recognition_add(
        actor=coordinator,
        volunteer=volunteer,
        kind="commendation",
        title="优秀志愿者",
        reason="服务认真",
        awarded_on=timezone.localdate(),
    )
    assert praised.pk and volunteer.recognitions.count() == 1


# Certificates ------------------------------------------------------------------------------------


def test_certificates_are_issued_from_the_records_and_anyone_can_verify_them(
    coordinator: User,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
) -> None:
    volunteer = enrol(550)
    user = account_for(volunteer, "certified550")
    with pytest.raises(ConflictError) as caught:
        certificate_issue(actor=user, volunteer=volunteer)
    assert caught.value.code == "no_service"
    Volunteer.objects.filter(pk=volunteer.pk).update(
        joined_on=timezone.localdate() - timedelta(days=10)
    )
    volunteer.refresh_from_db()
    shift = make_shift(
        posts["guidance"], day=timezone.localdate() - timedelta(days=2), start=9, end=11
    )
    serve(coordinator, volunteer, shift, posts["guidance"])
    certificate = certificate_issue(actor=user, volunteer=volunteer)
    assert certificate.minutes == 120 and certificate.shifts == 1
    assert certificate.details["posts"][0]["name"] == posts["guidance"].name
    found = certificate_verify(certificate.code.lower().replace("-", " "))
    assert found == certificate and found.is_valid
    with pytest.raises(NotFoundError):
        certificate_verify("AAAA-BBBB-CCCC")
    stranger = enrol(551)
    with pytest.raises(NotFoundError):
        certificate_issue(actor=account_for(stranger, "stranger551"), volunteer=volunteer)
    revoked = certificate_revoke(actor=coordinator, certificate=certificate, reason="时长登记错误")
    assert not certificate_verify(certificate.code).is_valid and revoked.revoke_reason


def test_the_certificate_pdf_names_the_holder_and_carries_the_code(
    coordinator: User,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    volunteer = enrol(552)
    Volunteer.objects.filter(pk=volunteer.pk).update(
        joined_on=timezone.localdate() - timedelta(days=10)
    )
    volunteer.refresh_from_db()
    shift = make_shift(
        posts["guidance"], day=timezone.localdate() - timedelta(days=2), start=9, end=12
    )
    serve(coordinator, volunteer, shift, posts["guidance"])
    certificate = certificate_issue(actor=coordinator, volunteer=volunteer)
    pdf = certificate_pdf(
        actor=coordinator,
        certificate=certificate,
        verify_url="https://kepu.example/v/",
        language="zh-hans",
    )
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF") and certificate.code in text
    assert "测试志愿者552" in text and "3.0" in text
    assert AuditEntry.objects.filter(
        action="volunteer_certificate.download", target_id=certificate.pk
    ).exists()


# Scopes, personal data ---------------------------------------------------------------------------


def test_another_venues_coordinator_sees_not_found(
    users: dict[str, User], xian: Venue, jian: Venue, enrol: Callable[..., Volunteer]
) -> None:
    volunteer = enrol(560)
    with pytest.raises(NotFoundError):
        people.volunteer_suspend(actor=users["jian"], volunteer=volunteer, reason="x")
    with pytest.raises(NotFoundError):
        selectors.volunteer_get(user=users["jian"], venue_id=xian.pk, volunteer_id=volunteer.pk)
    with pytest.raises(NotFoundError):
        selectors.volunteer_list(user=users["xian-volunteers"], venue_id=jian.pk)
    with pytest.raises(NotFoundError):  # the right venue's id, the wrong volunteer
        selectors.volunteer_get(user=users["jian"], venue_id=jian.pk, volunteer_id=volunteer.pk)
    jian_volunteer = Volunteer.objects.filter(venue=jian).first()
    assert jian_volunteer is not None
    with pytest.raises(PermissionDeniedError):  # venue staff read the venue, not its volunteers
        people.volunteer_suspend(actor=users["jian-staff"], volunteer=jian_volunteer, reason="x")
    assert selectors.volunteer_list(user=users["jian"], venue_id=jian.pk).count() == 90


def test_revealing_personal_data_is_audited_with_its_reason(
    coordinator: User, enrol: Callable[..., Volunteer]
) -> None:
    volunteer = enrol(561)
    with pytest.raises(ApplicationError):
        people.person_reveal(actor=coordinator, person=volunteer, reason="")
    shown = people.person_reveal(actor=coordinator, person=volunteer, reason="购买志愿者保险")
    assert shown.name == "测试志愿者561" and shown.phone == "+8613900000561"
    entry = AuditEntry.objects.get(action="personal_data.reveal", target_id=volunteer.pk)
    assert entry.after == {"reason": "购买志愿者保险"}


def test_personal_data_is_purged_after_retention_and_the_record_stays(
    coordinator: User,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
    drive: Drive,
) -> None:
    volunteer = enrol(562)
    Volunteer.objects.filter(pk=volunteer.pk).update(
        joined_on=timezone.localdate() - timedelta(days=10)
    )
    volunteer.refresh_from_db()
    shift = make_shift(posts["guidance"], day=timezone.localdate() - timedelta(days=2))
    serve(coordinator, volunteer, shift, posts["guidance"])
    certificate = certificate_issue(actor=coordinator, volunteer=volunteer)
    people.volunteer_exit(actor=coordinator, volunteer=volunteer, kind="left")
    declined = recruitment.application_submit(
        drive_id=drive.pk, applicant=applicant(563)
    ).application
    recruitment.application_reject(actor=coordinator, application=declined, reason="不符合")
    later = timezone.now() + timedelta(days=1200)
    result = people.personal_data_purge(now=later)
    assert result.volunteers >= 1 and result.applications >= 2
    volunteer.refresh_from_db()
    assert (
        volunteer.name_encrypted == ""
        and volunteer.id_hash is None
        and volunteer.phone_masked == ""
    )
    assert volunteer.name_masked  # the masked name and number stay with the record
    assert selectors.volunteer_summary(volunteer).total.minutes == 180
    assert certificate_verify(certificate.code).holder_name_masked == volunteer.name_masked
    declined.refresh_from_db()
    assert declined.personal_data_purged_at is not None and declined.name_encrypted == ""


# Figures for reports -----------------------------------------------------------------------------


def test_figures_are_computed_from_the_records(
    coordinator: User,
    xian: Venue,
    enrol: Callable[..., Volunteer],
    posts: dict[str, Post],
    make_shift: Callable[..., Shift],
) -> None:
    today = timezone.localdate()
    start = end = today - timedelta(days=2)
    before = selectors.volunteer_figures([xian.pk], start, end)
    expert = enrol(570, category=Category.EXPERT, organisation="西北工业大学")
    Volunteer.objects.filter(pk=expert.pk).update(joined_on=today - timedelta(days=10))
    expert.refresh_from_db()
    shift = make_shift(posts["guidance"], day=start, start=14, end=16)
    serve(coordinator, expert, shift, posts["guidance"])
    after = selectors.volunteer_figures([xian.pk], start, end)
    assert after["volunteer_hours"] - before["volunteer_hours"] == Decimal("2.0")
    assert after["experts_mobilised"] == before["experts_mobilised"] + 1
    assert after["volunteers_active"] == before["volunteers_active"] + 1
    assert after["volunteer_service_times"] == before["volunteer_service_times"] + 1
    year = selectors.volunteer_figures([xian.pk], date(today.year, 1, 1), date(today.year, 12, 31))
    assert year["volunteers_new"] >= 1 and isinstance(year["volunteer_hours"], Decimal)


def test_the_demo_gives_jian_its_90_part_time_volunteers_and_xian_its_teams(
    jian: Venue, xian: Venue
) -> None:
    assert Volunteer.objects.filter(venue=jian, status__in=["probation", "active"]).count() == 90
    assert xian.volunteer_teams.count() == 6
    pipeline = selectors.pipeline(xian.pk)
    assert sum(pipeline.values()) >= 200 and all(
        pipeline[stage] for stage in ("pending", "interviewed", "accepted", "rejected")
    )
    colleges = set(
        Application.objects.filter(venue=xian, college__isnull=False).values_list(
            "college", flat=True
        )
    )
    assert len(colleges) == 11
    today = timezone.localdate()
    month = selectors.volunteer_figures([xian.pk], today - timedelta(days=30), today)
    assert month["volunteer_hours"] > 0 and month["volunteers_active"] > 0
    assert Course.objects.filter(venue=xian).count() == 2

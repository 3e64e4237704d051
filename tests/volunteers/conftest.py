"""A volunteer programme to test with: 西安市科学技术馆's demo drive, posts and courses, and a
factory that takes a person through application, interview and acceptance (services only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from kepu.core.models import User
from kepu.network.models import Venue
from kepu.volunteers.models import Category, Drive, Post, Shift, ShiftPost, Volunteer
from kepu.volunteers.services.common import PersonInput
from kepu.volunteers.services.recruitment import (
    ApplicantInput,
    application_accept,
    application_interview,
    application_submit,
)
from kepu.volunteers.services.shifts import shift_create
from tests.visits.conftest import resident_id

COORDINATOR = "xian-volunteers"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def applicant(
    serial: int,
    *,
    category: str = Category.PUBLIC,
    born: date = date(1990, 5, 17),
    region: str = "610113",
    **changes: Any,
) -> ApplicantInput:
    """A valid applicant (number ``serial`` gives a distinct ID and mobile number)."""
    person = {
        "name": f"测试志愿者{serial}",
        "id_type": "resident_id",
        "id_number": resident_id(serial, born, region),
        "phone": f"139{serial:08d}",
        **changes.pop("person", {}),
    }
    return ApplicantInput(
        category=category,
        person=PersonInput(**person),
        organisation=changes.pop("organisation", "西安市某社区"),
        availability=changes.pop("availability", ["weekend_am"]),
        agreed=changes.pop("agreed", True),
        **changes,
    )


@pytest.fixture
def coordinator(users: dict[str, User]) -> User:
    return users[COORDINATOR]


@pytest.fixture
def drive(xian: Venue) -> Drive:
    """The demo's open drive of this year (students, public, experts, little volunteers)."""
    return Drive.objects.get(venue=xian, status=Drive.Status.OPEN)


@pytest.fixture
def posts(xian: Venue) -> dict[str, Post]:
    """展品讲解员 (needs the explainer course), 观众引导, 活动助理."""
    return {post.kind: post for post in Post.objects.filter(venue=xian)}


@pytest.fixture
def enrol(coordinator: User, drive: Drive) -> Callable[..., Volunteer]:
    """enrol(serial) → a new volunteer on probation, through the services."""

    def make(serial: int, **changes: Any) -> Volunteer:
        result = application_submit(drive_id=drive.pk, applicant=applicant(serial, **changes))
        application = result.application
        application_interview(
            actor=coordinator,
            application=application,
            interviewed_at=timezone.now() - timedelta(hours=1),
            score=85,
        )
        return application_accept(actor=coordinator, application=application)

    return make


@pytest.fixture
def make_shift(coordinator: User, xian: Venue) -> Callable[..., Shift]:
    """make_shift(post, places, day=…, start=9, end=12) → a one-off shift of Xi'an."""

    def make(
        post: Post, places: int = 2, *, day: date | None = None, start: int = 9, end: int = 12
    ) -> Shift:
        day = day or timezone.localdate() + timedelta(days=3)
        return shift_create(
            actor=coordinator,
            venue=xian,
            data={"title": "测试班", "starts_at": at(day, start), "ends_at": at(day, end)},
            places={post: places},
        )

    return make


def place(shift: Shift, post: Post) -> ShiftPost:
    return ShiftPost.objects.get(shift=shift, post=post)

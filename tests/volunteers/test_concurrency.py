"""A shift's places are never overfilled, a volunteer never holds overlapping shifts, and a
retried sign-up counts once — under concurrent requests, on SQLite (serialised writers) and on
PostgreSQL (row locks; `make test` runs both)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from kepu.core.errors import ConflictError
from kepu.core.models import User
from kepu.network.models import Division, Venue
from kepu.volunteers.models import Assignment, Post, Shift, ShiftPost, Volunteer
from kepu.volunteers.services.shifts import ShiftFull, shift_sign_up
from tests.visits.test_concurrency import run_parallel

pytestmark = pytest.mark.django_db(transaction=True)


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def make_venue() -> tuple[Venue, Post]:
    division = Division.objects.get_or_create(
        code="610103", defaults={"name": "碑林区", "level": "county"}
    )[0]
    venue = Venue.objects.create(
        name="并发志愿馆", kind="museum", level="prefecture", division=division
    )
    return venue, Post.objects.create(venue=venue, name="观众引导", kind="guidance")


def make_shift(venue: Venue, post: Post, places: int, start: int = 9, end: int = 12) -> ShiftPost:
    day = timezone.localdate() + timedelta(days=2)
    shift = Shift.objects.create(
        venue=venue, title="并发班", starts_at=at(day, start), ends_at=at(day, end)
    )
    return ShiftPost.objects.create(
        venue=venue, shift=shift, post=post, places=places, places_left=places
    )


def make_volunteers(venue: Venue, count: int) -> list[tuple[User, Volunteer]]:
    made = []
    for serial in range(count):
        user = User.objects.create(username=f"concurrent{serial}")
        volunteer = Volunteer.objects.create(
            venue=venue,
            user=user,
            number=f"C{serial:04d}",
            category="public",
            status="active",
            joined_on=timezone.localdate() - timedelta(days=100),
            name_masked=f"并{serial}",
        )
        made.append((user, volunteer))
    return made


def attempt(user: User, volunteer: Volunteer, entry: ShiftPost, key: str | None = None) -> Any:
    try:
        result = shift_sign_up(
            actor=user, volunteer=volunteer, shift_post_id=entry.pk, idempotency_key=key
        )
        return ("ok", result.assignment.pk, result.created)
    except ShiftFull:
        return ("full",)
    except ConflictError as error:
        return ("refused", error.code)


def test_parallel_sign_ups_fill_the_post_exactly() -> None:
    venue, post = make_venue()
    entry = make_shift(venue, post, places=5)
    people = make_volunteers(venue, 20)
    results = run_parallel(
        [lambda u=user, v=volunteer: attempt(u, v, entry) for user, volunteer in people]
    )
    entry.refresh_from_db()
    signed = [r for r in results if r[0] == "ok"]
    assert len(signed) == 5 and entry.places_left == 0
    assert sum(1 for r in results if r[0] == "full") == 15
    assert Assignment.objects.filter(shift_post=entry).count() == 5


def test_parallel_sign_ups_of_one_volunteer_never_overlap() -> None:
    venue, post = make_venue()
    entries = [make_shift(venue, post, places=3, start=9 + n % 3, end=12 + n % 3) for n in range(8)]
    [(user, volunteer)] = make_volunteers(venue, 1)
    results = run_parallel([lambda e=entry: attempt(user, volunteer, e) for entry in entries])
    assert sum(1 for r in results if r[0] == "ok") == 1
    assert {r[1] for r in results if r[0] == "refused"} == {"overlap"}
    assert Assignment.objects.filter(volunteer=volunteer).count() == 1
    assert (
        sum(3 - e.places_left for e in ShiftPost.objects.filter(pk__in=[e.pk for e in entries]))
        == 1
    )


def test_a_retried_sign_up_counts_once() -> None:
    venue, post = make_venue()
    entry = make_shift(venue, post, places=4)
    [(user, volunteer)] = make_volunteers(venue, 1)
    results = run_parallel([lambda: attempt(user, volunteer, entry, key="same") for _ in range(10)])
    assert {r[0] for r in results} == {"ok"}
    oks = [r for r in results if r[0] == "ok"]
    assert len({r[1] for r in oks}) == 1 and sum(1 for r in oks if r[2]) == 1
    entry.refresh_from_db()
    assert entry.places_left == 3

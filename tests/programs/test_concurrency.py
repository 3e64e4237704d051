"""A session's places are never overbooked, and a retried sign-up counts once, under concurrent
requests — on SQLite and on PostgreSQL (`make test` runs both)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from kepu.core.errors import ApplicationError
from kepu.network.models import Division, Venue
from kepu.programs.models import Activity, Registration, Session
from kepu.programs.services.signup import SessionFull, SignUp, registration_create
from tests.visits.test_concurrency import run_parallel

pytestmark = pytest.mark.django_db(transaction=True)


def make_session(places: int) -> Session:
    division = Division.objects.get_or_create(
        code="220582", defaults={"name": "集安市", "level": "county"}
    )[0]
    venue = Venue.objects.create(
        name="并发报名馆", kind="museum", level="county", division=division
    )
    activity = Activity.objects.create(venue=venue, name="实验课", activity_type="show")
    starts = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=2), time(10))
    )
    return Session.objects.create(
        venue=venue,
        activity=activity,
        starts_at=starts,
        place_kind="venue",
        capacity=places,
        places_left=places,
        registration_open=True,
    )


def attempt(session: Session, serial: int, headcount: int, key: str | None = None) -> Any:
    signup = SignUp(
        kind="person", name=f"报名{serial}", phone=f"1380000{serial:04d}", headcount=headcount
    )
    try:
        result = registration_create(session_id=session.pk, signup=signup, idempotency_key=key)
        return ("ok", result.registration.reference, headcount, result.created)
    except SessionFull:
        return ("full", headcount)
    except ApplicationError as error:
        return ("refused", error.code)


def test_parallel_sign_ups_fill_the_session_exactly() -> None:
    session = make_session(12)
    sizes = [1, 2, 3] * 10
    results = run_parallel([lambda i=i, n=n: attempt(session, i, n) for i, n in enumerate(sizes)])
    seated = sum(r[2] for r in results if r[0] == "ok")
    session.refresh_from_db()
    assert seated + session.places_left == 12 and session.places_left >= 0
    stored = set(
        Registration.objects.filter(session=session, status="confirmed").values_list(
            "reference", flat=True
        )
    )
    assert stored == {r[1] for r in results if r[0] == "ok"}
    refused = [r[1] for r in results if r[0] == "full"]
    assert refused and session.places_left < min(refused)


def test_a_retried_sign_up_counts_once() -> None:
    session = make_session(10)
    results = run_parallel([lambda: attempt(session, 1, 2, key="same-key") for _ in range(10)])
    assert {r[0] for r in results} == {"ok"} and len({r[1] for r in results}) == 1
    assert sum(1 for r in results if r[3]) == 1
    session.refresh_from_db()
    assert session.places_left == 8

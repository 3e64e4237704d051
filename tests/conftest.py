"""Shared fixtures: the demo network, loaded once per test session, and its users."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from kepu.core.models import User
from kepu.core.scopes import forget_scope
from kepu.demo.network import DEMO_PASSWORD
from kepu.network.models import Alliance, Venue
from kepu.visits.services.booking import forget_pool_ids


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Every test starts from the demo network (and rolls its own changes back)."""
    with django_db_blocker.unblock():
        call_command("demo", verbosity=0, stdout=io.StringIO())
    yield


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """The cache outlives each test's rolled-back transaction; start every test without it
    (and without the pool ids a process remembers: ids are reused once a test's rows are gone)."""
    cache.clear()
    forget_pool_ids()
    yield
    cache.clear()
    forget_pool_ids()


@pytest.fixture
def users(db: Any) -> dict[str, User]:
    found = {user.username: user for user in User.objects.all()}
    for user in found.values():
        forget_scope(user)
    return found


@pytest.fixture
def venues(db: Any) -> dict[str, Venue]:
    return {venue.name: venue for venue in Venue.objects.all()}


@pytest.fixture
def alliances(db: Any) -> dict[str, Alliance]:
    return {alliance.short_name: alliance for alliance in Alliance.objects.all()}


@pytest.fixture
def jian(venues: dict[str, Venue]) -> Venue:
    return venues["集安市科技馆"]


@pytest.fixture
def liaoning(venues: dict[str, Venue]) -> Venue:
    return venues["辽宁省科学技术馆"]


@pytest.fixture
def xian(venues: dict[str, Venue]) -> Venue:
    return venues["西安市科学技术馆"]


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


@pytest.fixture
def page_as(db: Any) -> Any:
    """page_as("jian") → a browser-like client signed in as that demo user."""
    return signed_in


@pytest.fixture
def api_as(db: Any) -> Any:
    def make(username: str | None) -> APIClient:
        client = APIClient()
        if username is not None:
            client.force_authenticate(User.objects.get(username=username))
        return client

    return make

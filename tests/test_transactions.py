"""On SQLite a request that only reads takes no write lock; one that may write does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import StateFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="PostgreSQL locks rows, not the database"
    ),
]


def begins(client, method, url, **data):
    """The BEGIN statements the request ran (the request's own transaction first)."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302), response
    return [q["sql"] for q in queries if q["sql"].startswith("BEGIN")]


@pytest.fixture
def clerk(client):
    client.force_login(UserFactory())
    return client


def test_a_page_that_only_reads_begins_without_the_write_lock(clerk):
    party = StateFactory()
    for url in (
        reverse("admin:registry_party_changelist"),
        reverse("admin:registry_party_change", args=[party.pk]),
    ):
        started = begins(clerk, "get", url)
        assert started, url
        assert set(started) == {"BEGIN"}, (url, started)


def test_a_request_that_may_write_takes_the_write_lock_when_it_begins(clerk):
    party = StateFactory()
    url = reverse("admin:registry_party_delete", args=[party.pk])
    assert begins(clerk, "post", url, post="yes")[0] == "BEGIN IMMEDIATE"
    # and the reading request before it left the configured mode in place
    assert connection.transaction_mode == "IMMEDIATE"

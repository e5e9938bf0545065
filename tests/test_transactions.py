"""On SQLite a request that only reads takes no write lock; one that may write does."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import StateFactory, UserFactory

ROOT = Path(__file__).resolve().parents[1]

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


FIRST_REQUEST = """
from django.db import connection
from django.test import Client

begun = set()

def record(execute, sql, params, many, context):
    if sql.startswith("BEGIN"):
        begun.add(sql)
    return execute(sql, params, many, context)

with connection.execute_wrapper(record):  # opens no connection, unlike capturing
    response = Client(HTTP_HOST="localhost").get("/admin/login/")
print(response.status_code, sorted(begun))
"""


def test_the_first_request_of_a_new_connection_reads_without_the_lock(tmp_path):
    """In a server each request opens its connection, which reads the transaction
    mode from the settings: the first request of a process shows it (the test
    database's connection, open all along, would not)."""
    shown = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", FIRST_REQUEST],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cica_admin.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        },
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == "200 ['BEGIN']"

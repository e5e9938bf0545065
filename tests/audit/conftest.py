import datetime
import zoneinfo

import pytest
from django.urls import reverse

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


def at(*args):
    """A moment of the site's calendar (Asia/Almaty)."""
    return datetime.datetime(*args, tzinfo=ALMATY)


def date_history(record, moment):
    """Move ``record``'s latest history row to ``moment``; returns the row."""
    row = record.history.order_by("-history_id").first()
    type(row).objects.filter(history_id=row.history_id).update(history_date=moment)
    row.refresh_from_db()
    return row


def audit_log(client, **params):
    return client.get(reverse("admin:audit_log"), params)


def shown(response):
    """``(model label, record id, verb)`` of each entry on the page, in order."""
    return [
        (entry.model._meta.label, entry.object_id, entry.verb)
        for entry in response.context["entries"]
    ]


@pytest.fixture
def auditor(db):
    """Staff who may read the audit log and the registry, not finance."""
    from tests.factories import reading, staff_with

    return staff_with(
        "view_audit_log",
        *reading("party", "standingchange", "meeting", "delegation", "document"),
    )


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client

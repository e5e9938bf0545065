import base64
import hashlib
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from meetings.models import Document

PAGES = [
    "admin:index",
    "admin:meetings_document_changelist",
    "admin:meetings_document_add",
    "admin:registry_party_changelist",
    "admin:reports",
    "admin:registry_party_import",
    "admin:registry_party_export",
]

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*(["'])(.*?)\1""", re.IGNORECASE)


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part)
    }


@pytest.fixture
def pages(clerk_client, cica_record):
    cache.clear()  # the dashboard's charts are cached; draw them for this record
    yield {name: clerk_client.get(reverse(name)) for name in PAGES}
    cache.clear()


def test_every_page_carries_the_policy_and_the_other_headers(pages):
    for name, response in pages.items():
        assert response.status_code == 200, name
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], name
        assert policy["default-src"] == ["'self'"], name
        assert policy["object-src"] == ["'none'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        assert "camera=()" in response["Permissions-Policy"], name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name


def test_the_dashboard_is_drawn_with_its_charts(pages):
    assert "<svg" in pages["admin:index"].content.decode()


def test_no_page_has_a_script_the_policy_would_block(pages):
    """Every script is a file from our origin; the only inline handler is the one
    whose hash the policy names (django-import-export's "select all" box)."""
    for name, response in pages.items():
        html = response.content.decode()
        assert not INLINE_SCRIPT.findall(html), name
        allowed = directives(response)["script-src-attr"]
        for _quote, handler in EVENT_HANDLER.findall(html):
            digest = base64.b64encode(hashlib.sha256(handler.encode()).digest())
            assert f"'sha256-{digest.decode()}'" in allowed, (name, handler)


def test_the_export_page_has_the_one_handler_the_policy_allows(pages):
    handlers = EVENT_HANDLER.findall(
        pages["admin:registry_party_export"].content.decode()
    )
    assert [handler for _quote, handler in handlers] == ["onSelectToggleChange(event)"]


def test_the_login_lockout_and_enrolment_pages_carry_the_policy_too(
    client, settings, db
):
    from tests.factories import UserFactory

    from .conftest import log_in

    settings.AXES_ENABLED = True
    settings.REQUIRE_2FA = True
    UserFactory(username="aigerim")
    login = client.get(reverse("admin:login"))
    assert directives(login)["script-src"] == ["'self'"]
    assert not INLINE_SCRIPT.findall(login.content.decode())
    log_in(client, "aigerim")
    enrolment = client.get(reverse("admin:two_factor"))
    assert enrolment.status_code == 200
    assert directives(enrolment)["script-src"] == ["'self'"]
    assert not INLINE_SCRIPT.findall(enrolment.content.decode())
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = log_in(client, "aigerim", "wrong")
    assert locked.status_code == 429
    assert directives(locked)["script-src"] == ["'self'"]


def test_a_pdf_may_open_in_the_browsers_viewer(clerk_client, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    document = Document(kind="statute", title="Statute")
    document.file.save("statute.pdf", ContentFile(b"%PDF-1.4 statute"), save=True)
    response = clerk_client.get(document.file.url)
    policy = directives(response)
    assert policy["object-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]

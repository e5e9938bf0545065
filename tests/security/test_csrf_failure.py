"""A form whose sign-in has been replaced is refused in the admin's words, not
Django's bare "CSRF verification failed", and nothing is saved."""

from django.test import Client
from django.urls import reverse

from tests.factories import StateFactory
from tests.helpers import form_data

from .conftest import PASSWORD


def sign_in(client):
    """Sign in as a browser does: the login page first, then its form."""
    login = reverse("admin:login")
    data = form_data(client.get(login), "login-form")
    data.update(username="aigerim", password=PASSWORD)
    assert client.post(login, data).status_code == 302


def test_a_form_opened_before_signing_in_again_is_refused_plainly(staff):
    state = StateFactory(note="as it was")
    client = Client(enforce_csrf_checks=True)
    sign_in(client)
    change = reverse("admin:registry_party_change", args=[state.pk])
    stale = form_data(client.get(change), "party_form")
    stale["note"] = "typed in the first tab"

    # The session ends and the clerk signs in again in another tab, which gives the
    # browser a new CSRF token.
    client.logout()
    sign_in(client)
    response = client.post(change, stale)

    assert response.status_code == 403
    page = response.content.decode()
    assert "Nothing was saved." in page
    assert "opened before you last signed in" in page
    assert "CSRF verification failed" not in page
    assert 'id="site-name"' in page  # the admin's own header, with the way home
    state.refresh_from_db()
    assert state.note == "as it was"


def test_a_form_sent_without_the_cookie_says_so(staff):
    client = Client(enforce_csrf_checks=True)
    sign_in(client)
    state = StateFactory()
    change = reverse("admin:registry_party_change", args=[state.pk])
    data = form_data(client.get(change), "party_form")
    del client.cookies["csrftoken"]

    page = client.post(change, data).content.decode()

    assert "did not send this site's security cookie" in page


def test_a_form_from_an_address_the_site_does_not_trust_is_for_the_administrator(
    staff,
):
    client = Client(enforce_csrf_checks=True)
    sign_in(client)
    state = StateFactory()
    change = reverse("admin:registry_party_change", args=[state.pk])
    data = form_data(client.get(change), "party_form")

    page = client.post(change, data, HTTP_ORIGIN="https://elsewhere.example").content

    assert b"tell the administrator" in page
    assert b"reload the page" not in page

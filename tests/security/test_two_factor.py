import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cica_admin.core.security import two_factor
from cica_admin.core.security.sessions import LOGIN_AT
from tests.factories import UserFactory

from .conftest import code_for, log_in, logged_in


def reaches_the_admin(client):
    return client.get(reverse("admin:index")).status_code == 200


def test_with_two_factor_off_a_password_opens_the_admin(client, staff):
    page = client.get(reverse("admin:login")).content.decode()
    assert 'name="otp_token"' not in page
    assert log_in(client, "aigerim").status_code == 302
    assert reaches_the_admin(client)


@pytest.mark.usefixtures("two_factor_on")
class TestRequired:
    def test_the_login_page_asks_for_the_code(self, client, db):
        page = client.get(reverse("admin:login")).content.decode()
        assert 'name="otp_token"' in page

    def test_a_password_alone_does_not_open_the_admin(self, client, enrolled):
        response = log_in(client, "aigerim")
        assert response.status_code == 200
        assert str(two_factor.CODE_REQUIRED) in response.content.decode()
        assert not logged_in(client)
        assert not reaches_the_admin(client)

    def test_a_forced_session_without_a_code_does_not_open_the_admin(
        self, client, enrolled
    ):
        client.force_login(enrolled)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    def test_password_and_code_open_the_admin(self, client, enrolled):
        device = TOTPDevice.objects.get(user=enrolled)
        assert log_in(client, "aigerim", code=code_for(device)).status_code == 302
        assert reaches_the_admin(client)

    def test_a_wrong_code_is_refused(self, client, enrolled):
        device = TOTPDevice.objects.get(user=enrolled)
        wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
        response = log_in(client, "aigerim", code=wrong)
        assert str(two_factor.CODE_WRONG) in response.content.decode()
        assert not logged_in(client)
        # Kept, so that guessing codes slows down (django-otp's throttle).
        device.refresh_from_db()
        assert device.throttling_failure_count == 1

    def test_a_code_is_accepted_only_once(self, client, enrolled):
        code = code_for(TOTPDevice.objects.get(user=enrolled))
        assert log_in(client, "aigerim", code=code).status_code == 302
        client.post(reverse("admin:logout"))
        assert not logged_in(client)

        replayed = log_in(client, "aigerim", code=code)
        assert replayed.status_code == 200
        assert str(two_factor.CODE_WRONG) in replayed.content.decode()
        assert not logged_in(client)

    def test_another_users_device_does_not_verify(self, client, enrolled):
        other = UserFactory(username="daniyar")
        theirs = TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
        response = log_in(client, "aigerim", code=code_for(theirs))
        assert not logged_in(client)
        assert response.status_code == 200

    @pytest.mark.usefixtures("axes_on")
    def test_wrong_codes_count_towards_the_lockout(self, client, enrolled, settings):
        settings.AXES_FAILURE_LIMIT = 2
        log_in(client, "aigerim", code="000000")
        assert log_in(client, "aigerim", code="000000").status_code == 429

    def test_a_new_clerk_is_taken_to_enrolment_and_no_further(self, client, staff):
        assert log_in(client, "aigerim").status_code == 302
        response = client.get(reverse("admin:index"), follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("admin:two_factor"))
        assert response.status_code == 200
        assert "<svg" in response.content.decode()
        assert not reaches_the_admin(client)
        documents = client.get(reverse("admin:meetings_document_changelist"))
        assert documents.status_code == 302

    def test_enrolment_confirms_the_app_and_opens_the_admin(self, client, staff):
        log_in(client, "aigerim")
        page = client.get(reverse("admin:two_factor"), {"next": "/admin/meetings/"})
        device = TOTPDevice.objects.get(user=staff)
        assert not device.confirmed
        assert page.context["key_text"].replace(" ", "") in device.config_url

        # Reloading keeps the key the clerk may already have scanned.
        client.get(reverse("admin:two_factor"))
        assert TOTPDevice.objects.get(user=staff).key == device.key

        response = client.post(
            reverse("admin:two_factor"),
            {"code": code_for(device), "next": "/admin/meetings/"},
        )
        assert response.status_code == 302
        assert response["Location"] == "/admin/meetings/"
        device.refresh_from_db()
        assert device.confirmed
        assert reaches_the_admin(client)

    def test_a_wrong_enrolment_code_confirms_nothing(self, client, staff):
        log_in(client, "aigerim")
        client.get(reverse("admin:two_factor"))
        device = TOTPDevice.objects.get(user=staff)
        wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
        response = client.post(reverse("admin:two_factor"), {"code": wrong})
        assert response.status_code == 200
        assert str(two_factor.CODE_WRONG) in response.content.decode()
        device.refresh_from_db()
        assert not device.confirmed
        assert not reaches_the_admin(client)

    def test_enrolment_needs_a_password_login_first(self, client, db):
        response = client.get(reverse("admin:two_factor"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert not TOTPDevice.objects.exists()

    def test_an_enrolled_clerk_cannot_enrol_a_second_app_without_a_code(
        self, client, enrolled
    ):
        client.force_login(enrolled)
        response = client.get(reverse("admin:two_factor"))
        assert response["Location"] == reverse("admin:login")
        assert TOTPDevice.objects.filter(user=enrolled).count() == 1
        assert not logged_in(client)

    def test_a_session_whose_device_was_removed_cannot_set_up_a_new_one(
        self, client, enrolled, settings
    ):
        """A lost phone's device is removed: a session still open elsewhere must not
        be enough to set up another authenticator; the password must be given again."""
        device = TOTPDevice.objects.get(user=enrolled)
        log_in(client, "aigerim", code=code_for(device))
        assert reaches_the_admin(client)
        device.delete()
        session = client.session
        session[LOGIN_AT] -= two_factor.ENROL_WINDOW_SECONDS + 1
        session.save()

        response = client.get(reverse("admin:two_factor"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert not TOTPDevice.objects.filter(user=enrolled).exists()
        assert not logged_in(client)

        log_in(client, "aigerim")  # the password again: enrolment is open
        page = client.get(reverse("admin:two_factor"))
        assert page.status_code == 200
        assert "<svg" in page.content.decode()

    def test_cancelling_enrolment_logs_out(self, client, staff):
        log_in(client, "aigerim")
        client.get(reverse("admin:two_factor"))
        client.post(reverse("admin:two_factor"), {"cancel": "1"})
        assert not logged_in(client)

    def test_removing_a_device_makes_the_clerk_enrol_again(self, client, enrolled):
        TOTPDevice.objects.filter(user=enrolled).delete()
        log_in(client, "aigerim")
        response = client.get(reverse("admin:login"))
        assert response["Location"].startswith(reverse("admin:two_factor"))

    def test_an_unverified_session_gets_no_document_file(self, client, staff, media):
        from django.core.files.base import ContentFile

        from meetings.models import Document

        staff.is_superuser = False
        staff.save()
        staff.user_permissions.set(Permission.objects.filter(codename="view_document"))
        document = Document(kind="statute", title="Statute")
        document.file.save("statute.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
        log_in(client, "aigerim")
        response = client.get(document.file.url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_enrolment_is_not_offered_when_two_factor_is_off(client, staff):
    client.force_login(staff)
    assert client.get(reverse("admin:two_factor")).status_code == 404


def test_administrators_can_remove_a_clerks_device(client, clerk, enrolled):
    client.force_login(clerk)
    device = TOTPDevice.objects.get(user=enrolled)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled).exists()


def test_administrators_cannot_read_a_clerks_key(client, clerk, enrolled):
    client.force_login(clerk)
    device = TOTPDevice.objects.get(user=enrolled)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    config = reverse("admin:otp_totp_totpdevice_config", args=[device.pk])
    assert client.get(config).status_code == 403

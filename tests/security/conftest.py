import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

PASSWORD = "pw"


@pytest.fixture
def axes_on(settings):
    """Login lockout as in production (the test settings switch it off)."""
    settings.AXES_ENABLED = True


@pytest.fixture
def two_factor_on(settings):
    settings.REQUIRE_2FA = True


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def staff(db):
    return UserFactory(username="aigerim")  # password: PASSWORD


@pytest.fixture
def enrolled(staff):
    """``staff`` with a confirmed authenticator."""
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    return staff


def code_for(device):
    """The code the user's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in(client, username, password=PASSWORD, *, code=None, ip="192.0.2.10", **extra):
    data = {"username": username, "password": password, "next": reverse("admin:index")}
    if code is not None:
        data["otp_token"] = code
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=ip, **extra)


def logged_in(client):
    return "_auth_user_id" in client.session

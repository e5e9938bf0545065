"""Each role's allowed and refused actions, through the admin's own pages: a table of
what a Secretariat clerk in that role expects, checked over every record type."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from cica_admin.core.history import tracked_models
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ALL = {"view", "change", "add", "delete", "history", "revert", "import", "export"}
READ = {"view", "history"}

#: role → app → the actions it may take on every record type of that app.
EXPECTED = {
    "Registry officer": {"registry": ALL, "meetings": READ, "finance": set()},
    "Meetings officer": {"registry": READ, "meetings": ALL, "finance": set()},
    "Finance officer": {"registry": READ, "meetings": READ, "finance": ALL},
    "Auditor": {app: READ | {"export"} for app in ("registry", "meetings", "finance")},
    "Administrator": {app: ALL for app in ("registry", "meetings", "finance")},
}


def allowed(client, model, obj):
    """The actions the admin lets ``client`` take on ``model``, seen from outside."""
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    first_version = obj.history.order_by("history_id").first()
    probes = {
        "view": ("get", reverse(f"{info}_changelist")),
        "add": ("get", reverse(f"{info}_add")),
        # A POST without data: refused (403) without the right, else a form error.
        "change": ("post", reverse(f"{info}_change", args=[obj.pk])),
        "delete": ("get", reverse(f"{info}_delete", args=[obj.pk])),
        "history": ("get", reverse(f"{info}_history", args=[obj.pk])),
        "revert": (
            "post",
            reverse(f"{info}_simple_history", args=[obj.pk, first_version.history_id]),
        ),
        "import": ("get", reverse(f"{info}_import")),
        "export": ("get", reverse(f"{info}_export")),
    }
    actions = set()
    for action, (method, url) in probes.items():
        status = getattr(client, method)(url).status_code
        assert status in (200, 403), f"{action} {url}: {status}"
        if status == 200:
            actions.add(action)
    # Whoever may view the list may open a record, read-only or not.
    record = client.get(reverse(f"{info}_change", args=[obj.pk])).status_code
    assert record == (200 if "view" in actions else 403), f"{obj}: {record}"
    return actions


@pytest.fixture
def every_record_type(finance_records):
    models = tracked_models()
    objects = {model: model.objects.order_by("pk").first() for model in models}
    assert all(objects.values()), "a record of every type is needed"
    return objects


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_may_do_exactly_its_own_work(client, every_record_type, role):
    user = UserFactory(username="officer", is_superuser=False)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    wrong = {}
    for model, obj in every_record_type.items():
        expected = EXPECTED[role][model._meta.app_label]
        actual = allowed(client, model, obj)
        if actual != expected:
            wrong[model._meta.label] = {
                "refused but expected": sorted(expected - actual),
                "allowed but not expected": sorted(actual - expected),
            }
    assert wrong == {}


def test_the_roles_change_nothing_when_probed(client, every_record_type):
    """The probes above post empty forms: they must be refused or invalid, never
    saved, or the table would be testing the data it changed."""
    user = UserFactory(username="admin2", is_superuser=False)
    user.groups.add(Group.objects.get(name="Administrator"))
    client.force_login(user)
    before = {model: model.history.count() for model in every_record_type}
    for model, obj in every_record_type.items():
        allowed(client, model, obj)
    assert {model: model.history.count() for model in every_record_type} == before


def test_setup_roles_is_idempotent_and_restores_the_definitions():
    from django.contrib.auth.models import Permission

    out = io.StringIO()
    call_command("setup_roles", stdout=out)
    assert set(EXPECTED) <= set(Group.objects.values_list("name", flat=True))
    before = {
        group.name: set(group.permissions.values_list("pk", flat=True))
        for group in Group.objects.all()
    }
    auditor = Group.objects.get(name="Auditor")
    auditor.permissions.add(Permission.objects.get(codename="delete_party"))
    Group.objects.get(name="Finance officer").permissions.clear()

    call_command("setup_roles", stdout=io.StringIO())
    call_command("setup_roles", stdout=io.StringIO())
    after = {
        group.name: set(group.permissions.values_list("pk", flat=True))
        for group in Group.objects.all()
    }
    assert after == before
    assert Group.objects.filter(name="Auditor").count() == 1
    assert "Finance officer:" in out.getvalue()


def test_only_the_finance_officer_auditor_and_administrator_hold_finance():
    holders = set(
        Group.objects.filter(permissions__content_type__app_label="finance")
        .values_list("name", flat=True)
        .distinct()
    )
    assert holders == {"Finance officer", "Auditor", "Administrator"}


def test_the_auditor_reads_the_login_records_but_not_the_two_factor_keys(client):
    user = UserFactory(username="auditor", is_superuser=False)
    user.groups.add(Group.objects.get(name="Auditor"))
    client.force_login(user)
    from axes.models import AccessAttempt

    lockout = AccessAttempt.objects.create(
        username="aigerim", ip_address="192.0.2.10", failures_since_start=5
    )
    attempts = reverse("admin:axes_accessattempt_changelist")
    assert client.get(attempts).status_code == 200
    delete = reverse("admin:axes_accessattempt_delete", args=[lockout.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.filter(pk=lockout.pk).exists()
    devices = reverse("admin:otp_totp_totpdevice_changelist")
    assert client.get(devices).status_code == 403

"""The Administrator manages staff accounts and groups only within the permissions it
holds: no superuser made from the admin, no permission handed out that it lacks, no
privilege raised on its own account, no way into an account that holds more."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.factories import UserFactory
from tests.helpers import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    user = UserFactory(username="admin-role", is_superuser=False)
    user.groups.add(Group.objects.get(name="Administrator"))
    client.force_login(user)
    return user


def user_page(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def post_page(client, user, **changes):
    """Post ``user``'s page as shown, with ``changes`` to its fields."""
    data = form_data(client.get(user_page(user)), "user_form")
    data.update(changes)
    return client.post(user_page(user), data)


def permission(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_the_administrator_cannot_make_itself_a_superuser(client, administrator):
    post_page(client, administrator, is_superuser="on")
    administrator.refresh_from_db()
    assert not administrator.is_superuser


def test_the_administrator_cannot_grant_itself_a_permission(client, administrator):
    deleting = permission("auth.delete_user")
    post_page(client, administrator, user_permissions=[str(deleting.pk)])
    assert not administrator.user_permissions.exists()
    assert not administrator.has_perm("auth.delete_user")


def test_the_administrator_cannot_grant_others_a_permission_it_lacks(
    client, administrator
):
    clerk = UserFactory(username="dana", is_superuser=False)
    deleting = permission("auth.delete_user")

    response = post_page(client, clerk, user_permissions=[str(deleting.pk)])

    assert response.status_code == 200
    assert "user_permissions" in response.context["adminform"].form.errors
    assert not clerk.user_permissions.exists()


def test_the_administrator_cannot_make_another_a_superuser(client, administrator):
    clerk = UserFactory(username="dana", is_superuser=False)
    post_page(client, clerk, is_superuser="on")
    clerk.refresh_from_db()
    assert not clerk.is_superuser


def test_the_administrator_gives_a_role_it_holds_everything_of(client, administrator):
    clerk = UserFactory(username="dana", is_superuser=False)
    registry_officer = Group.objects.get(name="Registry officer")

    response = post_page(client, clerk, groups=[str(registry_officer.pk)])

    assert response.status_code == 302
    assert list(clerk.groups.all()) == [registry_officer]


def test_an_account_that_holds_more_is_shown_but_not_changed(client, administrator):
    boss = UserFactory(username="boss", is_superuser=True)
    old_password = boss.password
    response = client.get(user_page(boss))
    assert response.status_code == 200
    assert 'name="username"' not in response.content.decode()  # shown as text

    password_url = reverse("admin:auth_user_password_change", args=[boss.pk])
    response = client.post(
        password_url, {"password1": "Taken-over-9", "password2": "Taken-over-9"}
    )
    assert response.status_code == 403
    boss.refresh_from_db()
    assert boss.password == old_password


def test_the_administrator_cannot_widen_a_role(client, administrator):
    role = Group.objects.get(name="Auditor")
    url = reverse("admin:auth_group_change", args=[role.pk])
    data = form_data(client.get(url), "group_form")
    data["permissions"] = [
        *data.get("permissions", []),
        str(permission("auth.delete_user").pk),
    ]

    response = client.post(url, data)

    assert response.status_code == 200
    assert "permissions" in response.context["adminform"].form.errors
    assert not role.permissions.filter(codename="delete_user").exists()


def test_a_superuser_still_makes_superusers(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    clerk = UserFactory(username="dana", is_superuser=False)
    response = post_page(client, clerk, is_superuser="on")
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_superuser

"""Who may manage which staff account: no one hands out more than they hold.

A staff member with the account permissions (the Administrator role) manages other
accounts and groups only within the permissions they hold themselves: they cannot make
anyone a superuser, grant a permission or a group beyond their own, touch the
privileges of their own account, or change an account (its password included) that
holds more than they do. Superusers are made from the command line
(``createsuperuser``, ``ensure_admin``).
"""

from django.contrib.auth.models import Permission
from django.db.models import Q

#: The fields of an account that carry privileges.
PRIVILEGES = ("is_superuser", "is_staff", "groups", "user_permissions")


def _name(permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def _names(permissions) -> set[str]:
    return {
        _name(permission) for permission in permissions.select_related("content_type")
    }


def held(user) -> set[str]:
    """Every permission ``user`` holds, directly or through a group, as
    ``"app_label.codename"``; read from the database, so that an inactive account
    is judged by what it would hold again once active."""
    if user.is_superuser:
        return _names(Permission.objects.all())
    return _names(
        Permission.objects.filter(Q(user=user) | Q(group__user=user)).distinct()
    )


def may_manage(editor, account) -> bool:
    """Whether ``editor`` may change ``account`` beyond its own privileges."""
    if editor.is_superuser:
        return True
    if account.is_superuser:
        return False
    return held(account) <= held(editor)


def grantable_permissions(editor):
    """The permissions ``editor`` may give: those they hold."""
    if editor.is_superuser:
        return Permission.objects.all()
    mine = held(editor)
    return Permission.objects.filter(
        pk__in=[
            permission.pk
            for permission in Permission.objects.select_related("content_type")
            if _name(permission) in mine
        ]
    )


def grantable_groups(editor, groups):
    """Of ``groups``, those whose every permission ``editor`` holds."""
    if editor.is_superuser:
        return groups
    mine = held(editor)
    return groups.filter(
        pk__in=[
            group.pk
            for group in groups.prefetch_related("permissions__content_type")
            if {_name(permission) for permission in group.permissions.all()} <= mine
        ]
    )

"""The Secretariat's roles: groups whose permissions are defined here, in code.

``setup_roles()`` makes the five groups hold exactly these permissions. It runs after
every ``migrate`` and as ``manage.py setup_roles``; it is idempotent. A change made to
one of these groups in the admin is undone at the next run: give a person an
exception through a group of your own, or their user permissions.

Rights, per model:

- *view*: the records and their history;
- *edit*: add, change and delete, and revert a record from its history (“Can change
  historical …”, with the change permission);
- *import*, *export*: spreadsheets, rights of their own;
- reverting a whole import batch is ``cica_admin.revert_importbatch``.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .core.history import tracked_models

REGISTRY, MEETINGS, FINANCE = "registry", "meetings", "finance"
RECORD_APPS = (REGISTRY, MEETINGS, FINANCE)


def records(app_label):
    """The history-tracked record models of an app (their history models aside)."""
    return [model for model in tracked_models() if model._meta.app_label == app_label]


def view(*app_labels):
    return {
        name
        for app_label in app_labels
        for model in records(app_label)
        for name in (
            perm(model, "view"),
            perm(model.history.model, "view"),
        )
    }


def edit(*app_labels):
    return view(*app_labels) | {
        name
        for app_label in app_labels
        for model in records(app_label)
        for name in (
            perm(model, "add"),
            perm(model, "change"),
            perm(model, "delete"),
            perm(model.history.model, "change"),
        )
    }


def spreadsheets(*app_labels, actions=("import", "export")):
    return {
        perm(model, action)
        for app_label in app_labels
        for model in records(app_label)
        for action in actions
    }


def perm(model, action):
    """``"app_label.codename"`` of ``model``'s ``action`` permission."""
    return f"{model._meta.app_label}.{get_permission_codename(action, model._meta)}"


IMPORT_BATCHES = {"cica_admin.view_importbatch", "cica_admin.revert_importbatch"}
AUDIT_LOG = {"cica_admin.view_audit_log"}


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    permissions: object  # () -> set of "app_label.codename"


ROLES = [
    Role(
        "Registry officer",
        "Parties, their standing and chairmanship, the Secretariat. Sees meetings.",
        lambda: (
            edit(REGISTRY) | spreadsheets(REGISTRY) | view(MEETINGS) | IMPORT_BATCHES
        ),
    ),
    Role(
        "Meetings officer",
        "Meetings, delegations, documents and decisions. Sees the registry.",
        lambda: (
            edit(MEETINGS) | spreadsheets(MEETINGS) | view(REGISTRY) | IMPORT_BATCHES
        ),
    ),
    Role(
        "Finance officer",
        "Pledges, contributions and exchange rates: the only role that sees "
        "finance. Sees the registry and meetings.",
        lambda: (
            edit(FINANCE)
            | spreadsheets(FINANCE)
            | view(REGISTRY, MEETINGS)
            | IMPORT_BATCHES
        ),
    ),
    Role(
        "Auditor",
        "Sees every record, its history and the audit log, and exports; changes "
        "nothing.",
        lambda: (
            view(*RECORD_APPS)
            | spreadsheets(*RECORD_APPS, actions=("export",))
            | {"cica_admin.view_importbatch", "auth.view_user", "auth.view_group"}
            | AUDIT_LOG
            | login_records()
        ),
    ),
    Role(
        "Administrator",
        "Everything the other roles may do, and staff accounts, their two-factor "
        "devices and login lockouts.",
        lambda: (
            edit(*RECORD_APPS)
            | spreadsheets(*RECORD_APPS)
            | IMPORT_BATCHES
            | AUDIT_LOG
            | accounts()
        ),
    ),
]

#: Apps whose every permission the Administrator holds, where installed.
ACCOUNT_APPS = ("otp_totp", "otp_static", "axes")


def accounts():
    """Staff accounts and groups (not deleting them: a user who leaves is made
    inactive, so the history keeps its name), and the security apps' records."""
    perms = {
        f"auth.{action}_{model}"
        for model in ("user", "group")
        for action in ("add", "change", "view")
    }
    installed = {config.label for config in apps.get_app_configs()}
    for row in Permission.objects.filter(
        content_type__app_label__in=installed.intersection(ACCOUNT_APPS)
    ).select_related("content_type"):
        perms.add(f"{row.content_type.app_label}.{row.codename}")
    return perms


def login_records():
    """Viewing django-axes' records of logins, failures and lockouts (not the
    two-factor devices, which hold their users' secret keys)."""
    return {
        f"axes.view_{model}"
        for model in ("accessattempt", "accessfailurelog", "accesslog")
        if apps.is_installed("axes")
    }


class UnknownPermission(LookupError):
    pass


def permissions(names):
    """The Permission rows for ``"app_label.codename"`` names; every one must exist."""
    wanted = {tuple(name.split(".", 1)) for name in names}
    found = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in wanted},
        codename__in={codename for _, codename in wanted},
    ).select_related("content_type")
    rows = [p for p in found if (p.content_type.app_label, p.codename) in wanted]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in rows}
    if missing:
        raise UnknownPermission(
            "No such permission: " + ", ".join(sorted(".".join(m) for m in missing))
        )
    return rows


@transaction.atomic
def setup_roles():
    """Create the role groups, or bring their permissions back to the definitions.
    Returns ``{role name: number of permissions}``."""
    summary = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.name)
        rows = permissions(role.permissions())
        group.permissions.set(rows)
        summary[role.name] = len(rows)
    return summary


def after_migrate(sender, using="default", **kwargs):
    """post_migrate: Django creates an app's permissions in its own post_migrate
    handler, app by app; create them all first, then the roles."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    setup_roles()

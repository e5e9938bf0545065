from django.core.management.base import BaseCommand

from cica_admin.roles import ROLES, setup_roles


class Command(BaseCommand):
    help = (
        "Create the Secretariat's role groups, or bring their permissions back to "
        "the definitions in cica_admin/roles.py. Safe to run again."
    )

    def handle(self, *args, **options):
        summary = setup_roles()
        for role in ROLES:
            self.stdout.write(
                f"{role.name}: {summary[role.name]} permissions. {role.description}"
            )

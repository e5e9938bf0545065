from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from meetings.loading import MeetingsLoader
from registry.loading import RegistryLoader


class Command(BaseCommand):
    help = (
        "Load the CICA record stated by the seed documents: parties and their "
        "standing, chairmanship, the Secretariat, meetings, documents and decisions. "
        "Safe to run again: existing records are kept as they are (see --update) and "
        "nothing unchanged is rewritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite records that differ from the seeds (default: report them).",
        )
        parser.add_argument(
            "--user",
            help="Username recorded in the history as the author of the load.",
        )

    def handle(self, *args, update, user, **options):
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user named {user!r}.") from exc
        counts = {}
        with transaction.atomic():
            for loader_class in (RegistryLoader, MeetingsLoader):
                loader = loader_class(
                    actor=actor, update=update, stdout=self.stdout, counts=counts
                )
                loader.load()
        self.stdout.write(
            self.style.SUCCESS(
                "CICA record: {created} created, {updated} updated, "
                "{unchanged} unchanged, {differs} kept as recorded, "
                "{refused} refused by the rules.".format(**counts)
            )
        )

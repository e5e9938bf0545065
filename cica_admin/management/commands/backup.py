from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Command(BaseCommand):
    help = gettext_lazy(
        "Back up the database and the document files into BACKUP_DIR "
        "(django-dbbackup: dbbackup and mediabackup, compressed)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--clean",
            action="store_true",
            help=gettext_lazy("Then keep only the latest BACKUP_KEEP backups of each."),
        )

    def handle(self, *args, clean, verbosity, **options):
        quiet = verbosity < 1
        # Before the first document is attached there is no media folder, and
        # mediabackup would fail on it instead of backing up no files.
        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
        for command in ("dbbackup", "mediabackup"):
            call_command(
                command, compress=True, clean=clean, quiet=quiet, verbosity=verbosity
            )
        if not quiet:
            self.stdout.write(
                self.style.SUCCESS(_("Backed up the database and the document files."))
            )

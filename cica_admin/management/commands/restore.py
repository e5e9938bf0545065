from dbbackup.db.exceptions import ConnectorError
from dbbackup.storage import StorageError, get_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Command(BaseCommand):
    help = gettext_lazy(
        "Replace the database and the document files with a backup made by "
        "`backup`: by default the latest in BACKUP_DIR. Stop the server first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database",
            metavar="FILE",
            help=gettext_lazy("The database backup's file name in BACKUP_DIR."),
        )
        parser.add_argument(
            "--media",
            metavar="FILE",
            help=gettext_lazy("The document files' backup's file name in BACKUP_DIR."),
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=gettext_lazy("Do not ask for confirmation."),
        )

    def handle(self, *args, database, media, interactive, verbosity, **options):
        storage = get_storage()
        database = backup_file(storage, "db", database)
        media = backup_file(storage, "media", media)
        if interactive:
            answer = input(
                _(
                    "This replaces the whole database with %(database)s and puts back "
                    "the document files of %(media)s. Type 'yes' to go on: "
                )
                % {"database": database, "media": media}
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("Restore cancelled: nothing was changed."))
        quiet = verbosity < 1
        try:
            call_command(
                "dbrestore",
                input_filename=database,
                uncompress=database.endswith(".gz"),
                interactive=False,
                quiet=quiet,
                verbosity=verbosity,
            )
        except (ConnectorError, CommandError, OSError) as exc:
            # SQLite: the backup is checked before it is copied in; PostgreSQL:
            # pg_restore runs in one transaction, which the failure rolls back.
            raise CommandError(
                _(
                    "%(database)s could not be restored, and nothing was changed: "
                    "%(error)s"
                )
                % {"database": database, "error": exc}
            ) from exc
        call_command(
            "mediarestore",
            input_filename=media,
            uncompress=media.endswith(".gz"),
            replace=True,
            interactive=False,
            quiet=quiet,
            verbosity=verbosity,
        )
        if quiet:
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored the database from %(database)s and the files from "
                    "%(media)s."
                )
                % {"database": database, "media": media}
            )
        )
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "The backup is older than this version of the application: "
                        "run `manage.py migrate` before starting the server."
                    )
                )
            )


KINDS = {"db": gettext_lazy("database"), "media": gettext_lazy("document files")}


def backup_file(storage, content_type, name):
    """The backup to restore, checked before anything is changed: ``name`` if given,
    else the latest."""
    if name is None:
        try:
            name = storage.get_latest_backup(content_type=content_type)
        except (StorageError, OSError) as exc:
            raise CommandError(
                _("There is no backup of the %(kind)s in %(where)s.")
                % {"kind": KINDS[content_type], "where": storage.storage.location}
            ) from exc
    if not storage.storage.exists(name):
        raise CommandError(
            _("There is no backup %(name)s in %(where)s.")
            % {"name": name, "where": storage.storage.location}
        )
    return name

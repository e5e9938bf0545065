"""Backups with django-dbbackup, fitted to the project's SQLite set-up.

PostgreSQL is backed up by django-dbbackup's own connector (``pg_dump`` in its custom
format, restored by ``pg_restore --clean --if-exists --single-transaction``). SQLite is
backed up by SQLite's online backup API, as django-dbbackup's ``SqliteBackupConnector``
does, and restored the same way, by :class:`SqliteConnector` below.
"""

import shutil
import sqlite3
import tempfile

from dbbackup.db.sqlite import SqliteBackupConnector
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


class SqliteConnector(SqliteBackupConnector):
    """Restores a backup into the open database, page by page, under SQLite's locks.

    django-dbbackup restores SQLite by writing the backup over the database file. In
    WAL mode (the project's) the write-ahead log beside that file would then be
    replayed onto the restored pages, and a process still connected would keep
    reading what it had cached. The backup API, run from the backup into the live
    connection, has neither problem, and refuses a file that is not a database before
    it changes anything.
    """

    def restore_dump(self, dump):
        with tempfile.NamedTemporaryFile(suffix=".sqlite3") as copy:
            shutil.copyfileobj(dump, copy)
            copy.flush()
            source = sqlite3.connect(f"file:{copy.name}?mode=ro", uri=True)
            try:
                check_backup(source)
                self.connection.ensure_connection()
                source.backup(self.connection.connection)
            finally:
                source.close()


def check_backup(source):
    """Refuse, before anything is written, a file that is not an intact database of
    this application."""
    try:
        (result,) = source.execute("PRAGMA quick_check").fetchone()
        tables = {name for (name,) in source.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise CommandError(_("The backup is not an SQLite database: %s") % exc) from exc
    if result != "ok":
        raise CommandError(_("The backup is damaged: %s") % result)
    if "django_migrations" not in tables:
        raise CommandError(_("The backup is not a database of this application."))

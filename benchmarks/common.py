"""What every benchmark shares: a fresh database with the CICA record.

The database is a SQLite file in a temporary folder, or, with ``--postgres URL`` (a
PostgreSQL server the URL's role may create databases on), a database of its own on
that server, dropped when the benchmark ends.
"""

import atexit
import io
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def add_database_argument(parser):
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="run on a new database on this PostgreSQL server instead of SQLite, "
        "e.g. postgres://cica:cica@127.0.0.1:5432/cica",
    )


def setup(postgres=None):
    if postgres:
        os.environ["DATABASE_URL"] = _fresh_postgres_database(postgres)
    else:
        folder = tempfile.mkdtemp()
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cica_admin.settings.base")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    call_command("migrate", verbosity=0)
    call_command("load_cica", verbosity=0, stdout=io.StringIO())
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")


def _fresh_postgres_database(server_url):
    """Create an empty database on the server and return its URL; drop it at exit."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"cica_bench_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    atexit.register(drop)
    return urlunsplit(parts._replace(path=f"/{name}"))

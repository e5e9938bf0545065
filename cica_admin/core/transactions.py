"""Transactions of a request on SQLite: only a request that may write takes the lock.

SQLite locks the whole database, not a row. The project's SQLite configuration
(``database()`` in the settings) begins every transaction ``IMMEDIATE``: the write lock
is taken at ``BEGIN``, so two saves of one record run one after the other and the
second sees the first (``cica_admin.core.concurrency``), instead of the second failing
"database is locked" when it turns from reading to writing.

A request that only reads needs no lock: in WAL mode it reads a consistent snapshot
while a save goes on. ``ReadingRequestsMiddleware`` lets the transactions of GET and
HEAD requests begin ``DEFERRED``. On PostgreSQL it does nothing.
"""

from contextlib import contextmanager

from django.db import connections

#: The methods that, by HTTP's rules and the project's, change nothing.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@contextmanager
def reading_transactions():
    """Transactions begun inside take no lock until they write (SQLite only)."""
    changed = []
    for connection in connections.all():
        if connection.vendor != "sqlite":
            continue
        # The mode is read from the settings each time a connection opens: open it
        # first, so that what is set here is what the request's BEGIN uses.
        connection.ensure_connection()
        if connection.transaction_mode is not None:
            changed.append((connection, connection.transaction_mode))
            connection.transaction_mode = None
    try:
        yield
    finally:
        for connection, mode in changed:
            connection.transaction_mode = mode


class ReadingRequestsMiddleware:
    """A reading request's transaction (``ATOMIC_REQUESTS``) takes no write lock."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READING_METHODS:
            return self.get_response(request)
        with reading_transactions():
            return self.get_response(request)

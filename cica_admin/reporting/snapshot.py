"""The records as they stood at a moment, rebuilt from the change history.

Inside ``records_as_of(moment)`` every history-tracked table, and the link tables of
the many-to-many fields history tracks, is shadowed by a temporary table of the same
name holding the rows it held at ``moment``. The ordinary report builders then run
unchanged: "as the records stood" uses the same code as "as they stand", only the
data differs.

Both databases resolve an unqualified table name to a temporary table first
(PostgreSQL's ``pg_temp`` leads the search path; SQLite searches ``temp`` before
``main``), so the live tables are neither locked nor written. Everything happens in
one transaction that is always rolled back: the shadow tables vanish with it, even
when a report fails half-way.
"""

import contextlib
import datetime

from django.db import connection, transaction
from django.utils import timezone

from ..core.history import tracked_models


class NotInRecords(Exception):
    """What a report asked for did not exist in the records at that moment."""


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of ``day`` in the Secretariat's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _latest_rows(history, pk_name, columns, moment):
    """The row of each record at ``moment``: its latest version not after it, unless
    that version is a deletion. History rows written in one instant are told apart by
    their id, which grows with each row written."""
    latest = {}
    versions = (
        history.objects.filter(history_date__lte=moment)
        .order_by(pk_name, "history_date", "history_id")
        .values_list(pk_name, "history_id", "history_type", *columns)
    )
    for pk, history_id, kind, *values in versions.iterator(chunk_size=5000):
        latest[pk] = (history_id, kind, values)
    return {
        history_id: values
        for history_id, kind, values in latest.values()
        if kind != "-"
    }


def _shadow(table):
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMPORARY TABLE {quoted} (LIKE "
                f"{connection.ops.quote_name(_schema_of(cursor, table))}.{quoted})"
            )
        else:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {quoted} AS SELECT * FROM main.{quoted} "
                "WHERE 0"
            )


def _schema_of(cursor, table):
    cursor.execute(
        "SELECT table_schema FROM information_schema.tables "
        "WHERE table_name = %s AND table_type = 'BASE TABLE' "
        "AND table_schema NOT LIKE 'pg_temp%%' ORDER BY table_schema LIMIT 1",
        [table],
    )
    return cursor.fetchone()[0]


def _insert(table, columns, rows):
    if not rows:
        return
    quoted = connection.ops.quote_name
    names = ", ".join(quoted(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quoted(table)} ({names}) VALUES ({marks})", rows
        )


def _restore(model, moment):
    history = model.history.model
    kept = {field.attname for field in history._meta.concrete_fields}
    fields = [f for f in model._meta.concrete_fields if f.attname in kept]
    columns = [field.attname for field in fields]
    rows = _latest_rows(history, model._meta.pk.attname, columns, moment)
    _shadow(model._meta.db_table)
    _insert(
        model._meta.db_table,
        [field.column for field in fields],
        [
            [
                field.get_db_prep_save(value, connection)
                for field, value in zip(fields, values, strict=True)
            ]
            for values in rows.values()
        ],
    )
    for m2m in getattr(history, "_history_m2m_fields", []):
        _restore_links(history, m2m, list(rows))


def _restore_links(history, m2m, history_ids):
    """The links each record had in the version restored for it."""
    through = m2m.remote_field.through
    name = f"{history.__name__}_{m2m.name}"
    link_history = next(
        relation.related_model
        for relation in history._meta.related_objects
        if relation.related_model.__name__ == name
    )
    columns = [
        field.attname
        for field in through._meta.concrete_fields
        if not field.primary_key
    ]
    rows = []
    for start in range(0, len(history_ids), 500):
        rows += link_history.objects.filter(
            history_id__in=history_ids[start : start + 500]
        ).values_list(*columns)
    # History does not keep the link rows' own ids, which nothing reads: number them.
    pk = through._meta.pk.column
    _shadow(through._meta.db_table)
    _insert(
        through._meta.db_table,
        [pk, *[through._meta.get_field(column).column for column in columns]],
        [(number, *row) for number, row in enumerate(rows, start=1)],
    )


@contextlib.contextmanager
def records_as_of(moment: datetime.datetime | None):
    """Run the body against the records as they stood at ``moment`` (None: as they
    stand now, with nothing shadowed). Nothing the body writes is kept."""
    if moment is None:
        yield
        return
    with transaction.atomic():
        for model in tracked_models():
            _restore(model, moment)
        try:
            yield
        finally:
            transaction.set_rollback(True)

"""Rows written once per test session and put back for each test that asks for them.

Loading the CICA record runs every service, every rule and every history write: more
than half a second, and well over a hundred tests ask for it. Its rows are the same
each time, so the session writes them once, in a transaction it rolls back (the
database stays empty for the many tests that count the rows they made), and keeps
them in memory; each test inserts them again, inside its own transaction, in a few
milliseconds. Primary keys and history rows come back as they were written, and the
sequences are moved past them, so what a test writes next does not collide.
"""

from collections.abc import Callable

from django.apps import apps
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction


class Snapshot:
    """The rows ``write`` adds to the database, to be inserted again at will."""

    def __init__(self, write, tables):
        self.write = write
        # model → (INSERT statement, the parameters of each row)
        self.tables: dict[type[models.Model], tuple[str, list[list]]] = tables

    @classmethod
    def take(cls, write: Callable[[], object]) -> "Snapshot":
        """Run ``write`` in a transaction that is rolled back; keep what it added.

        Only additions can be put back: a ``write`` that changes or deletes a row
        that was there before it is refused, and so is one that points at a row
        made before it (content types, permissions and roles are made again, under
        other keys, when a transactional test flushes)."""
        stored = _stored_models()
        with transaction.atomic():
            before = {model: _rows(model) for model in stored}
            write()
            after = {model: _rows(model) for model in stored}
            transaction.set_rollback(True)
        tables = {}
        for model in stored:
            old, new = before[model], after[model]
            touched = [key for key, row in old.items() if new.get(key) != row]
            if touched:
                raise ValueError(
                    f"{_name(write)} changed or deleted {model._meta.label} rows "
                    f"that were there before it ({touched[:5]}): a snapshot only "
                    "adds rows."
                )
            added = {key: row for key, row in new.items() if key not in old}
            if added:
                _refuse_links_to_rows_before(model, added, before, write)
                tables[model] = (_insert_sql(model), _prepared(model, added.values()))
        return cls(write, tables)

    def restore(self) -> None:
        """Insert the rows again. If the test wrote rows with the same keys or
        names before asking, run ``write`` instead, as slowly as ever, over what the
        test wrote."""
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for sql, rows in self.tables.values():
                    cursor.executemany(sql, rows)
                # The keys were given, not drawn: move each sequence past them
                # (PostgreSQL; SQLite's AUTOINCREMENT follows by itself).
                for sql in connection.ops.sequence_reset_sql(no_style(), self.tables):
                    cursor.execute(sql)
        except IntegrityError:
            self.write()


def _stored_models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _rows(model):
    """The table's rows as stored, by primary key."""
    fields = model._meta.local_concrete_fields
    key = fields.index(model._meta.pk)
    return {
        row[key]: row
        for row in model._base_manager.values_list(*(f.attname for f in fields))
    }


def _refuse_links_to_rows_before(model, added, before, write):
    for index, field in enumerate(model._meta.local_concrete_fields):
        target = field.related_model if field.is_relation else None
        if target is None or target not in before:
            continue
        columns = target._meta.local_concrete_fields
        if field.target_field not in columns:
            continue
        column = columns.index(field.target_field)
        existing = {row[column] for row in before[target].values()}
        linked = {row[index] for row in added.values()} & existing
        if linked:
            raise ValueError(
                f"{_name(write)} wrote {model._meta.label} rows that point at "
                f"{target._meta.label} rows made before it ({sorted(linked)[:5]}): "
                "write those inside it too."
            )


def _insert_sql(model):
    quote = connection.ops.quote_name
    fields = model._meta.local_concrete_fields
    return "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )


def _prepared(model, rows):
    fields = model._meta.local_concrete_fields
    return [
        [
            field.get_db_prep_save(value, connection)
            for field, value in zip(fields, row, strict=True)
        ]
        for row in rows
    ]


def _name(write):
    return getattr(write, "__name__", repr(write))

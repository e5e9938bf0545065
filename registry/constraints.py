from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField
from django.db.models import Func


class DateRange(Func):
    function = "DATERANGE"
    output_field = DateRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint that exists only on PostgreSQL.

    On other databases (SQLite, the embedded default) no DDL is emitted; the model's
    ``clean()`` enforces the same rule there and on PostgreSQL alike, with a message a
    clerk can act on, so this constraint's own ``validate()`` stays silent to avoid
    reporting the error twice. The constraint is the backstop for writes that bypass
    validation.
    """

    def _on_postgres(self, schema_editor):
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        if self._on_postgres(schema_editor):
            return super().constraint_sql(model, schema_editor)
        return None

    def create_sql(self, model, schema_editor):
        if self._on_postgres(schema_editor):
            return super().create_sql(model, schema_editor)
        return None

    def remove_sql(self, model, schema_editor):
        if self._on_postgres(schema_editor):
            return super().remove_sql(model, schema_editor)
        return None

    def validate(self, *args, **kwargs):
        return None

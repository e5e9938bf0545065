"""The base of every resource: natural keys, all-or-nothing, history and batches.

django-import-export supplies the fields, widgets, formats and admin screens. Its
row-by-row import loop is replaced here (``import_data_inner``) by one that

* reads every row first and reports every problem with its row, column and message;
* matches rows to records by natural key, never by id, and leaves unchanged records
  alone (a re-import writes nothing);
* writes through the same services as the admin, row by row (``save_service``), or,
  for the high-volume records, through set services that apply the same rules with
  the facts they need loaded once for the whole file, and write in bulk with history
  (``check_set_service``, ``save_set_service``);
* tags every history row with the import batch and the reason "import of <file>".

The stock loop costs a query or more per row and cannot write history in bulk; on
10,000 contributions it is about five times slower than the floor (see benchmarks/).
"""

import contextvars
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.results import Result, RowResult

from cica_admin.core.models import ImportBatch
from cica_admin.core.services import record_delete, record_save

from . import widgets as w
from .files import escape_cell, unescape_cell

ID_COLUMN = _(
    "The file has an “%(column)s” column. Records are matched by their natural key "
    "(%(key)s), never by database id: remove the column and import again."
)
UNKNOWN_COLUMNS = _(
    "Unknown columns: %(unknown)s. This sheet takes: %(expected)s. Rename or remove "
    "them; nothing was imported."
)
MISSING_COLUMNS = _("Required columns missing: %(missing)s.")
DUPLICATE_KEY = _("Same %(key)s as row %(row)s: a record can appear only once.")
PREVIEW_ROWS = 50

#: The batch whose history rows are being written (read by the history signal).
current_batch = contextvars.ContextVar("current_batch", default=None)


@dataclass
class Problem:
    row: int | None
    column: str
    message: str


@dataclass
class PlannedRow:
    number: int
    instance: models.Model
    is_new: bool
    changed: list = field(default_factory=list)
    m2m: dict = field(default_factory=dict)
    values: list = field(default_factory=list)


class ImportResult(Result):
    """A result that keeps counts, problems and a short preview, not every row: a
    10,000-row preview page stays small."""

    def __init__(self):
        super().__init__()
        self.problems: list[Problem] = []
        self.preview: list[PlannedRow] = []
        self.batch: ImportBatch | None = None
        self.title = ""

    def has_validation_errors(self):
        return bool(self.problems)

    def has_errors(self):
        return bool(self.base_errors)

    @property
    def counts(self):
        return {
            "new": self.totals[RowResult.IMPORT_TYPE_NEW],
            "updated": self.totals[RowResult.IMPORT_TYPE_UPDATE],
            "unchanged": self.totals[RowResult.IMPORT_TYPE_SKIP],
            "invalid": self.totals[RowResult.IMPORT_TYPE_INVALID],
        }

    def grouped_problems(self):
        """Problems with the same column and message, their rows as ranges."""
        groups = {}
        for problem in self.problems:
            groups.setdefault((problem.column, problem.message), []).append(problem.row)
        return [
            {"rows": _ranges(rows), "count": len(rows), "column": column, "message": m}
            for (column, m), rows in groups.items()
        ]


def _ranges(numbers):
    numbers = sorted(n for n in numbers if n is not None)
    spans = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def column(attribute, widget=None, *, name=None, readonly=False):
    """A resource field named as the model field, unless ``name`` says otherwise."""
    return Field(
        attribute=attribute,
        column_name=name or attribute,
        widget=widget or w.TextWidget(),
        readonly=readonly,
    )


def columns(model, *specs):
    """Resource fields for ``model`` from short specs.

    Each spec is a field name (its widget chosen from the model field) or a
    ready-made ``Field``. Dates become days, decimals amounts, booleans yes/no,
    integers whole numbers, fields with choices choice lists.
    """
    result = {}
    for spec in specs:
        if isinstance(spec, Field):
            result[spec.attribute] = spec
            continue
        model_field = model._meta.get_field(spec)
        if model_field.choices and not model_field.is_relation:
            widget = w.ChoiceWidget(model_field.choices)
        elif isinstance(model_field, models.DateField):
            widget = w.DayWidget()
        elif isinstance(model_field, models.DecimalField):
            widget = w.AmountWidget()
        elif isinstance(model_field, models.BooleanField):
            widget = w.YesNoWidget()
        elif isinstance(model_field, models.IntegerField):
            widget = w.IntegerWidget()
        else:
            widget = w.TextWidget()
        result[spec] = column(spec, widget)
    return result


class SpreadsheetResource(resources.ModelResource):
    #: The resource fields whose values identify a record (its natural key).
    key: tuple = ()
    #: Writes one record with the rules of the admin; the service of its admin page.
    save_service = staticmethod(record_save)
    #: Deletes one record with the rules of the admin (an import's revert deletes
    #: the records it created).
    delete_service = staticmethod(record_delete)
    #: Check the whole file as one set, then write it in bulk, through the set
    #: services (``check_set_service``, ``save_set_service``).
    bulk = False

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_result_class(self):
        return ImportResult

    # -- export ---------------------------------------------------------------

    #: Relations the columns name, joined in so that an export is one query.
    select_related: tuple = ()
    prefetch_related: tuple = ()
    export_ordering: tuple = ()

    def get_export_queryset(self):
        """The records to export, with every relation the columns name joined in."""
        queryset = self._meta.model._default_manager.select_related(
            *self.select_related
        ).prefetch_related(*self.prefetch_related)
        # Ties broken by creation order, which an import keeps: a re-export of an
        # imported workbook lists the rows in the same order on every database.
        ordering = self.export_ordering or self._meta.model._meta.ordering
        return queryset.order_by(*ordering, "pk")

    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_export_queryset()
        else:
            queryset = queryset.select_related(*self.select_related).prefetch_related(
                *self.prefetch_related
            )
        # The stock export looks up a dehydrate method and walks the attribute path
        # for every cell; here each column's getter and widget are found once.
        columns = [
            (f.attribute, f.widget)
            for f in self.get_export_fields(kwargs.get("export_fields"))
        ]
        native = kwargs.get("force_native_type", False)
        dataset = tablib.Dataset(
            headers=self.get_export_headers(kwargs.get("export_fields")),
            title=self.sheet_name(),
        )
        rows = queryset.iterator(2000) if not self.prefetch_related else queryset
        for obj in rows:
            dataset.append(
                [
                    escape_cell(
                        widget.render(getattr(obj, attribute), force_native_type=native)
                    )
                    for attribute, widget in columns
                ]
            )
        dataset.escaped = True
        return dataset

    @classmethod
    def sheet_name(cls):
        return str(cls._meta.model._meta.verbose_name_plural)[:31]

    # -- columns --------------------------------------------------------------

    def import_columns(self):
        return [f for f in self.get_import_fields() if not f.readonly]

    def required_columns(self):
        required = set(self.key)
        for resource_field in self.import_columns():
            try:
                model_field = self._meta.model._meta.get_field(resource_field.attribute)
            except FieldDoesNotExist:
                continue
            if not (model_field.blank or model_field.has_default()):
                required.add(resource_field.column_name)
        return [
            f.column_name for f in self.import_columns() if f.column_name in required
        ]

    def column_problems(self, headers):
        names = [f.column_name for f in self.import_columns()]
        readonly = {f.column_name for f in self.get_export_fields() if f.readonly}
        lowered = {name.casefold(): name for name in names}
        problems = []
        for header in headers:
            if header.casefold() in ("id", "pk"):
                return [ID_COLUMN % {"column": header, "key": ", ".join(self.key)}]
        unknown = [
            h
            for h in headers
            if h and h.casefold() not in lowered and h not in readonly
        ]
        if unknown:
            problems.append(
                UNKNOWN_COLUMNS
                % {"unknown": ", ".join(unknown), "expected": ", ".join(names)}
            )
        present = {h.casefold() for h in headers}
        missing = [c for c in self.required_columns() if c.casefold() not in present]
        if missing:
            problems.append(MISSING_COLUMNS % {"missing": ", ".join(missing)})
        return problems

    # -- matching ---------------------------------------------------------------

    def key_of_values(self, values):
        """The natural key of a row's cleaned values (related records by pk)."""
        return tuple(_key_part(values.get(name)) for name in self.key)

    def key_of_instance(self, instance):
        by_column = {f.column_name: f for f in self.import_columns()}
        return tuple(
            _key_part(_attribute_value(instance, by_column[name].attribute))
            for name in self.key
        )

    def existing_records(self):
        """Every record a row could match, by natural key (one query)."""
        return {self.key_of_instance(obj): obj for obj in self.get_export_queryset()}

    def describe_key(self, values):
        return ", ".join(f"{name} {values.get(name)}" for name in self.key)

    # -- the import -------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        # All or nothing: any invalid row rolls back every row of the file.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs
        )

    def import_data_inner(
        self,
        dataset,
        dry_run,
        raise_errors,
        using_transactions,
        collect_failed_rows,
        **kwargs,
    ):
        result = self.get_result_class()()
        result.title = self.sheet_name()
        headers = [h for h in (dataset.headers or []) if h]
        result.diff_headers = headers
        file_problems = self.column_problems(headers)
        if file_problems:
            result.problems = [Problem(None, "", str(p)) for p in file_problems]
            return result
        plans = self.plan(dataset, headers, result)
        if self.bulk:
            plans = list(plans)
            self.validate_bulk(plans, result)
            if plans and not dry_run and not result.problems:
                self.write(plans, result, self.write_bulk, **kwargs)
        else:
            # Row by row: each row is cleaned, then validated by saving it, before the
            # next is read, so that a later row may name it (a term extending
            # another); a dry run is rolled back by ``import_data``.
            self.write(plans, result, self.write_rows, dry_run=dry_run, **kwargs)
        if result.problems:
            result.totals[RowResult.IMPORT_TYPE_INVALID] = len(
                {p.row for p in result.problems}
            )
        return result

    def plan(self, dataset, headers, result):
        """Clean each row and decide what it does: new, update or unchanged.

        A generator: the row-by-row path saves each row before the next is read.
        """
        by_header = {h.casefold(): h for h in headers}
        fields = [
            (f, by_header[f.column_name.casefold()])
            for f in self.import_columns()
            if f.column_name.casefold() in by_header
        ]
        numbers = getattr(dataset, "row_numbers", None) or range(2, len(dataset) + 2)
        existing = self.existing_records()
        seen = {}
        for number, raw in zip(numbers, dataset, strict=True):
            row = dict(zip(dataset.headers, raw, strict=False))
            values, ok = {}, True
            for resource_field, header in fields:
                try:
                    value = resource_field.widget.clean(unescape_cell(row.get(header)))
                except (ValueError, ValidationError) as exc:
                    ok = False
                    for message in _messages(exc):
                        result.problems.append(
                            Problem(number, resource_field.column_name, message)
                        )
                    continue
                values[resource_field.column_name] = value
            if not ok:
                continue
            key = self.key_of_values(values)
            if key in seen:
                result.problems.append(
                    Problem(
                        number,
                        ", ".join(self.key),
                        DUPLICATE_KEY
                        % {"key": self.describe_key(values), "row": seen[key]},
                    )
                )
                continue
            seen[key] = number
            instance = existing.get(key)
            planned = self.apply(number, instance, values, fields)
            if planned is None:
                result.totals[RowResult.IMPORT_TYPE_SKIP] += 1
                continue
            if len(result.preview) < PREVIEW_ROWS:
                planned.values = [
                    _render(resource_field.widget, values[resource_field.column_name])
                    for resource_field, _header in fields
                ]
                result.preview.append(planned)
            yield planned

    def apply(self, number, instance, values, fields):
        """Set the row's values on its record (a new one if none matches); None if
        the row would change nothing."""
        is_new = instance is None
        if is_new:
            instance = self._meta.model()
        changed, m2m = [], {}
        for resource_field, _header in fields:
            value = values[resource_field.column_name]
            attribute = resource_field.attribute
            if isinstance(resource_field.widget, w.ManyNaturalKeysWidget):
                stored = (
                    set()
                    if is_new
                    else {obj.pk for obj in getattr(instance, attribute).all()}
                )
                if is_new or stored != {obj.pk for obj in value}:
                    m2m[attribute] = value
                    changed.append(attribute)
                continue
            if value is None and not _nullable(instance, attribute):
                value = _empty_value(instance, attribute)
            if is_new or self.stored(instance, attribute) != _incoming(value):
                self.assign(instance, attribute, value)
                changed.append(attribute)
        if not is_new and not changed:
            return None
        return PlannedRow(number, instance, is_new, changed, m2m)

    def stored(self, instance, attribute):
        """A record's value for a column, as compared with the row's."""
        return _stored_value(instance, attribute)

    def assign(self, instance, attribute, value):
        setattr(instance, attribute, value)

    # -- row by row, through the services ----------------------------------------

    def save_row(self, planned, *, actor, reason):
        self.save_service(planned.instance, actor=actor, reason=reason)
        self.save_links(planned.instance, planned.m2m)

    def save_links(self, instance, links):
        """Give the saved ``instance`` the many-to-many ``links`` the row names."""
        for attribute, related in links.items():
            getattr(instance, attribute).set(related)

    def write(self, plans, result, writer, *, dry_run=False, **kwargs):
        # The batch exists before the first row is written, so that every history
        # row can point at it; a batch of an import that wrote nothing still tells
        # who imported what, and when.
        batch = None if dry_run else self.batch_for(kwargs)
        token = current_batch.set(batch)
        try:
            writer(
                plans,
                result,
                actor=kwargs.get("user"),
                reason=str(batch.reason) if batch else "",
                batch=batch,
            )
        finally:
            current_batch.reset(token)
        if batch is not None and not result.problems:
            batch.new += result.totals[RowResult.IMPORT_TYPE_NEW]
            batch.updated += result.totals[RowResult.IMPORT_TYPE_UPDATE]
            batch.unchanged += result.totals[RowResult.IMPORT_TYPE_SKIP]
            batch.save(update_fields=["new", "updated", "unchanged"])
            result.batch = batch

    def write_rows(self, plans, result, *, actor, reason, batch):
        for planned in plans:
            try:
                with transaction.atomic():
                    self.save_row(planned, actor=actor, reason=reason)
            except ValidationError as exc:
                self.report(result, planned.number, exc)
                continue
            self.count(result, planned)
            self.after_row_saved()

    def batch_for(self, kwargs):
        batch = kwargs.get("batch")
        if batch is None:
            batch = ImportBatch.objects.create(
                file_name=kwargs.get("file_name") or "?",
                what=str(self._meta.model._meta.verbose_name_plural),
                user=kwargs.get("user")
                if getattr(kwargs.get("user"), "pk", None)
                else None,
            )
            kwargs["batch"] = batch
        return batch

    def after_row_saved(self):
        # A later row may name the record just saved (a document amending another).
        for resource_field in self.import_columns():
            if isinstance(resource_field.widget, w.NaturalKeyWidget):
                resource_field.widget.mark_stale()

    @staticmethod
    def count(result, planned):
        kind = (
            RowResult.IMPORT_TYPE_NEW
            if planned.is_new
            else RowResult.IMPORT_TYPE_UPDATE
        )
        result.totals[kind] += 1

    def report(self, result, number, exc):
        columns = {f.attribute: f.column_name for f in self.get_export_fields()}
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                column_name = columns.get(name, "" if name == "__all__" else name)
                for message in errors:
                    result.problems.append(Problem(number, column_name, message))
        else:
            for message in exc.messages:
                result.problems.append(Problem(number, "", message))

    # -- set-based path (bulk = True) -------------------------------------------
    #
    # The rows are checked, and then written, as one set by two services of the
    # model's app, which apply the rules of ``save_service`` with the facts those
    # rules need loaded once for the whole set. A service refuses with a
    # ValidationError; its ``by_position``, {position in the set: that record's
    # ValidationError}, names the rows. A file that is written is checked twice:
    # for the counts (``validate_bulk``, all a dry run does), then by the save
    # service, which writes nothing it has not checked. (Many-to-many columns are
    # not written on this path: a model that has them imports row by row.)

    #: Checks a set of records and writes nothing: ``service(records)``.
    check_set_service = None
    #: Checks and writes a set of records, all or none, with history:
    #: ``service(records, *, actor, reason, batch, update_fields)``.
    save_set_service = None

    def validate_bulk(self, plans, result):
        refused = self.run_set_service(plans, result, self.check_set_service)
        for position, planned in enumerate(plans):
            if position not in refused:
                self.count(result, planned)

    def write_bulk(self, plans, result, *, actor, reason, batch):
        changed = {name for p in plans if not p.is_new for name in p.changed}
        self.run_set_service(
            plans,
            result,
            self.save_set_service,
            actor=actor,
            reason=reason,
            batch=batch,
            update_fields=sorted(changed),
        )

    def run_set_service(self, plans, result, service, **arguments):
        """Call ``service`` with the records of ``plans``; report what it refuses,
        row by row, and return the positions of the rows refused."""
        try:
            service([planned.instance for planned in plans], **arguments)
        except ValidationError as exc:
            by_position = getattr(exc, "by_position", None)
            if by_position is None:
                self.report(result, None, exc)
                return set(range(len(plans)))
            for position, error in by_position.items():
                self.report(result, plans[position].number, error)
            return set(by_position)
        return set()


def _render(widget, value):
    if isinstance(widget, w.ManyNaturalKeysWidget):
        return "\n".join(widget.keys(obj)[0] for obj in value)
    return widget.render(value)


def _messages(exc):
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc)]


def _key_part(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str):
        return w.normalize_key(value)
    return value


def _attribute_value(instance, attribute):
    """The stored value of ``attribute`` as a key part (text compared loosely)."""
    return _key_part(_stored_value(instance, attribute))


def _stored_value(instance, attribute):
    model_field = _model_field(instance, attribute)
    if model_field is not None and model_field.is_relation:
        return getattr(instance, model_field.attname)
    return getattr(instance, attribute, None)


def _incoming(value):
    return value.pk if isinstance(value, models.Model) else value


def _model_field(instance, attribute):
    try:
        return instance._meta.get_field(attribute)
    except FieldDoesNotExist:
        return None


def _nullable(instance, attribute):
    model_field = _model_field(instance, attribute)
    return model_field is None or model_field.null


def _empty_value(instance, attribute):
    model_field = _model_field(instance, attribute)
    if model_field.has_default():
        return model_field.get_default()
    return "" if model_field.empty_strings_allowed else None


def sheet(model, *specs, base=None):
    """A resource class for ``model`` with the columns ``specs`` (see ``columns``),
    in that order; subclass it to set the key, the service and any overrides."""
    base = base or SpreadsheetResource
    fields = columns(model, *specs)
    meta = type("Meta", (), {"model": model, "fields": tuple(fields)})
    attrs = {**fields, "Meta": meta, "__module__": model.__module__}
    return type(base)(f"{model.__name__}Columns", (base,), attrs)

"""The whole database as one workbook, a sheet per record type, in the order the
records depend on each other: the backup, restore and migration path."""

import time

import openpyxl
from django.apps import apps
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from cica_admin.core.models import ImportBatch

from .files import Workbook, escape_cell, rows_to_dataset

UNKNOWN_SHEETS = _("Unknown sheets: %(sheets)s. The workbook takes: %(expected)s.")
SHEET_REFUSED = _("Sheet “%(sheet)s”: %(message)s")


def resource_classes():
    """Every resource, in dependency order: a sheet only names records of sheets
    above it.

    Each app lists its own in its ``AppConfig.spreadsheet_resources`` (paths inside
    the app, in the app's dependency order); apps come in ``INSTALLED_APPS`` order,
    which is the order they depend on each other.
    """
    return [
        import_string(f"{config.name}.{path}")
        for config in apps.get_app_configs()
        for path in getattr(config, "spreadsheet_resources", ())
    ]


def resource_for_model(model):
    for resource_class in resource_classes():
        if resource_class._meta.model is model:
            return resource_class
    raise LookupError(model)


def export_workbook(out, *, progress=None) -> dict:
    """Write every record to ``out`` (a path or a file), one sheet per record type.
    Returns the number of rows per sheet."""
    book = openpyxl.Workbook(write_only=True)
    counts = {}
    for resource_class in resource_classes():
        started = time.perf_counter()
        dataset = resource_class().export()
        sheet = book.create_sheet(title=dataset.title)
        sheet.append(dataset.headers)
        for row in dataset:
            sheet.append([escape_cell(value) for value in row])
        counts[dataset.title] = len(dataset)
        if progress:
            progress(dataset.title, len(dataset), time.perf_counter() - started)
    book.save(out)
    return counts


class WorkbookRefused(ValueError):
    pass


def read_workbook(data: bytes):
    """The datasets of a workbook by sheet title, checked like any upload."""
    with Workbook(data) as book:
        expected = [r.sheet_name() for r in resource_classes()]
        unknown = [name for name in book.sheetnames if name not in expected]
        if unknown:
            raise WorkbookRefused(
                UNKNOWN_SHEETS
                % {"sheets": ", ".join(unknown), "expected": ", ".join(expected)}
            )
        return {name: rows_to_dataset(book.rows(name)) for name in book.sheetnames}


def import_workbook(data: bytes, *, file_name, user=None, dry_run=False, progress=None):
    """Load a workbook, sheet by sheet in dependency order, in one transaction and
    as one import batch. Stops at the first sheet with problems; then, as on a dry
    run, nothing is kept. Returns ``(batch or None, [(sheet, result), ...])``."""
    datasets = read_workbook(data)
    results = []
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            file_name=file_name, what="workbook", user=user
        )
        failed = False
        for resource_class in resource_classes():
            dataset = datasets.get(resource_class.sheet_name())
            if dataset is None:
                continue
            started = time.perf_counter()
            result = resource_class().import_data(
                dataset,
                dry_run=False,
                use_transactions=False,
                user=user,
                file_name=file_name,
                batch=batch,
            )
            results.append((resource_class.sheet_name(), result))
            if progress:
                progress(
                    resource_class.sheet_name(), result, time.perf_counter() - started
                )
            if result.has_validation_errors():
                failed = True
                break
        if failed or dry_run:
            transaction.set_rollback(True)
            return None, results
    return batch, results

import io

import openpyxl
import pytest

from cica_admin.core.spreadsheets.files import CSV, ODS, XLSX
from cica_admin.core.spreadsheets.workbook import (
    export_workbook,
    import_workbook,
    resource_classes,
)

RESOURCES = resource_classes()


def history_count():
    return sum(r._meta.model.history.count() for r in RESOURCES)


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r.__name__)
@pytest.mark.parametrize("file_format", [XLSX, CSV], ids=["xlsx", "csv"])
def test_an_exported_sheet_re_imports_unchanged_and_writes_no_history(
    cica_record, resource_class, file_format, clerk
):
    dataset = resource_class().export()
    data = file_format().export_data(dataset)
    before = history_count()

    result = resource_class().import_data(
        file_format().create_dataset(data), user=clerk, file_name="again"
    )

    assert not result.has_validation_errors(), result.problems
    assert result.counts == {
        "new": 0,
        "updated": 0,
        "unchanged": len(dataset),
        "invalid": 0,
    }
    assert history_count() == before


def test_exports_name_records_by_natural_key_never_by_id(cica_record):
    from finance.resources import ContributionResource
    from meetings.resources import DelegationResource

    dataset = DelegationResource().export()
    assert "id" not in dataset.headers
    first = dict(zip(dataset.headers, dataset[0], strict=True))
    assert first["meeting"] == "summit | 1"
    assert len(first["party"]) == 3
    assert first["party"].isupper()
    assert "id" not in ContributionResource().export().headers


def test_ods_exports_but_does_not_offer_import():
    assert ODS().can_export()
    assert not ODS().can_import()


def sheets(data):
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {name: list(book[name].values) for name in book.sheetnames}


def delete_everything():
    for resource_class in reversed(RESOURCES):
        model = resource_class._meta.model
        for field in model._meta.many_to_many:
            for obj in model.objects.all():
                getattr(obj, field.name).clear()
        model.objects.all().update(**_self_references_cleared(model))
        model.objects.all().delete()


def _self_references_cleared(model):
    return {
        f.name: None
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is model
    }


def test_the_workbook_round_trips_through_an_empty_database(cica_record, clerk):
    first = io.BytesIO()
    export_workbook(first)
    delete_everything()
    assert all(not r._meta.model.objects.exists() for r in RESOURCES)

    batch, results = import_workbook(
        first.getvalue(), file_name="cica.xlsx", user=clerk
    )

    assert batch is not None, [(s, r.problems) for s, r in results]
    second = io.BytesIO()
    export_workbook(second)
    assert sheets(second.getvalue()) == sheets(first.getvalue())
    assert batch.new == sum(len(rows) - 1 for rows in sheets(first.getvalue()).values())


def test_a_workbook_dry_run_writes_nothing(cica_record, clerk):
    data = io.BytesIO()
    export_workbook(data)
    delete_everything()

    batch, results = import_workbook(
        data.getvalue(), file_name="cica.xlsx", user=clerk, dry_run=True
    )

    assert batch is None
    assert all(not r.has_validation_errors() for _sheet, r in results)
    assert all(not r._meta.model.objects.exists() for r in RESOURCES)

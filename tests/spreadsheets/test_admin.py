import io

import pytest
from django.urls import reverse

from cica_admin.core.models import ImportBatch
from finance.models import Contribution
from tests.factories import member, staff_with

from .helpers import xlsx_bytes

IMPORT = reverse("admin:finance_contribution_import")
EXPORT = reverse("admin:finance_contribution_export")
TEMPLATE = reverse("admin:finance_contribution_import_template", args=["xlsx"])


def upload(rows, name="contributions.xlsx"):
    data = io.BytesIO(xlsx_bytes(rows))
    data.name = name
    return data


@pytest.mark.parametrize("url", [IMPORT, EXPORT, TEMPLATE])
def test_a_view_only_clerk_may_neither_import_nor_export(db, client, url):
    client.force_login(staff_with("view_contribution"))
    assert client.get(url).status_code == 403


def test_export_permission_alone_exports_but_does_not_import(db, client):
    member(country="KZ")
    client.force_login(staff_with("view_contribution", "export_contribution"))

    assert client.get(IMPORT).status_code == 403
    assert client.get(EXPORT).status_code == 200


@pytest.mark.parametrize("lacking", ["add_contribution", "change_contribution"])
def test_the_import_permission_is_no_way_round_add_and_change(db, client, lacking):
    member(country="KZ")
    every = {f"{action}_contribution" for action in ("view", "import", "add", "change")}
    client.force_login(staff_with(*(every - {lacking})))
    rows = [
        ["party", "reference", "received", "amount", "currency"],
        ["KAZ", "A-1", "2020-01-02", "10", "USD"],
    ]

    assert client.get(IMPORT).status_code == 403
    sent = client.post(IMPORT, {"import_file": upload(rows), "format": "0"})
    assert sent.status_code == 403
    confirm = reverse("admin:finance_contribution_process_import")
    assert client.post(confirm, {}).status_code == 403
    assert not Contribution.objects.exists()


def test_preview_then_confirm_imports_and_shows_the_batch(db, client):
    member(country="KZ")
    clerk = staff_with(
        "view_contribution",
        "import_contribution",
        "add_contribution",
        "change_contribution",
    )
    client.force_login(clerk)
    rows = [
        ["party", "reference", "received", "amount", "currency"],
        *[["KAZ", f"A-{i}", "2020-01-02", "10", "USD"] for i in range(3)],
    ]

    preview = client.post(IMPORT, {"import_file": upload(rows), "format": "0"})

    assert preview.status_code == 200
    assert not Contribution.objects.exists()
    form = preview.context["confirm_form"]
    confirm = client.post(
        reverse("admin:finance_contribution_process_import"),
        {name: form[name].value() for name in form.fields},
    )
    batch = ImportBatch.objects.get()
    assert confirm.status_code == 302
    assert confirm["Location"] == batch.get_absolute_url()
    assert Contribution.objects.count() == 3
    assert {h.history_user for h in Contribution.history.all()} == {clerk}


def test_the_preview_names_each_problem_with_its_row_and_column(clerk_client):
    member(country="KZ")
    rows = [
        ["party", "reference", "received", "amount", "currency"],
        ["KAZ", "A-1", "2020-01-02", "10", "USD"],
        ["KAZ", "A-2", "2020-01-02", "10", "DOLLARS"],
    ]

    response = clerk_client.post(IMPORT, {"import_file": upload(rows), "format": "0"})

    page = response.content.decode()
    assert (
        "confirm_form" not in response.context or not response.context["confirm_form"]
    )
    assert "<td>3</td><td>currency</td>" in page
    assert not Contribution.objects.exists()


def test_a_refused_file_is_explained_beside_the_upload(clerk_client):
    data = io.BytesIO(b"party,amount\nKAZ,1\n")
    data.name = "contributions.xlsx"

    response = clerk_client.post(IMPORT, {"import_file": data, "format": "0"})

    assert "not an Excel workbook" in response.content.decode()


def test_a_preview_of_ten_thousand_rows_stays_small(clerk_client):
    member(country="KZ")
    rows = [
        ["party", "reference", "received", "amount", "currency"],
        *[["KAZ", f"B-{i}", "2020-01-02", "10", "USD"] for i in range(10_000)],
    ]

    response = clerk_client.post(IMPORT, {"import_file": upload(rows), "format": "0"})

    assert response.context["result"].counts["new"] == 10_000
    assert len(response.content) < 500_000


def test_a_batch_is_reverted_from_its_page_only_with_the_permission(client, clerk):
    member(country="KZ")
    client.force_login(clerk)
    rows = [
        ["party", "reference", "received", "amount", "currency"],
        ["KAZ", "A-1", "2020-01-02", "10", "USD"],
    ]
    preview = client.post(IMPORT, {"import_file": upload(rows), "format": "0"})
    form = preview.context["confirm_form"]
    client.post(
        reverse("admin:finance_contribution_process_import"),
        {name: form[name].value() for name in form.fields},
    )
    batch = ImportBatch.objects.get()
    revert = reverse("admin:cica_admin_importbatch_revert", args=[batch.pk])
    assert "Revert this import" in client.get(batch.get_absolute_url()).content.decode()

    client.force_login(staff_with("view_importbatch"))
    assert client.post(revert).status_code == 403
    assert Contribution.objects.exists()

    client.force_login(clerk)
    confirm = client.get(revert).content.decode()
    assert "The 1 record it created is removed." in confirm
    assert "1 records" not in confirm
    response = client.post(revert, follow=True)
    assert not Contribution.objects.exists()
    assert f"Import {batch.pk} reverted: 1 record restored or removed." in (
        response.content.decode()
    )


def test_the_template_has_the_columns_and_a_help_sheet(clerk_client):
    import openpyxl

    response = clerk_client.get(TEMPLATE)
    book = openpyxl.load_workbook(io.BytesIO(response.content))

    headers = next(book.worksheets[0].values)
    assert headers[:3] == ("party", "reference", "received")
    assert book.sheetnames[1] == "Help"
    help_rows = list(book["Help"].values)
    assert help_rows[1][0] == "party"
    assert help_rows[1][1] == "yes"


def test_the_batch_list_and_page_speak_plainly(clerk_client, clerk):
    batch = ImportBatch.objects.create(file_name="parties.xlsx", what="parties")
    listing = clerk_client.get(reverse("admin:cica_admin_importbatch_changelist"))
    headers = [str(h["text"]) for h in listing.context["result_headers"]]
    assert headers[0] == "batch"  # not "PK"
    page = clerk_client.get(batch.get_absolute_url()).content.decode()
    assert "View on site" not in page  # it would lead back to this very page


def test_the_export_form_starts_with_xlsx_chosen(clerk_client):
    response = clerk_client.get(reverse("admin:registry_party_export"))
    assert response.status_code == 200
    format_field = response.context["form"]["format"]
    assert format_field.value() == "0"
    assert [label for _value, label in format_field.field.choices] == [
        "xlsx",
        "csv",
        "ods",
    ]
    assert "---" not in str(format_field)

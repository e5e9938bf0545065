"""Finance is invisible to staff outside finance: no menu, no figure, and every URL
refused with 403, not merely unlinked."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cica_admin.core.models import ImportBatch
from finance.models import Contribution, ExchangeRate, Pledge
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FINANCE_MODELS = [Pledge, Contribution, ExchangeRate]


def signed_in(client, role):
    user = UserFactory(username=role.lower().replace(" ", "_"), is_superuser=False)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


def finance_urls():
    urls = [
        reverse("admin:app_list", args=["finance"]),
        reverse("admin:report", args=["finance"]),
        reverse("admin:report", args=["statement"]) + "?party=KAZ",
        *(
            reverse("admin:autocomplete")
            + f"?app_label=finance&model_name={name}&field_name=party&term=K"
            # The history's own models, which the admin does not list, too.
            for name in ["contribution", "historicalcontribution", "historicalpledge"]
        ),
    ]
    for model in FINANCE_MODELS:
        info = f"admin:finance_{model._meta.model_name}"
        obj = model.objects.order_by("pk").first()
        urls += [
            reverse(f"{info}_changelist"),
            reverse(f"{info}_add"),
            reverse(f"{info}_change", args=[obj.pk]),
            reverse(f"{info}_delete", args=[obj.pk]),
            reverse(f"{info}_history", args=[obj.pk]),
            reverse(f"{info}_import"),
            reverse(f"{info}_export"),
        ]
    return urls


@pytest.mark.parametrize("role", ["Registry officer", "Meetings officer"])
def test_every_finance_url_is_forbidden_outside_finance(client, finance_records, role):
    signed_in(client, role)
    answers = {url: client.get(url).status_code for url in finance_urls()}
    assert answers == dict.fromkeys(answers, 403)


def test_the_finance_officer_reaches_the_same_urls(client, finance_records):
    """The other side of the test above: the URLs are real and open to finance."""
    signed_in(client, "Finance officer")
    answers = {url: client.get(url).status_code for url in finance_urls()}
    assert answers == dict.fromkeys(answers, 200)


@pytest.mark.parametrize("role", ["Registry officer", "Meetings officer"])
def test_no_finance_menu_figure_report_or_batch_outside_finance(
    client, finance_records, role
):
    ImportBatch.objects.create(
        file_name="contributions-2014.xlsx", what="contributions"
    )
    ImportBatch.objects.create(file_name="parties.xlsx", what="parties")
    workbook = ImportBatch.objects.create(file_name="everything.xlsx", what="workbook")
    Contribution.history.filter(
        history_id=Contribution.history.order_by("history_id").first().history_id
    ).update(import_batch=workbook)
    signed_in(client, role)

    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/finance/" not in index
    assert "Contributions by year" not in index
    reports = client.get(reverse("admin:reports")).content.decode()
    assert reverse("admin:report", args=["finance"]) not in reports
    assert reverse("admin:report", args=["statement"]) not in reports
    batches = client.get(reverse("admin:cica_admin_importbatch_changelist"))
    assert "parties.xlsx" in batches.content.decode()
    assert "contributions-2014.xlsx" not in batches.content.decode()
    assert "everything.xlsx" not in batches.content.decode()
    hidden = ImportBatch.objects.get(what="contributions")
    page = client.get(reverse("admin:cica_admin_importbatch_change", args=[hidden.pk]))
    assert page.status_code == 404


def test_the_finance_officer_sees_the_menu_and_figures(client, finance_records):
    signed_in(client, "Finance officer")
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/finance/" in index
    reports = client.get(reverse("admin:reports")).content.decode()
    assert reverse("admin:report", args=["finance"]) in reports


def test_a_refusal_is_a_page_of_the_site_with_the_way_back(client, finance_records):
    signed_in(client, "Registry officer")
    response = client.get(reverse("admin:finance_pledge_changelist"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "CICA Secretariat administration" in page
    assert "Your role does not give you access" in page
    assert f'href="{reverse("admin:index")}"' in page


def test_deleting_a_party_does_not_show_its_pledges_to_a_registry_officer(
    client, finance_records
):
    pledge = Pledge.objects.order_by("pk").first()
    signed_in(client, "Registry officer")
    response = client.get(
        reverse("admin:registry_party_delete", args=[pledge.party_id])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pledge" not in page
    assert "pledge" not in page
    assert "Contribution" not in page
    assert "records of a kind you may not see" in page


def test_who_may_view_finance_is_told_which_pledges_block_a_deletion(
    client, finance_records
):
    """The other side: the masking hides only what the user may not view."""
    pledge = Pledge.objects.order_by("pk").first()
    signed_in(client, "Administrator")
    page = client.get(
        reverse("admin:registry_party_delete", args=[pledge.party_id])
    ).content.decode()
    assert "Pledge: " in page
    assert str(pledge).replace("'", "&#x27;") in page
    assert "records of a kind you may not see" not in page

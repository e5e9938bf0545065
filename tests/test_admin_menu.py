"""The admin's menu puts the clerks' records first, administration last."""

from django.urls import reverse


def test_the_menu_lists_the_records_before_accounts_and_logins(clerk_client):
    page = clerk_client.get(reverse("admin:index"))

    labels = [app["app_label"] for app in page.context["app_list"]]
    assert labels[:3] == ["registry", "meetings", "finance"]
    assert labels.index("cica_admin") < labels.index("auth") < labels.index("axes")

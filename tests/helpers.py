from django.urls import reverse

from cica_admin.core.history import tracked_models
from tests.html_forms import FormReader


def admin_urls(model):
    """The changelist, add, change and history pages of ``model``'s first record."""
    info = model._meta.app_label, model._meta.model_name
    obj = model.objects.order_by("pk").first()
    return [
        reverse("admin:{}_{}_changelist".format(*info)),
        reverse("admin:{}_{}_add".format(*info)),
        reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
        reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
    ]


def form_data(response, form_id=None) -> dict:
    """What a browser would post from the form ``form_id`` (or every form) of a page,
    as the test client takes it: a list where a name has several values."""
    reader = FormReader(form_id)
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.data:
        if name in data:
            previous = data[name]
            data[name] = (
                [*previous, value] if isinstance(previous, list) else [previous, value]
            )
        else:
            data[name] = value
    return data


def record_state():
    """Every tracked record and every history row, as comparable values: equal
    before and after, nothing was written."""
    return {
        model._meta.label: (
            sorted(model._base_manager.values_list("pk", flat=True)),
            model.history.count(),
        )
        for model in tracked_models()
    }

from django.urls import reverse


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

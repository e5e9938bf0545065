from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cica_admin.core.admin import ServiceAdmin, differs_from_stored

from . import reports, services
from .models import Contribution, ExchangeRate, Pledge
from .rules import ZERO, format_money


class TotalsAdmin(ServiceAdmin):
    """A changelist that shows the totals of the rows its filters select."""

    change_list_template = "admin/finance/change_list_with_totals.html"
    totals_date_field = "date"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "cl" in context:
            # The filtered rows of every page, not just this one: two queries.
            context["totals"] = reports.totals(
                context["cl"].queryset, date_field=self.totals_date_field
            )
        return response

    @admin.display(description=_("amount"), ordering="amount")
    def money(self, obj):
        return obj.amount_display


@admin.register(Pledge)
class PledgeAdmin(TotalsAdmin):
    def get_queryset(self, request):
        # Also serves the pledge autocomplete, where each row names its party.
        return super().get_queryset(request).select_related("party")

    @admin.display(description=_("received so far"))
    def received_so_far(self, obj):
        if obj.pk is None:
            return "—"
        received = sum(obj.contributions.values_list("amount", flat=True), ZERO)
        outstanding = obj.amount - received
        return _("%(received)s received; %(outstanding)s %(state)s") % {
            "received": format_money(received, obj.currency),
            "outstanding": format_money(abs(outstanding), obj.currency),
            "state": _("outstanding") if outstanding >= 0 else _("overpaid"),
        }

    save_service = staticmethod(services.pledge_save)
    list_display = ["party", "money", "period", "earmark", "date", "synthetic"]
    list_filter = ["year", "earmark", "currency", "synthetic", "party"]
    list_select_related = ["party"]
    search_fields = ["party__name", "basis", "note", "project"]
    autocomplete_fields = ["party", "meeting"]
    date_hierarchy = "date"
    readonly_fields = ["received_so_far"]
    fieldsets = [
        (
            None,
            {"fields": ["party", ("amount", "currency"), ("year", "year_to"), "date"]},
        ),
        (_("Fulfilment"), {"fields": ["received_so_far"]}),
        (_("Earmark"), {"fields": ["earmark", "meeting", "project"]}),
        (_("Record"), {"fields": ["basis", "note"]}),
    ]


@admin.register(Contribution)
class ContributionAdmin(TotalsAdmin):
    save_service = staticmethod(services.contribution_save)
    lock_first = "pledge"  # as contribution_save does
    totals_date_field = "received"
    list_display = [
        "party",
        "money",
        "received",
        "year",
        "kind",
        "reference",
        "synthetic",
    ]
    list_filter = ["year", "kind", "earmark", "currency", "synthetic", "party"]
    list_select_related = ["party"]
    search_fields = ["party__name", "reference", "note", "project"]
    autocomplete_fields = ["party", "meeting", "pledge", "covers"]
    date_hierarchy = "received"
    fieldsets = [
        (None, {"fields": ["party", ("amount", "currency"), ("received", "year")]}),
        (_("Kind"), {"fields": ["kind", "covers"]}),
        (_("Earmark"), {"fields": ["earmark", "meeting", "project"]}),
        (
            _("Pledge"),
            {"fields": ["pledge", "overpayment_confirmed"]},
        ),
        (_("Record"), {"fields": ["reference", "note"]}),
    ]


class ExchangeRateForm(forms.ModelForm):
    quoted = forms.ChoiceField(
        label=_("The rate says"),
        choices=[
            ("direct", _("how much of the reporting currency one unit is worth")),
            ("inverse", _("how many units one unit of the reporting currency buys")),
        ],
        initial="direct",
        help_text=_(
            "National banks often quote the second way (e.g. 450.50 KZT for 1 USD); "
            "it is stored the first way (1 KZT = 0.0022197558 USD)."
        ),
    )
    confirm_jump = forms.BooleanField(
        label=_("Confirm this rate"),
        required=False,
        help_text=_("Only if the rate really moved more than fivefold."),
    )

    class Meta:
        model = ExchangeRate
        fields = ["currency", "date", "rate", "source"]

    def clean(self):
        cleaned = super().clean()
        rate = cleaned.get("rate")
        if rate and cleaned.get("quoted") == "inverse":
            cleaned["rate"] = services.invert_rate(rate)
        return cleaned

    def _post_clean(self):
        # Django validates the rate with its plain full_clean(); the jump rule takes
        # the clerk's confirmation as an argument, so it is checked here, on the
        # rate as the form made it, as exchange_rate_save will check it.
        super()._post_clean()
        if not self.errors:
            try:
                self.instance.check_jump(confirm_jump=self.confirmed_jump())
            except ValidationError as error:
                self.add_error(None, error)

    def confirmed_jump(self):
        return self.cleaned_data.get("confirm_jump", False)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ServiceAdmin):
    form = ExchangeRateForm
    fields = ["currency", "date", "rate", "quoted", "confirm_jump", "source"]
    save_service = staticmethod(services.exchange_rate_save)
    list_display = ["currency", "date", "rate", "source", "synthetic"]
    list_filter = ["currency", "synthetic"]
    search_fields = ["currency", "source"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        # As ServiceAdmin saves, with the clerk's confirmation of a jump passed on to
        # the service as an argument.
        if change and not differs_from_stored(obj):
            return
        self.save_service(
            obj,
            confirm_jump=form.confirmed_jump(),
            actor=request.user,
            reason=self.change_reason(form),
        )

"""The filters of the audit log and of the deleted records, as GET forms."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..history import Criteria, Kind, history_users, model_key

EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)
DATE_OUT_OF_RANGE = _("Give a date between the years 1900 and 2999.")
DATES_REVERSED = _("The end date is before the start date.")
RECORD_NEEDS_MODEL = _("Choose the kind of record, then give its number.")
NOT_A_RECORD_NUMBER = _("“%(value)s” is not a record number of %(model)s.")
ACTIONS = [("", _("any")), ("+", _("added")), ("~", _("changed")), ("-", _("deleted"))]
KINDS = [
    ("", _("any")),
    (Kind.IMPORT, _("spreadsheet import")),
    (Kind.COMMAND, _("with a reason: a command, a restore, a revert of an import")),
    (Kind.ADMIN, _("edit in the admin, no reason given")),
]


def model_choices(models):
    named = [
        (
            model_key(model),
            f"{capfirst(model._meta.verbose_name_plural)} "
            f"({model._meta.app_config.verbose_name})",
        )
        for model in models
    ]
    return [("", _("all you may view")), *sorted(named, key=lambda c: c[1].lower())]


class ModelFilterForm(forms.Form):
    """Which kind of record, among ``models``; empty: all of them."""

    model = forms.ChoiceField(label=_("Records"), required=False)

    def __init__(self, *args, models, **kwargs):
        super().__init__(*args, **kwargs)
        self.models = {model_key(model): model for model in models}
        self.fields["model"].choices = model_choices(models)

    def chosen_models(self):
        key = self.cleaned_data.get("model")
        return [self.models[key]] if key else list(self.models.values())


class AuditFilterForm(ModelFilterForm):
    """The filters of the audit log. Dates are days of the site's calendar
    (Asia/Almaty), both inclusive."""

    user = forms.TypedChoiceField(
        label=_("User"), required=False, coerce=int, empty_value=None
    )
    record = forms.CharField(
        label=_("Record number"),
        required=False,
        max_length=20,
        help_text=_("With a kind of record: the history of that one record."),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Inclusive."),
    )
    action = forms.ChoiceField(label=_("Action"), required=False, choices=ACTIONS)
    kind = forms.ChoiceField(label=_("Made by"), required=False, choices=KINDS)
    reason = forms.CharField(label=_("Reason contains"), required=False, max_length=100)

    field_order = [
        "user",
        "model",
        "record",
        "date_from",
        "date_to",
        "action",
        "kind",
        "reason",
    ]

    def __init__(self, *args, models, **kwargs):
        super().__init__(*args, models=models, **kwargs)
        self.fields["user"].choices = [("", _("anyone"))] + [
            (user.pk, user.get_full_name() or user.get_username())
            for user in history_users(models)
        ]

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day and not EARLIEST <= day <= LATEST:  # a moment no database holds
                self.add_error(name, DATE_OUT_OF_RANGE)
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", DATES_REVERSED)
        record = data.get("record")
        if record:
            key = data.get("model")
            if not key:
                if "model" not in self.errors:
                    self.add_error("record", RECORD_NEEDS_MODEL)
                return data
            model = self.models[key]
            try:
                data["record"] = model._meta.pk.to_python(record)
            except ValidationError:
                data["record"] = None
            if not 0 < (data["record"] or 0) < 2**63:  # beyond any database's ids
                self.add_error(
                    "record",
                    NOT_A_RECORD_NUMBER
                    % {"value": record, "model": model._meta.verbose_name_plural},
                )
        return data

    def criteria(self) -> Criteria:
        data = self.cleaned_data
        since, until = Criteria.days(data.get("date_from"), data.get("date_to"))
        return Criteria(
            user_id=data.get("user"),
            object_id=data.get("record") or None,
            since=since,
            until=until,
            kind=data.get("kind") or "",
            action=data.get("action") or "",
            reason=(data.get("reason") or "").strip(),
        )

"""What each report asks for. The admin pages and the ``report`` command validate
their parameters with the same forms, so both refuse the same mistakes."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Document, Meeting
from meetings.reports import meeting_by_key
from registry.models import Party

from .snapshot import end_of_day

AS_OF_IN_FUTURE = _(
    "The records cannot be shown as they will stand: choose a past moment."
)
AS_OF_FORMAT = _("Enter a date (2026-05-20) or a date and time (2026-05-20 14:30).")
SINCE_AFTER_ON = _("The start of the period must not be after its end (%(on)s).")
NO_SUCH_MEETING = _(
    "No meeting “%(key)s”. Name it by its id or by its body and ordinal or first "
    "day, e.g. summit-4 or summit-2014-05-20."
)
NO_SUCH_DOCUMENT = _("No document “%(key)s”. Name it by its id or as kind | title.")
NO_SUCH_PARTY = _("No party “%(key)s”. Name it by its code, e.g. KAZ or OSCE.")


def _day_end(day):
    """The end of ``day``; for today, which has not ended, now."""
    if day == timezone.localdate():
        return timezone.now()
    return end_of_day(day)


class AsOfField(forms.Field):
    """A moment in the past: a date means the end of that day (today: now)."""

    widget = forms.DateTimeInput(attrs={"placeholder": "YYYY-MM-DD", "size": 16})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            moment = value
        elif isinstance(value, datetime.date):
            return _day_end(value)
        else:
            text = str(value).strip()
            try:
                return _day_end(datetime.date.fromisoformat(text))
            except ValueError:
                pass
            try:
                moment = datetime.datetime.fromisoformat(text)
            except ValueError:
                raise ValidationError(AS_OF_FORMAT, code="invalid") from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def validate(self, value):
        super().validate(value)
        if value is not None and value > timezone.now():
            raise ValidationError(AS_OF_IN_FUTURE, code="future")


class KeyedChoiceField(forms.ModelChoiceField):
    """A record chosen from a list in the admin, or named by its key on the command
    line (``lookup``)."""

    def __init__(self, queryset, *, lookup, missing, **kwargs):
        super().__init__(queryset, **kwargs)
        self.lookup, self.missing = lookup, missing

    def bound_data(self, data, initial):
        # Show a record named by its key (summit-4) as chosen in the list.
        try:
            return self.to_python(data).pk
        except (ValidationError, AttributeError):
            return data

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            return value
        try:
            return self.lookup(str(value))
        except (self.queryset.model.DoesNotExist, ValueError):
            raise ValidationError(
                self.missing, code="invalid_choice", params={"key": value}
            ) from None


class ReportForm(forms.Form):
    as_of = AsOfField(
        label=_("As the records stood on"),
        required=False,
        help_text=_(
            "Leave empty for the records as they stand now. A date means the end of "
            "that day."
        ),
    )


class DatedReportForm(ReportForm):
    """A report as of a day, today unless the clerk says otherwise."""

    on = forms.DateField(label=_("On"), required=False)

    def clean(self):
        cleaned = super().clean()
        cleaned["on"] = cleaned.get("on") or timezone.localdate()
        return cleaned


class MeetingForm(ReportForm):
    meeting = KeyedChoiceField(
        Meeting.objects.select_related("body").order_by("-start"),
        lookup=meeting_by_key,
        missing=NO_SUCH_MEETING,
        label=_("Meeting"),
    )


class RegisterForm(DatedReportForm):
    on = forms.DateField(label=_("Members and observers on"), required=False)
    since = forms.DateField(
        label=_("Changes since"),
        required=False,
        help_text=_("Leave empty to leave out the list of changes."),
    )

    def clean(self):
        cleaned = super().clean()
        since = cleaned.get("since")
        if since and since > cleaned["on"]:
            self.add_error("since", SINCE_AFTER_ON % {"on": cleaned["on"]})
        return cleaned


def _party(key):
    if key.isdigit():
        return Party.objects.get(pk=int(key))
    return Party.objects.get_by_natural_key(key)


def _document(key):
    if key.isdigit():
        return Document.objects.get(pk=int(key))
    kind, _sep, title = key.partition("|")
    return Document.objects.get(kind=kind.strip(), title=title.strip())


class DocumentForm(DatedReportForm):
    document = KeyedChoiceField(
        Document.objects.order_by("title"),
        lookup=_document,
        missing=NO_SUCH_DOCUMENT,
        label=_("Document"),
    )
    on = forms.DateField(label=_("Status on"), required=False)


class SyntheticChoiceForm(DatedReportForm):
    """A finance report, which leaves synthetic rows out unless asked for them."""

    include_synthetic = forms.BooleanField(
        label=_("Include synthetic data"),
        required=False,
        help_text=_(
            "The made-up pledges, contributions and rates of generate_synthetic, for "
            "trying the report. The report then says on every page that it holds "
            "them."
        ),
    )


class FinanceForm(SyntheticChoiceForm):
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1992,
        max_value=2100,
        help_text=_("Leave empty for every year recorded."),
    )
    on = forms.DateField(label=_("Outstanding pledges on"), required=False)


class StatementForm(SyntheticChoiceForm):
    party = KeyedChoiceField(
        Party.objects.order_by("name"),
        lookup=_party,
        missing=NO_SUCH_PARTY,
        label=_("Party"),
    )
    on = forms.DateField(label=_("Statement on"), required=False)

"""Widgets that turn cells into values and back, by natural keys, never by ids.

Every ``clean`` raises ``ValueError`` with a message for the clerk; the resource
reports it against the row and the column.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from import_export import widgets

KEY_SEPARATOR = " | "

NOT_A_DATE = _("“%(value)s” is not a date; write it as YYYY-MM-DD (or DD.MM.YYYY).")
NOT_A_NUMBER = _("“%(value)s” is not a number.")
NOT_A_WHOLE_NUMBER = _("“%(value)s” is not a whole number.")
COMMA_IN_NUMBER = _(
    "“%(value)s”: write amounts without thousands separators, with a point for "
    "decimals (1234.50)."
)
NOT_YES_NO = _("“%(value)s” is not yes or no.")
NOT_A_CHOICE = _("“%(value)s” is not one of: %(choices)s.")
NOT_FOUND = _("No %(what)s “%(value)s” in the records.")
AMBIGUOUS = _("“%(value)s” names more than one %(what)s; use the code.")


def _text(value):
    """A cell as text: whole numbers without the ".0" a spreadsheet adds."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value)


def normalize_key(value) -> str:
    """How keys are compared: case, spaces around the separator and runs of spaces
    do not matter."""
    text = " ".join(_text(value).split()).casefold()
    return re.sub(r"\s*\|\s*", "|", text)


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _text(value).strip()


class DayWidget(widgets.Widget):
    """A day, written ISO (2014-05-20) on export; a date cell or DD.MM.YYYY is also
    read."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(NOT_A_DATE % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value).strip()
        if not text:
            return None
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(NOT_A_WHOLE_NUMBER % {"value": text})
        return int(text)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class AmountWidget(widgets.Widget):
    """A Decimal, exactly as written. A number cell is read through its shortest
    repr, which is what the spreadsheet shows (1234.57, not 1234.5699999)."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Decimal(repr(value))
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if "," in text:
            raise ValueError(COMMA_IN_NUMBER % {"value": value})
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(NOT_A_NUMBER % {"value": value}) from None
        if not amount.is_finite():
            raise ValueError(NOT_A_NUMBER % {"value": value})
        return amount

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        text = format(value.normalize(), "f")
        return Decimal(text) if kwargs.get("force_native_type") else text


class YesNoWidget(widgets.Widget):
    YES = {"yes", "y", "true", "1", "x"}
    NO = {"no", "n", "false", "0", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _text(value).strip().casefold()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(NOT_YES_NO % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class ChoiceWidget(widgets.Widget):
    """A choice by its code (exported) or its label, in any case."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.codes = [code for code, _label in choices]
        self.lookup = {}
        for code, label in choices:
            self.lookup[normalize_key(code)] = code
            self.lookup.setdefault(normalize_key(label), code)

    def clean(self, value, row=None, **kwargs):
        key = normalize_key(value)
        if not key:
            return ""
        try:
            return self.lookup[key]
        except KeyError:
            raise ValueError(
                NOT_A_CHOICE % {"value": value, "choices": ", ".join(self.codes)}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A related record by its natural key, looked up in a table loaded once.

    ``keys`` gives, for a record, every text that names it; the first is the one
    exported. The table is loaded on first use and again, at most once per saved row,
    when a name is missing (a row may refer to one saved earlier in the same import).
    """

    def __init__(self, model, keys, *, queryset=None, what=None, label=None):
        super().__init__(model)
        self.keys = keys
        self.label = label or (lambda obj: keys(obj)[0])
        self.base_queryset = queryset
        self.what = what or model._meta.verbose_name
        self.table = None
        self.stale = False

    def queryset(self):
        if self.base_queryset is not None:
            return self.base_queryset.all()
        return self.model._default_manager.all()

    def load(self):
        table = {}
        for obj in self.queryset():
            for key in self.keys(obj):
                key = normalize_key(key)
                if key:
                    table.setdefault(key, set()).add(obj)
        self.table = table
        self.stale = False

    def mark_stale(self):
        self.stale = True

    def lookup(self, value):
        key = normalize_key(value)
        if not key:
            return None
        if self.table is None:
            self.load()
        found = self.table.get(key)
        if found is None and self.stale:
            self.load()
            found = self.table.get(key)
        if not found:
            raise ValueError(NOT_FOUND % {"what": self.what, "value": value})
        if len(found) > 1:
            raise ValueError(AMBIGUOUS % {"what": self.what, "value": value})
        return next(iter(found))

    def clean(self, value, row=None, **kwargs):
        return self.lookup(value)

    def render(self, value, obj=None, **kwargs):
        return self.label(value) if value is not None else ""


class ManyNaturalKeysWidget(NaturalKeyWidget):
    """Several related records, one natural key per line of the cell."""

    def clean(self, value, row=None, **kwargs):
        lines = [line for line in _text(value).splitlines() if line.strip()]
        return [self.lookup(line) for line in lines]

    def render(self, value, obj=None, **kwargs):
        return "\n".join(sorted(self.label(item) for item in value.all()))


def joined(*parts) -> str:
    """A multi-part natural key as one cell: ``summit | 4``."""
    return KEY_SEPARATOR.join("" if part is None else _text(part) for part in parts)

"""Historical dates whose precision is part of the fact.

The seeds rarely give a full date: "Thailand (2004)", "ratified in March 2008",
"observers as of 13 June 2012". A partial date is stored as a ``DateField`` plus a
``Precision``:

========  ==================================  ======================  ===============
precision what it means                       what ``date`` holds     known by
========  ==================================  ======================  ===============
day       that day                            the day                 the day
month     some day of that month              the 1st of the month    its last day
year      some day of that year               1 January               31 December
before    on or before that day               the latest possible day that day
range     on one of the days from ``date``    the first possible day  the latest day
          to the latest date (``*_latest``)
unknown   true, but nobody recorded when      NULL                    never
========  ==================================  ======================  ===============

A range is what a source gives when it names an event of several days without saying
on which of them something happened ("Qatar joined at the Fourth Summit, 20-21 May
2014"). A field that may hold a range has a companion ``<field>_latest`` (see
``latest_field``); the others do not offer the precision.

"Known by" is the first day on which the fact is certainly true. As-of queries count a
change from that day, so a roster never claims more than the record knows; a change
whose period contains the date asked about is reported as uncertain instead.
"""

import calendar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import dateformat, formats
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    DAY = "day", _("day known")
    MONTH = "month", _("month known")
    YEAR = "year", _("year known")
    BEFORE = "before", _("on or before this date")
    RANGE = "range", _("one of the days up to the latest date")
    UNKNOWN = "unknown", _("date not known")


#: The precisions of a date that has no companion latest date.
WITHOUT_RANGE = [choice for choice in Precision.choices if choice[0] != "range"]


MONTH_MUST_START = _(
    "With “month known”, enter the first day of the month (%(first)s)."
)
YEAR_MUST_START = _("With “year known”, enter 1 January of the year (%(first)s).")
DATE_REQUIRED = _("Enter the date, or choose “date not known”.")
NO_DATE_WHEN_UNKNOWN = _("Leave the date empty when the date is not known.")
LATEST_REQUIRED = _(
    "With “on one of the days”, enter the latest day it can have been as well."
)
LATEST_AFTER_DATE = _("The latest day must come after the first possible day.")
FIRST_DAY_REQUIRED = _(
    "With a latest possible day, enter the first possible day as well."
)
LATEST_ONLY_FOR_RANGE = _(
    "Enter a latest day only with the precision “one of the days up to the latest "
    "date”."
)


PRECISION = _("precision")


def precision_field(verbose_name=PRECISION, *, with_range=False, **kwargs):
    """The precision of a partial date; ``with_range`` for a date that has a
    ``latest_field`` beside it."""
    kwargs.setdefault("default", Precision.DAY)
    return models.CharField(
        verbose_name,
        max_length=8,
        choices=Precision.choices if with_range else WITHOUT_RANGE,
        help_text=_(
            "How much of the date the source gives. For a month or a year, enter its "
            "first day; for “one of the days”, its first possible day and the latest."
        )
        if with_range
        else _(
            "How much of the date the source gives. For a month or a year, enter its "
            "first day."
        ),
        **kwargs,
    )


def latest_field(verbose_name=None):
    """The last possible day of a date known only to lie in a range of days."""
    return models.DateField(
        verbose_name or _("latest possible day"),
        null=True,
        blank=True,
        help_text=_(
            "Only with “on one of the days …”: the last day it can have been (for "
            "“at the Fourth Summit, 20-21 May 2014”: 21 May 2014)."
        ),
    )


def range_errors(value, precision, latest):
    """The message that makes the latest day of (value, precision) invalid, or None."""
    if precision != Precision.RANGE:
        return LATEST_ONLY_FOR_RANGE if latest is not None else None
    if value is None:
        # An optional date left empty: a latest day alone would be kept unseen.
        return FIRST_DAY_REQUIRED if latest is not None else None
    if latest is None:
        return LATEST_REQUIRED
    if latest <= value:
        return LATEST_AFTER_DATE
    return None


def check_range(value, precision, latest, field):
    """Refuse a latest day that does not fit (value, precision), beside ``field``."""
    message = range_errors(value, precision, latest)
    if message:
        raise ValidationError({field: message})


def partial_date_errors(value, precision, *, optional=False):
    """Return the message that makes (value, precision) invalid, or None.

    ``optional`` dates (an end not yet known) may be empty whatever their precision.
    """
    if value is None:
        if optional or precision == Precision.UNKNOWN:
            return None
        return DATE_REQUIRED
    if precision == Precision.UNKNOWN:
        return NO_DATE_WHEN_UNKNOWN
    if precision == Precision.MONTH and value.day != 1:
        first = value.replace(day=1)
        return MONTH_MUST_START % {
            "first": formats.date_format(first, "SHORT_DATE_FORMAT")
        }
    if precision == Precision.YEAR and (value.month, value.day) != (1, 1):
        first = value.replace(month=1, day=1)
        return YEAR_MUST_START % {
            "first": formats.date_format(first, "SHORT_DATE_FORMAT")
        }
    return None


def check_partial_date(value, precision, field, *, optional=False):
    message = partial_date_errors(value, precision, optional=optional)
    if message:
        raise ValidationError({field: message})


def known_by(value, precision, latest=None):
    """The first day on which something dated (value, precision) is certainly true."""
    if value is None:
        return None
    if precision == Precision.RANGE and latest is not None:
        return latest
    if precision == Precision.MONTH:
        last = calendar.monthrange(value.year, value.month)[1]
        return value.replace(day=last)
    if precision == Precision.YEAR:
        return value.replace(month=12, day=31)
    return value


def format_partial(value, precision, latest=None):
    """Render a partial date as a clerk would write it: '2004', 'March 2008',
    'one of 20-21 May 2014'."""
    if value is None:
        return str(_("date not known"))
    if precision == Precision.RANGE and latest is not None:
        return str(_("one of %(days)s") % {"days": _format_days(value, latest)})
    if precision == Precision.YEAR:
        return str(value.year)
    if precision == Precision.MONTH:
        return dateformat.format(value, "F Y")
    day = dateformat.format(value, "j M Y")
    if precision == Precision.BEFORE:
        return str(_("on or before %(day)s") % {"day": day})
    return day


def _format_days(first, last):
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{dateformat.format(last, 'j M Y')}"
    if first.year == last.year:
        return f"{dateformat.format(first, 'j M')} – {dateformat.format(last, 'j M Y')}"
    return f"{dateformat.format(first, 'j M Y')} – {dateformat.format(last, 'j M Y')}"


def on_partial(value, precision, latest=None):
    """The date as it reads after a verb: 'on 25 Aug 2008', 'in 2006',
    'on one of 20-21 May 2014'."""
    if value is None:
        return str(_("at a date not known"))
    if precision == Precision.RANGE and latest is not None:
        return str(_("on one of %(days)s") % {"days": _format_days(value, latest)})
    if precision in (Precision.YEAR, Precision.MONTH):
        return str(_("in %(when)s") % {"when": format_partial(value, precision)})
    if precision == Precision.BEFORE:
        return format_partial(value, precision)
    return str(_("on %(when)s") % {"when": format_partial(value, precision)})

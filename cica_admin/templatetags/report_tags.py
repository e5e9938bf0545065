from django import template

from cica_admin.core.dates import format_partial
from finance.rules import format_amounts, format_money

register = template.Library()


@register.filter
def partial(day, precision):
    """A partial date as recorded: ``{{ start|partial:start_precision }}``."""
    return format_partial(day, precision) if day else ""


@register.filter
def money(amount, currency):
    return format_money(amount, currency) if amount is not None else ""


@register.filter
def amounts(by_currency):
    return format_amounts(by_currency) or "—"


@register.filter
def percent(fraction):
    return f"{fraction * 100:.1f} %"


@register.filter
def get(mapping, key):
    return mapping.get(key)


# Finance tables: their methods take an argument, which templates cannot pass.
@register.filter
def year_total(row, year):
    return row.total(year)


@register.filter
def table_year_total(table, year):
    return table.year_total(year)


@register.filter
def share(table, row):
    return table.share(row)


@register.filter
def abs_outstanding(balance):
    return abs(balance.outstanding)

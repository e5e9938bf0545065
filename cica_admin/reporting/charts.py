"""Charts drawn on the server as SVG, so the same picture is in the admin and in PDFs.

Each chart is an ``<svg>`` element with ``role="img"``, a ``<title>`` and a
``<desc>`` that say in words what it shows; the pages that show one also give its
figures as a table. Text stays text (not paths), so a PDF of it can be searched.
"""

import io
import re
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

STYLE = {
    "svg.fonttype": "none",  # keep text as text
    "svg.hashsalt": "cica",  # the same data gives the same file
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
MEMBERS = "#1f4e79"
OBSERVERS = "#c55a11"
CASH = "#1f4e79"
IN_KIND = "#8faadc"


def _svg(figure, title, description):
    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE):  # the SVG settings apply when saving
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # the element alone, to sit inside a page
    head_end = svg.index(">") + 1
    head = re.sub(r'\s(width|height)="[^"]*"', "", svg[:head_end])
    head = head.replace(
        "<svg", f'<svg role="img" aria-label="{escape(title, {chr(34): "&quot;"})}"', 1
    )
    return (
        f"{head}<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        f"{svg[head_end:]}"
    )


def _figure(width=7.0, height=3.0):
    return Figure(figsize=(width, height), layout="constrained")


def membership_chart(years) -> str:
    """Members and observers at the end of each year: certain (solid) and at most,
    counting those whose standing is uncertain (dashed); the founding members and the
    accessions marked; the years beyond the record's horizon shaded."""
    title = _("Members and observers of CICA by year")
    with matplotlib.rc_context(STYLE):
        figure = _figure()
        axes = figure.subplots()
        labels = [row.year for row in years]
        lines = [
            ("members", MEMBERS, _("Members"), _("Members, with those uncertain")),
            (
                "observers",
                OBSERVERS,
                _("Observers"),
                _("Observers, with those uncertain"),
            ),
        ]
        for field, color, certain, at_most in lines:
            counts = [getattr(row, field) for row in years]
            axes.step(labels, counts, where="mid", color=color, label=certain)
            if any(getattr(row, f"{field}_uncertain") for row in years):
                axes.step(
                    labels,
                    [getattr(row, f"{field}_at_most") for row in years],
                    where="mid",
                    color=color,
                    linestyle="--",
                    linewidth=0.8,
                    label=at_most,
                )
        founded = [row for row in years if row.founded]
        joined = [row for row in years if row.joined]
        marks = [
            (
                "founded",
                founded,
                "s",
                5,
                _("Founding members"),
                _("%(count)d founding"),
            ),
            ("joined", joined, "o", 4, _("Accessions"), "+%(count)d"),
        ]
        for parties, rows, marker, size, label, note in marks:
            axes.plot(
                [row.year for row in rows],
                [row.members for row in rows],
                marker,
                color=MEMBERS,
                markersize=size,
                label=label,
            )
            for row in rows:
                axes.annotate(
                    note % {"count": len(getattr(row, parties))},
                    (row.year, row.members),
                    textcoords="offset points",
                    xytext=(0, 5),
                    ha="center",
                    fontsize=7,
                    color=MEMBERS,
                )
        beyond = [row.year for row in years if row.beyond_horizon]
        if beyond:
            axes.axvspan(
                beyond[0] - 0.5,
                beyond[-1] + 0.5,
                color="#999999",
                alpha=0.15,
                label=_("Beyond the record's horizon"),
            )
        axes.set_ylim(bottom=0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        # Below the plot: inside it, the legend covered the first years' marks.
        axes.legend(
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncol=4,
            fontsize=7,
        )
        axes.grid(axis="y", alpha=0.3)
    return _svg(figure, title, _membership_description(years, founded, joined, beyond))


def _membership_description(years, founded, joined, beyond):
    """The chart's figures in words, for a screen reader and the text-only page."""
    if not years:
        return _("No change of standing with a date is recorded.")
    none = _("none")
    founding = "; ".join(
        _("%(year)s: %(count)d founding members")
        % {"year": row.year, "count": len(row.founded)}
        for row in founded
    )
    accessions = "; ".join(f"{row.year}: {', '.join(row.joined)}" for row in joined)
    uncertain = "; ".join(
        _("%(year)s: %(members)d members and %(observers)d observers uncertain")
        % {
            "year": row.year,
            "members": row.members_uncertain,
            "observers": row.observers_uncertain,
        }
        for row in years
        if row.members_uncertain or row.observers_uncertain
    )
    last = years[-1]
    description = _(
        "From %(first)s to %(last)s. At the end of %(last)s: %(members)d members and "
        "%(observers)d observers. Founding members: %(founding)s. Accessions by year: "
        "%(accessions)s. Standing uncertain, not counted: %(uncertain)s."
    ) % {
        "first": years[0].year,
        "last": last.year,
        "members": last.members,
        "observers": last.observers,
        "founding": founding or none,
        "accessions": accessions or none,
        "uncertain": uncertain or none,
    }
    if beyond:
        description += " " + _(
            "From %(year)s the years lie beyond the record's horizon: the figures "
            "repeat the last state recorded."
        ) % {"year": beyond[0]}
    return description


def contributions_by_year_chart(table) -> str:
    """Cash and in kind received per year, in the reporting currency."""
    title = _("Contributions by year (%(currency)s)") % {"currency": table.reporting}
    cash = [sum((row.cash[year] for row in table.rows), 0) for year in table.years]
    kind = [sum((row.in_kind[year] for row in table.rows), 0) for year in table.years]
    with matplotlib.rc_context(STYLE):
        figure = _figure()
        axes = figure.subplots()
        labels = [str(year) for year in table.years]
        axes.bar(labels, [float(x) for x in cash], color=CASH, label=_("Cash"))
        axes.bar(
            labels,
            [float(x) for x in kind],
            bottom=[float(x) for x in cash],
            color=IN_KIND,
            label=_("In kind"),
        )
        axes.set_ylabel(table.reporting)
        axes.legend(frameon=False)
        axes.grid(axis="y", alpha=0.3)
    description = "; ".join(
        _("%(year)s: %(total)s %(currency)s (%(cash)s cash, %(kind)s in kind)")
        % {
            "year": year,
            "total": f"{c + k:,.2f}",
            "currency": table.reporting,
            "cash": f"{c:,.2f}",
            "kind": f"{k:,.2f}",
        }
        for year, c, k in zip(table.years, cash, kind, strict=True)
    )
    return _svg(figure, title, description or _("No contributions recorded."))


def contributions_by_party_chart(table, limit=12) -> str:
    """The largest contributors over the table's years, in the reporting currency."""
    title = _("Contributions by party (%(currency)s)") % {"currency": table.reporting}
    rows = table.rows[:limit]
    with matplotlib.rc_context(STYLE):
        figure = _figure(height=max(1.5, 0.3 * len(rows) + 0.8))
        axes = figure.subplots()
        names = [row.party.name for row in reversed(rows)]
        axes.barh(names, [float(row.total()) for row in reversed(rows)], color=CASH)
        axes.set_xlabel(table.reporting)
        axes.grid(axis="x", alpha=0.3)
    shown = "; ".join(
        f"{row.party.name}: {row.total():,.2f} {table.reporting}" for row in rows
    )
    others = len(table.rows) - len(rows)
    if others > 0:
        shown += "; " + ngettext(
            "and %(count)d other party", "and %(count)d other parties", others
        ) % {"count": others}
    return _svg(figure, title, shown or _("No contributions recorded."))

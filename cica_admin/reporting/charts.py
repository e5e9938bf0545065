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
    title = "Members and observers of CICA by year"
    with matplotlib.rc_context(STYLE):
        figure = _figure()
        axes = figure.subplots()
        labels = [row.year for row in years]
        axes.step(
            labels,
            [row.members for row in years],
            where="mid",
            color=MEMBERS,
            label="Members",
        )
        axes.step(
            labels,
            [row.observers for row in years],
            where="mid",
            color=OBSERVERS,
            label="Observers",
        )
        if any(row.members_uncertain for row in years):
            axes.step(
                labels,
                [row.members_at_most for row in years],
                where="mid",
                color=MEMBERS,
                linestyle="--",
                linewidth=0.8,
                label="Members, with those uncertain",
            )
        if any(row.observers_uncertain for row in years):
            axes.step(
                labels,
                [row.observers_at_most for row in years],
                where="mid",
                color=OBSERVERS,
                linestyle="--",
                linewidth=0.8,
                label="Observers, with those uncertain",
            )
        founded = [row for row in years if row.founded]
        axes.plot(
            [row.year for row in founded],
            [row.members for row in founded],
            "s",
            color=MEMBERS,
            markersize=5,
            label="Founding members",
        )
        joined = [row for row in years if row.joined]
        axes.plot(
            [row.year for row in joined],
            [row.members for row in joined],
            "o",
            color=MEMBERS,
            markersize=4,
            label="Accessions",
        )
        for row in founded:
            axes.annotate(
                f"{len(row.founded)} founding",
                (row.year, row.members),
                textcoords="offset points",
                xytext=(0, 5),
                ha="center",
                fontsize=7,
                color=MEMBERS,
            )
        for row in joined:
            axes.annotate(
                f"+{len(row.joined)}",
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
                label="Beyond the record's horizon",
            )
        axes.set_ylim(bottom=0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(frameon=False, loc="upper left", fontsize=7)
        axes.grid(axis="y", alpha=0.3)
        last = years[-1] if years else None
    if last is None:
        description = "No change of standing with a date is recorded."
    else:
        founding = "; ".join(
            f"{row.year}: {len(row.founded)} founding members" for row in founded
        )
        accessions = "; ".join(f"{row.year}: {', '.join(row.joined)}" for row in joined)
        uncertain = "; ".join(
            f"{row.year}: {row.members_uncertain} members and "
            f"{row.observers_uncertain} observers uncertain"
            for row in years
            if row.members_uncertain or row.observers_uncertain
        )
        description = (
            f"From {years[0].year} to {last.year}. At the end of {last.year}: "
            f"{last.members} members and {last.observers} observers. "
            f"Founding members: {founding or 'none'}. "
            f"Accessions by year: {accessions or 'none'}. "
            f"Standing uncertain, not counted: {uncertain or 'none'}."
        )
        if beyond:
            description += (
                f" From {beyond[0]} the years lie beyond the record's horizon: the "
                "figures repeat the last state recorded."
            )
    return _svg(figure, title, description)


def contributions_by_year_chart(table) -> str:
    """Cash and in kind received per year, in the reporting currency."""
    title = f"Contributions by year ({table.reporting})"
    cash = [sum((row.cash[year] for row in table.rows), 0) for year in table.years]
    kind = [sum((row.in_kind[year] for row in table.rows), 0) for year in table.years]
    with matplotlib.rc_context(STYLE):
        figure = _figure()
        axes = figure.subplots()
        labels = [str(year) for year in table.years]
        axes.bar(labels, [float(x) for x in cash], color=CASH, label="Cash")
        axes.bar(
            labels,
            [float(x) for x in kind],
            bottom=[float(x) for x in cash],
            color=IN_KIND,
            label="In kind",
        )
        axes.set_ylabel(table.reporting)
        axes.legend(frameon=False)
        axes.grid(axis="y", alpha=0.3)
    description = "; ".join(
        f"{year}: {c + k:,.2f} {table.reporting} ({c:,.2f} cash, {k:,.2f} in kind)"
        for year, c, k in zip(table.years, cash, kind, strict=True)
    )
    return _svg(figure, title, description or "No contributions recorded.")


def contributions_by_party_chart(table, limit=12) -> str:
    """The largest contributors over the table's years, in the reporting currency."""
    title = f"Contributions by party ({table.reporting})"
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
        shown += f"; and {others} other parties"
    return _svg(figure, title, shown or "No contributions recorded.")

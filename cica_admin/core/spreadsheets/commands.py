"""What the spreadsheet commands share: the user, printing a result."""

from django.contrib.auth import get_user_model
from django.core.management import CommandError


def add_user_argument(parser):
    parser.add_argument(
        "--user",
        help="Username recorded in the history of every row written (default: none).",
    )


def user_named(username):
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(f"No user named {username!r}.") from exc


def describe(result) -> str:
    counts = result.counts
    return (
        f"{counts['new']:,} new, {counts['updated']:,} updated, "
        f"{counts['unchanged']:,} unchanged, {counts['invalid']:,} invalid"
    )


def problems_text(result, limit=50) -> list[str]:
    lines = []
    for group in result.grouped_problems()[:limit]:
        where = f"row {group['rows']}" if group["rows"] else "file"
        column = f", column {group['column']}" if group["column"] else ""
        lines.append(f"  {where}{column}: {group['message']}")
    return lines

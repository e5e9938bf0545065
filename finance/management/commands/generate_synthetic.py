from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from finance import synthetic


class Command(BaseCommand):
    help = (
        "Make up finance data (pledges, contributions, exchange rates) for trials and "
        "benchmarks. Every row is marked synthetic and obeys the rules real rows do; "
        "--delete removes them all. The CICA record itself holds no amounts: the "
        "sources give none."
    )

    def add_arguments(self, parser):
        parser.add_argument("--contributions", type=int, default=500)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--delete", action="store_true", help="Remove them instead."
        )
        parser.add_argument("--user", help="Username recorded in the history.")

    def handle(self, *args, contributions, seed, delete, user, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user named {user!r}.")
        if delete:
            counts = synthetic.delete(actor=actor)
            verb = "Deleted"
        else:
            try:
                counts = synthetic.generate(
                    contributions=contributions, seed=seed, actor=actor
                )
            except ValidationError as error:
                # A made-up row the rules refuse: nothing was written.
                raise CommandError(" ".join(refusals(error))) from error
            except ValueError as error:
                raise CommandError(str(error)) from error
            verb = "Created"
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{verb} synthetic {summary}."))


def refusals(error):
    """The messages of a refusal, with those of each refused row of a set."""
    messages = list(error.messages)
    for position, row_error in getattr(error, "by_position", {}).items():
        messages += [f"Row {position + 1}: {m}" for m in row_error.messages]
    return messages

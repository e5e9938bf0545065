from django.core.management.base import BaseCommand, CommandError

from finance import synthetic


class Command(BaseCommand):
    help = (
        "Make up finance data (pledges, contributions, exchange rates) for trials and "
        "benchmarks. Every row is marked synthetic; --delete removes them all. The "
        "CICA record itself holds no amounts: the sources give none."
    )

    def add_arguments(self, parser):
        parser.add_argument("--contributions", type=int, default=500)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--delete", action="store_true", help="Remove them instead."
        )

    def handle(self, *args, contributions, seed, delete, **options):
        if delete:
            counts = synthetic.delete()
            verb = "Deleted"
        else:
            try:
                counts = synthetic.generate(contributions=contributions, seed=seed)
            except ValueError as error:
                raise CommandError(str(error)) from error
            verb = "Created"
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{verb} synthetic {summary}."))

"""Print a report to a file: the same reports, checks and formats as the admin's."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from cica_admin.reporting import render
from cica_admin.reporting.kinds import KINDS


class Command(BaseCommand):
    help = (
        "Write a report as PDF, HTML or xlsx. Examples: report meeting summit-4 "
        "--format pdf -o summit.pdf; report register --on 2014-05-20; "
        "report finance --year 2023 --format xlsx; add --as-of DATE for the "
        "records as they stood then."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument(
            "subject",
            nargs="?",
            help="The meeting (id, summit-4, summit-2014-05-20), document (id or "
            "'kind | title') or party (code) the report is about.",
        )
        parser.add_argument(
            "--format", choices=sorted(render.FORMATS), default="pdf", dest="output"
        )
        parser.add_argument(
            "-o", "--output-file", help="File to write (default: a name of its own)."
        )
        parser.add_argument("--on", help="Date of the report (YYYY-MM-DD).")
        parser.add_argument("--since", help="Register: list the changes since then.")
        parser.add_argument("--year", help="Finance: the year of contributions.")
        parser.add_argument(
            "--as-of", help="The records as they stood then (a date or date and time)."
        )
        parser.add_argument(
            "--include-synthetic",
            action="store_true",
            help="Finance and statement: include the made-up rows of "
            "generate_synthetic; the report says so.",
        )

    def handle(self, *args, kind, subject, output, output_file, **options):
        report = KINDS[kind]
        data = {
            name: options[name]
            for name in ("on", "since", "year", "as_of")
            if options.get(name) and name in report.form_class.base_fields
        }
        for name in ("on", "since", "year", "include_synthetic"):
            if options.get(name) and name not in report.form_class.base_fields:
                flag = name.replace("_", "-")
                raise CommandError(f"--{flag} does not apply to the {kind} report.")
        if options.get("include_synthetic"):
            data["include_synthetic"] = True
        if report.subject:
            if not subject:
                raise CommandError(f"Name the {report.subject} the report is about.")
            data[report.subject] = subject
        elif subject:
            raise CommandError(f"The {kind} report is not about one record.")
        form = report.form_class(data)
        if not form.is_valid():
            problems = [
                f"{name}: {message}" if name != "__all__" else message
                for name, messages in form.errors.items()
                for message in messages
            ]
            raise CommandError("\n".join(problems))
        try:
            with render.built(report, form.cleaned_data) as context:
                if output == "html":
                    content = render_to_string(
                        "reports/print.html", {**context, "print": True}
                    ).encode()
                elif output == "pdf":
                    content = render.pdf(report, context)
                else:
                    content = render.xlsx(report, context)
        except render.ReportError as error:
            raise CommandError(str(error)) from None
        path = Path(output_file or f"{report.filename(form.cleaned_data)}.{output}")
        path.write_bytes(content)
        self.stdout.write(f"{context['heading']}: written to {path}")

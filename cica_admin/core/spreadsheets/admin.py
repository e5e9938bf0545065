"""Import and export on every admin page, with the project's formats, checks and
preview; and the download of an empty template."""

import io

import openpyxl
import tablib
from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm, SelectableFieldsExportForm

from . import files

IMPORTED = _(
    "Imported %(file)s: %(new)s new, %(updated)s updated, %(unchanged)s unchanged. "
    "The import is batch %(batch)s, which can be reverted as a whole."
)


class SpreadsheetImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = files._limit("SPREADSHEET_MAX_BYTES", 20 * 1024 * 1024)
        if upload.size > limit:
            raise forms.ValidationError(
                files.TOO_BIG
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class SpreadsheetExportForm(SelectableFieldsExportForm):
    """The export form with its first format (xlsx) chosen: import-export puts an
    empty "---" first, which a clerk exporting at once is told to fill in."""

    def _init_formats(self, formats):
        super()._init_formats(formats)
        field = self.fields["format"]
        field.choices = [choice for choice in field.choices if choice[0] != ""]
        self.initial.setdefault("format", "0")


class SpreadsheetAdminMixin(ImportExportMixin):
    import_formats = files.IMPORT_FORMATS
    export_formats = files.EXPORT_FORMATS
    import_form_class = SpreadsheetImportForm
    export_form_class = SpreadsheetExportForm
    import_template_name = "admin/spreadsheets/import.html"

    def has_import_permission(self, request):
        """Importing adds and changes records: besides its own permission it needs
        those two, so that it is no way round them."""
        return (
            super().has_import_permission(request)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def get_resource_classes(self, request):
        from .workbook import resource_for_model

        return [resource_for_model(self.model)]

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, files.SpreadsheetRefused):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        resource_class = self.get_resource_classes(None)[0]
        resource = resource_class()
        context["columns"] = [f.column_name for f in resource.import_columns()]
        context["required_columns"] = resource.required_columns()
        context["key_columns"] = list(resource.key)
        return context

    def process_result(self, result, request):
        if result.batch is not None:
            messages.success(
                request,
                IMPORTED
                % {
                    "file": result.batch.file_name,
                    "batch": result.batch.pk,
                    **result.counts,
                },
            )
            return HttpResponseRedirect(result.batch.get_absolute_url())
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        pass  # process_result says what was imported, with the batch

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "import/template.<str:extension>",
                self.admin_site.admin_view(self.template_view),
                name=f"{opts.app_label}_{opts.model_name}_import_template",
            ),
            *super().get_urls(),
        ]

    def template_view(self, request, extension):
        """An empty sheet with the columns this record takes; the xlsx has a second
        sheet explaining each column."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0]()
        names = [f.column_name for f in resource.import_columns()]
        name = str(self.opts.verbose_name_plural).replace(" ", "-")
        if extension == "csv":
            response = HttpResponse(
                files.CSV().export_data(tablib.Dataset(headers=names)),
                content_type="text/csv; charset=utf-8",
            )
        elif extension == "xlsx":
            response = HttpResponse(
                template_workbook(resource, names),
                content_type="application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
            )
        else:
            raise PermissionDenied
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
        return response


def template_workbook(resource, names) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = resource.sheet_name()
    sheet.append(names)
    help_sheet = book.create_sheet("Help")
    help_sheet.append(["column", "required", "what it takes", "example"])
    required = set(resource.required_columns())
    model = resource._meta.model
    for resource_field in resource.import_columns():
        try:
            model_field = model._meta.get_field(resource_field.attribute)
            text = str(model_field.verbose_name)
            if model_field.help_text:
                text += f": {model_field.help_text}"
            if model_field.choices and not model_field.is_relation:
                text += " (" + ", ".join(code for code, _l in model_field.choices) + ")"
        except FieldDoesNotExist:  # a column that is not a model field (party code)
            text = ""
        help_sheet.append(
            [
                resource_field.column_name,
                "yes" if resource_field.column_name in required else "",
                text,
                example_value(resource_field.widget),
            ]
        )
    help_sheet.append([])
    help_sheet.append(
        [
            "Rows are matched to records by: "
            + ", ".join(resource.key)
            + ". Leave the first sheet's other rows empty; this sheet is not read."
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def example_value(widget):
    """What a cell of this kind looks like; a format, not a record."""
    from . import widgets as w

    examples = [
        (w.ManyNaturalKeysWidget, "one name per line, as in the column above"),
        (w.NaturalKeyWidget, "as exported, e.g. KAZ or summit | 4"),
        (w.DayWidget, "2014-05-20"),
        (w.AmountWidget, "1234.50"),
        (w.YesNoWidget, "yes or no"),
        (w.IntegerWidget, "4"),
    ]
    for kind, example in examples:
        if isinstance(widget, kind):
            return example
    if isinstance(widget, w.ChoiceWidget):
        return widget.codes[0] if widget.codes else ""
    return ""

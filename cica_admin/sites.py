"""The admin site of the Secretariat: the dashboard on its index, and the reports."""

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .core.audit import views as audit_views
from .core.security import two_factor
from .reporting import views
from .reporting.dashboard import dashboard


class SecretariatAdminSite(admin.AdminSite):
    site_header = _("CICA Secretariat administration")
    site_title = _("CICA Secretariat")
    index_title = _("Records of the Conference")
    #: The clerks' records first, in the order of their work, then the spreadsheets'
    #: import batches, then the administration of accounts and logins.
    APP_ORDER = ["registry", "meetings", "finance", "cica_admin", "auth", "otp_totp"]
    index_template = "admin/dashboard.html"
    # The lists are wide (dates, amounts, sources): give them the whole window.
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        def place(app):
            label = app["app_label"]
            order = self.APP_ORDER
            return (order.index(label) if label in order else len(order), app["name"])

        return sorted(super().get_app_list(request, app_label), key=place)

    login_form = two_factor.LoginForm
    login_template = "security/login.html"

    def has_permission(self, request):
        # With REQUIRE_2FA, a password alone is not enough: the session must also be
        # verified by a code (cica_admin.core.security.two_factor).
        return super().has_permission(request) and (
            not settings.REQUIRE_2FA or two_factor.is_verified(request.user)
        )

    def login(self, request, extra_context=None):
        if two_factor.needs_enrolment(request):
            return HttpResponseRedirect(two_factor.enrolment_url(request))
        extra_context = {**(extra_context or {}), "require_2fa": settings.REQUIRE_2FA}
        return super().login(request, extra_context)

    def reading_view(self, view):
        """An admin view that only reads, and may take a while (a PDF, an export of
        the audit log): outside the request's transaction, so that it holds none
        open while it works, even when asked by POST."""
        return transaction.non_atomic_requests(self.admin_view(view))

    def get_urls(self):
        return [
            path("two-factor/", self.two_factor_view, name="two_factor"),
            path("reports/", self.reading_view(self.reports_view), name="reports"),
            path(
                "reports/<slug:slug>/",
                self.reading_view(self.report_view),
                name="report",
            ),
            path("audit/", self.reading_view(self.audit_log_view), name="audit_log"),
            path(
                "audit/deleted/",
                self.reading_view(self.deleted_records_view),
                name="deleted_records",
            ),
            path(
                "audit/deleted/<str:model>/<int:object_id>/restore/",
                self.admin_view(self.restore_view),
                name="restore_record",
            ),
            *super().get_urls(),
        ]

    def two_factor_view(self, request):
        return two_factor.enrol_view(self, request)

    def reports_view(self, request):
        return views.reports_index(self, request)

    def report_view(self, request, slug):
        return views.report_view(self, request, slug)

    def audit_log_view(self, request):
        return audit_views.audit_log(self, request)

    def deleted_records_view(self, request):
        return audit_views.deleted_records(self, request)

    def restore_view(self, request, model, object_id):
        return audit_views.restore(self, request, model, object_id)

    def app_index(self, request, app_label, extra_context=None):
        # Django answers 404 for an app whose models the user may not see; say
        # "forbidden" for an app that exists, as every page of its models does.
        if not self.get_app_list(request, app_label) and any(
            self.is_registered(model)
            for config in apps.get_app_configs()
            if config.label == app_label
            for model in config.get_models()
        ):
            raise PermissionDenied
        return super().app_index(request, app_label, extra_context)

    def autocomplete_view(self, request):
        # Django checks only the view permission on the model searched (parties):
        # also refuse the form field's own model, so that finance's fields answer
        # 403 to staff outside finance like every other finance URL.
        app_label, model_name = (
            request.GET.get("app_label"),
            request.GET.get("model_name"),
        )
        try:
            source = apps.get_model(app_label, model_name) if model_name else None
        except LookupError:
            source = None  # Django's view answers the malformed request itself
        # A record's history is guarded as the record is.
        source = getattr(source, "instance_type", source)
        source_admin = (
            self.get_model_admin(source)
            if source is not None and self.is_registered(source)
            else None
        )
        if source_admin is not None and not (
            source_admin.has_view_or_change_permission(request)
            or source_admin.has_add_permission(request)
        ):
            raise PermissionDenied
        return super().autocomplete_view(request)

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "dashboard": dashboard(request.user)}
        return super().index(request, extra_context)

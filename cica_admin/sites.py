"""The admin site of the Secretariat: the dashboard on its index, and the reports."""

from django.contrib import admin
from django.urls import path

from .reporting import views
from .reporting.dashboard import dashboard


class SecretariatAdminSite(admin.AdminSite):
    site_header = "CICA Secretariat administration"
    site_title = "CICA Secretariat"
    index_title = "Records of the Conference"
    index_template = "admin/dashboard.html"
    # The lists are wide (dates, amounts, sources): give them the whole window.
    enable_nav_sidebar = False

    def get_urls(self):
        return [
            path("reports/", self.admin_view(self.reports_view), name="reports"),
            path(
                "reports/<slug:slug>/",
                self.admin_view(self.report_view),
                name="report",
            ),
            *super().get_urls(),
        ]

    def reports_view(self, request):
        return views.reports_index(self, request)

    def report_view(self, request, slug):
        return views.report_view(self, request, slug)

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "dashboard": dashboard(request.user)}
        return super().index(request, extra_context)

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from meetings.views import document_file

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", document_file, name="media"),
]


def permission_denied(request, exception=None):
    """A refusal in the admin's look, with the way back, rather than a bare page."""
    context = {**admin.site.each_context(request), "title": _("Not allowed")}
    response = TemplateResponse(request, "403.html", context, status=403)
    return response.render()


handler403 = permission_denied

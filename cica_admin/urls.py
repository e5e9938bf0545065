from django.conf import settings
from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from meetings.views import document_file

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", document_file, name="media"),
]


handler403 = "cica_admin.views.permission_denied"

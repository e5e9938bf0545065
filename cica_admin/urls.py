from django.conf import settings
from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from meetings.views import document_file

admin.site.site_header = "CICA Secretariat administration"
admin.site.site_title = "CICA Secretariat"
admin.site.index_title = "Records of the Conference"
# The lists are wide (dates, amounts, sources): give them the whole window.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", document_file, name="media"),
]

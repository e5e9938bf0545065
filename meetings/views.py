from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.cache import never_cache

from cica_admin.core.security.uploads import file_type_of

from .models import Document


@never_cache
def document_file(request, name):
    """Serve a document's attached file to staff who may view documents.

    Uploaded files live under MEDIA_ROOT, which is not served as static files: every
    request for one comes here. The name must be the stored name of a document's file,
    so nothing else under MEDIA_ROOT (nor outside it) can be asked for. The admin site
    decides who is logged in enough (staff, and verified by a code when REQUIRE_2FA
    is on); the document permission decides who may read.

    PDFs and images are shown in the browser, with their own content type; every
    other type is sent as a download, and the browser is told not to guess types.
    """
    if not admin.site.has_permission(request):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not request.user.has_perm("meetings.view_document"):
        raise PermissionDenied
    document = get_object_or_404(Document, file=name)
    file_type = file_type_of(document.file.name)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=not file_type.inline,
        filename=document.file.name.rsplit("/", 1)[-1],
        content_type=file_type.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404

from .models import Document


@staff_member_required
def document_file(request, name):
    """Serve a document's attached file to staff who may view documents.

    Uploaded files live under MEDIA_ROOT, which is not served as static files: every
    request for one comes here and is checked against the document's permission.
    """
    if not request.user.has_perm("meetings.view_document"):
        raise PermissionDenied
    document = get_object_or_404(Document, file=name)
    return FileResponse(document.file.open("rb"), filename=document.file.name)

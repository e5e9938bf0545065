"""Refusals in the admin's look, with the way back, rather than Django's bare pages."""

from django.contrib import admin
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _


def _refusal(request, template, context):
    context = {**admin.site.each_context(request), **context}
    return TemplateResponse(request, template, context, status=403).render()


def permission_denied(request, exception=None):
    """The project's ``handler403``."""
    return _refusal(request, "403.html", {"title": _("Not allowed")})


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``. Nothing was saved. Most often the form was opened
    before the clerk signed in again in another tab, which replaced its token; a
    missing cookie is the browser's doing; an address the site does not trust (the
    Origin or Referer checks) is the server's set-up, for the administrator."""
    if reason == REASON_NO_CSRF_COOKIE:
        cause = "cookie"
    elif reason.startswith("CSRF token"):
        cause = "stale"
    else:
        cause = "address"
    return _refusal(
        request,
        "403_csrf.html",
        {"title": _("The form could not be sent"), "cause": cause},
    )

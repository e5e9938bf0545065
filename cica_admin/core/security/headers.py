"""Response headers that Django's SecurityMiddleware and django-csp do not set."""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings

# django-csp's own way to change the policy of one response: its view decorator,
# here applied to the response the view returned (it marks the response, and
# CSPMiddleware, outside this middleware, reads the mark).
_embeddable = csp_replace({"object-src": [SELF]})(lambda response: response)


class SecurityHeadersMiddleware:
    """Send Permissions-Policy on every response, and let PDFs display in the browser.

    Chrome shows a PDF through its built-in viewer, which a policy of
    ``object-src 'none'`` blocks; a PDF response (a report printed from the admin, an
    attached document) may therefore embed itself, and nothing else changes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if response.get("Content-Type", "").startswith("application/pdf"):
            response = _embeddable(response)
        return response

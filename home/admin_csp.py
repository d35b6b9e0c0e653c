"""A Content-Security-Policy for Wagtail's admin (/admin/), which django-csp's site-wide policy leaves out.

The admin's own scripts need inline code and eval (its bundled editors use `new Function`), so script-src
allows them, but only from this origin: no script from another host, no plugin, no <base> change, no form
posted elsewhere, no framing by another site. Set by this middleware for /admin/ responses that have none.
"""

from django.conf import settings

ADMIN_PREFIX = "/admin/"


def admin_policy() -> str:
    directives = getattr(settings, "ADMIN_CONTENT_SECURITY_POLICY", {})
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class AdminContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = admin_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIX) and self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response

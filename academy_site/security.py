"""Security headers for public pages and throttling of admin log-ins."""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from home.throttle import client_ip

# Public pages run no inline script and load nothing from other hosts. The
# only other origins are Stripe's Checkout and customer portal, reached by a
# redirect after the donation form, or the monthly donor's "manage" button,
# is posted (form-action covers that redirect: Chromium blocks it otherwise).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self' https://checkout.stripe.com https://billing.stripe.com",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
# Wagtail's admin (and its previews) need inline scripts and styles.
EXEMPT_PREFIXES = ("/admin/", "/django-admin/")

LOGIN_PATHS = ("/admin/login/", "/django-admin/login/")
LOGIN_FAILURE_LIMIT = 10
LOGIN_FAILURE_WINDOW = 15 * 60


def _client_ip(request):
    # The one address every rate limit counts (TRUSTED_PROXIES decides).
    return client_ip(request) or "unknown"


def _failures_key(request):
    return f"login-failures:{_client_ip(request)}"


@receiver(user_login_failed)
def count_login_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    key = _failures_key(request)
    if not cache.add(key, 1, LOGIN_FAILURE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, LOGIN_FAILURE_WINDOW)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.path in LOGIN_PATHS
            and cache.get(_failures_key(request), 0) >= LOGIN_FAILURE_LIMIT
        ):
            response = TemplateResponse(
                request,
                "429.html",
                {"message": _("Too many failed log-in attempts. Try again in 15 minutes.")},
                status=429,
            )
            response["Retry-After"] = str(LOGIN_FAILURE_WINDOW)
            return response.render()
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not _is_admin(request) and not getattr(settings, "CSP_DISABLED", False):
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


def _is_admin(request):
    """The admin, and the previews it renders: Wagtail runs a preview
    through the middleware with a dummy request (`is_dummy`) for the page's
    public URL, and the public `frame-ancestors 'none'` would stop the
    editor's preview panel from showing it."""
    return request.path.startswith(EXEMPT_PREFIXES) or getattr(request, "is_dummy", False)

"""Production: PostgreSQL, real e-mail, hashed static files, HTTPS only.

Required environment variables (start-up stops with a message naming any that
is missing): DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, WAGTAILADMIN_BASE_URL.
"""

import os

from django.core.exceptions import ImproperlyConfigured

REQUIRED = ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL")
_missing = [name for name in REQUIRED if not os.environ.get(name)]
if _missing:
    raise ImproperlyConfigured(
        "Missing required environment variable(s) for production: "
        + ", ".join(_missing)
        + ". See the configuration table in README.md."
    )

from .base import *  # noqa: E402, F403

DEBUG = False
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")  # noqa: F405
vars().update(EMAIL_CONFIG)

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# HTTPS, behind a reverse proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)  # noqa: F405
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

"""The site's URLs, plus the uploaded media for the browser tests' server
(see tests/e2e/settings.py)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from academy_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(
        rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
        serve,
        {"document_root": settings.MEDIA_ROOT},
    ),
    *site_urlpatterns,
]

"""Addresses on the public site for what leaves the request (e-mails, their
calendar attachments): built on ``WAGTAILADMIN_BASE_URL`` (README), never
on the Wagtail Site's hostname, which may be an internal one."""

from django.conf import settings


def public_url(path):
    """`path` (starting with /) on the public site."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def public_page_url(page, request=None):
    """`page`'s address on the public site (a page of another site keeps its
    own absolute address; a page without one gives "")."""
    url = page.get_url(request) or ""
    return public_url(url) if url.startswith("/") else url

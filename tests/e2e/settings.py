"""Settings of the server the browser tests start: the development settings
with DEBUG off, so that error pages are the site's own, and the uploaded
images still served (runserver serves media only with DEBUG on)."""

from academy_site.settings.dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "tests.e2e.urls"

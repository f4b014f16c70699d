from .base import *  # noqa: F403

DEBUG = env.bool("DJANGO_DEBUG", default=True)  # noqa: F405
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-3f1c2a9b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a"  # noqa: F405
ALLOWED_HOSTS = ["*"]
# Serve static files straight from the apps' folders, also with DEBUG off.
WHITENOISE_USE_FINDERS = True
# Developers see their edits at once.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)  # noqa: F405
# E-mails print at once, without a worker (TASKS_BACKEND=database to try one).
TASKS = tasks_setting(TASKS_BACKEND or "immediate")  # noqa: F405

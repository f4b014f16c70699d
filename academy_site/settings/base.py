"""Settings shared by every environment.

Every environment variable is read here, once, with its type and default.
`production.py` insists on the ones that have no safe default there; see the
configuration table in README.md.
"""

from pathlib import Path

import environ

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()

# --- Environment -----------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies in front of the site: 0 = rate limits count REMOTE_ADDR;
# N = the N-th X-Forwarded-For entry from the right (home/throttle.py).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: take the write lock when a transaction starts
    # and wait for it, so concurrent sign-ups queue up instead of failing
    # with "database is locked" (courses/booking.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: PostgreSQL compiles a query it expects to be costly
    # (tens of ms spent compiling), and the estimates of this site's queries
    # run far over their few ms (the home page's sessions with their seats
    # took 76 ms at demo scale 20, 5 without; docs/decisions.md). Prepared
    # statements get a plan for any parameters, made once per connection:
    # only home/prepared.py prepares any (Django binds parameters on the
    # client and prepares nothing). A DATABASE_URL's own `options` are kept.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c plan_cache_mode=force_generic_plan"
    )
# The SQL home/prepared.py keeps runs as a prepared statement on PostgreSQL:
# false behind a connection pooler that cannot hold prepared statements
# (PgBouncer in transaction mode before 1.21).
PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
if PREPARED_STATEMENTS and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django turns psycopg's prepared statements off (None); home/prepared.py
    # asks for them (`prepare=True`), and nothing else prepares anything:
    # Django's cursors bind parameters on the client, and psycopg prepares
    # a query of its own accord only after this many runs on a cursor that
    # binds on the server.
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 1_000_000)
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Accademia Territoriale <accademia@cittadinanzalavoro.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Room for the calendar feeds' cached events (one per session and
    # language; Django's default keeps 300 entries).
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20_000)
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com")
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "static")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Applicants' attachments (partners' challenge calls): never under MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# Whole pages for anonymous visitors, invalidated on any content change.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# Site search (docs/search.md): Wagtail's database backend by default; set
# SEARCH_BACKEND=wagtail.search.backends.elasticsearch8 (or opensearch2...)
# and SEARCH_URLS to move to Elasticsearch/OpenSearch without code changes.
SEARCH_BACKEND = env.str("SEARCH_BACKEND", default="search.backends.database")
SEARCH_URLS = env.list("SEARCH_URLS", default=[])
SEARCH_INDEX = env.str("SEARCH_INDEX", default="accademia")
SEARCH_TIMEOUT = env.int("SEARCH_TIMEOUT", default=5)
SEARCH_OPTIONS = env.json("SEARCH_OPTIONS", default={})
SEARCH_INDEX_SETTINGS = env.json("SEARCH_INDEX_SETTINGS", default={})
# "Ask for a course": how long an e-mail address waiting for news is kept.
COURSE_REQUEST_RETENTION_MONTHS = env.int("COURSE_REQUEST_RETENTION_MONTHS", default=12)
# Background tasks (e-mails, search and reference index updates): "database"
# stores them for the worker (`manage.py db_worker`), "immediate" runs them
# in the process that queues them. Empty: the environment's default, set
# below and in dev.py / test.py (database in production, immediate in dev
# and tests).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="")

# --- Applications ----------------------------------------------------------
INSTALLED_APPS = [
    "home",
    "partners",
    "courses",
    "donations",
    "search",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "partners.users_app.PartnerAwareUsersConfig",  # wagtail.users, with guarded forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "home.request_memo.RequestMemoMiddleware",
    "academy_site.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "academy_site.locale_middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "partners.admin_reports.SiteWideReportsGuard",  # two admin reports, not for partners
    "courses.seat_marks.SeatMarksMiddleware",  # places left, written as pages leave
    "academy_site.page_cache.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "home.routing.RoutingMiddleware",  # Wagtail's pages in fewer queries
]

ROOT_URLCONF = "academy_site.urls"
WSGI_APPLICATION = "academy_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                # After Django's own csrf processor, whose `csrf_token` it
                # replaces so pages with forms can be cached (page_cache.py).
                "academy_site.page_cache.csrf",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Languages and time ----------------------------------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano"), ("en", "English")]
# The project's catalogue, then corrections to Wagtail's own Italian
# (academy_site/wagtail_locale: only the corrected entries). Both are read
# before every app's catalogue, Django's and Wagtail's included.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "academy_site" / "wagtail_locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Rome"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Pages are translated with the wagtail-localize editor; a new translation
# starts as a copy that editors then translate ("synced" mode).
WAGTAIL_LOCALIZE_DEFAULT_TRANSLATION_MODE = "synced"

# --- Static and media files ------------------------------------------------
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail -----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Accademia Territoriale — Cittadinanza al Lavoro"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": SEARCH_BACKEND}}
if SEARCH_URLS:
    WAGTAILSEARCH_BACKENDS["default"].update(
        {
            "URLS": SEARCH_URLS,
            "INDEX": SEARCH_INDEX,
            "TIMEOUT": SEARCH_TIMEOUT,
            "OPTIONS": SEARCH_OPTIONS,
            "INDEX_SETTINGS": SEARCH_INDEX_SETTINGS,
        }
    )
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "ods"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: every admin page would send a hash of each shown user's e-mail
# address to gravatar.com (and show a broken image where it cannot be
# reached). Editors get Wagtail's default avatar, or upload their own.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Background work (e-mails, search index updates), by TASKS_BACKEND: the
# database backend (django-tasks-db) stores each task as a row, which the
# worker (`manage.py db_worker`) claims and runs; the immediate backend runs
# tasks at once, in the process that queues them.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def tasks_setting(name):
    """The TASKS setting for the backend called `name` (TASK_BACKENDS)."""
    if name not in TASK_BACKENDS:
        raise ImproperlyConfigured(
            f"TASKS_BACKEND={name!r} is not one of: {', '.join(TASK_BACKENDS)}."
        )
    return {"default": {"BACKEND": TASK_BACKENDS[name]}}


TASKS = tasks_setting(TASKS_BACKEND or "database")

# --- Logging: everything to stdout, where the process manager collects it ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# --- Project ----------------------------------------------------------------
# The four comuni of the Distretto Sociale 3 Est Milano.
COMUNI = [
    ("pioltello", "Pioltello"),
    ("rodano", "Rodano"),
    ("segrate", "Segrate"),
    ("vimodrone", "Vimodrone"),
]
PROJECT_NAME = _("Cittadinanza al Lavoro")

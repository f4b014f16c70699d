"""Shared fixtures: the page tree root, the default site and both locales
are built once per test session; each test runs in a transaction on top."""

import io
import signal

import pytest

from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from wagtail.models import Locale, Page, Site

from academy_site.settings.base import tasks_setting
from home.models import HomePage, SiteFooter

from .factories import HomePageFactory


def build_site():
    """Root → Italian home page (the site's root) with its English translation."""
    italian, _ = Locale.objects.get_or_create(language_code="it")
    english, _ = Locale.objects.get_or_create(language_code="en")
    if HomePage.objects.exists():
        return
    # A transactional test's flush removes the root that a migration made.
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    for page in root.get_children():
        page.delete()
    home = HomePageFactory(parent=root, slug="home", locale=italian)
    home_en = home.copy_for_translation(english)
    home_en.title = "Territorial Academy"
    home_en.hero_title = "Learn a trade"
    home_en.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    # Wagtail creates a setting's row on its first read; a live site has it
    # from its first visit on. Made here, a test's first request does not
    # save it and so start a new content generation under the test's feet.
    SiteFooter.load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_site()


@pytest.fixture
def italian(db):
    return Locale.objects.get(language_code="it")


@pytest.fixture
def english(db):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def home(db):
    return HomePage.objects.get(locale__language_code="it", depth=2)


@pytest.fixture
def home_en(db):
    return HomePage.objects.get(locale__language_code="en", depth=2)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Wagtail caches site root paths; a rolled-back test must not leave them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _italian_by_default():
    """Each test starts with the site's default language, whatever the last did."""
    with translation.override("it"):
        yield


@pytest.fixture
def demo_site(db):
    call_command("load_demo_data", "--no-users", stdout=io.StringIO())


WORKER_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


@pytest.fixture
def site_after_flush():
    """The shared site for a transactional test: an earlier one flushed
    every table when it ended (pytest-django runs them after the others)."""
    build_site()


@pytest.fixture
def task_queue(settings, site_after_flush):
    """Tasks queued in the database, as in production (TASKS_BACKEND=database),
    for a transactional test (`django_db(transaction=True)`: the worker sees
    only committed rows). Returns `drain()`, which runs the worker
    (`manage.py db_worker --batch`) until the queue is empty."""
    settings.TASKS = tasks_setting("database")

    def drain():
        # The worker installs its own handlers (stop after the current task):
        # give pytest its own back.
        handlers = {sig: signal.getsignal(sig) for sig in WORKER_SIGNALS}
        try:
            call_command(
                "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
            )
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    return drain


# The partners' network, as the partner and venue tests need it: the
# directory, two onboarded partners ((page, user) each) and a member of the
# Academy staff.
@pytest.fixture
def directory(home):
    from .partners.factories import PartnerIndexPageFactory

    return PartnerIndexPageFactory(parent=home)


@pytest.fixture
def partner_a(directory):
    from .partners.factories import onboard

    return onboard("Sartoria Alfa")


@pytest.fixture
def partner_b(directory):
    from .partners.factories import onboard

    return onboard("Officina Beta")


@pytest.fixture
def staff_user(db):
    from django.contrib.auth.models import Group, User

    from partners.moderation import STAFF_GROUP_NAME

    user = User.objects.create_user("staff-test", "staff-test@example.org", "x")
    user.groups.add(Group.objects.get(name=STAFF_GROUP_NAME))
    return user

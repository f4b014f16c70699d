"""The demo loader's bulk mode (`home.demo.bulk_load`): what every save
would do is done once, at the end, with the same result."""

import pytest

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection

from wagtail.models import Page, ReferenceIndex
from wagtail.search.models import IndexEntry

from courses import feeds
from courses.booking import sign_up
from courses.emails import no_signup_emails
from home.cache import GENERATION_KEY, content_generation
from home.demo import bulk_load
from home.models import StandardPage

from ..courses.signup_factories import make_course, make_partner
from ..factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def entry(page):
    content_type = ContentType.objects.get_for_model(StandardPage)
    return IndexEntry.objects.filter(content_type=content_type, object_id=str(page.pk)).first()


def test_generations_are_bumped_once_when_the_bulk_load_ends(home):
    partner = make_partner(home)
    _course, (session,) = make_course(partner)
    before = (content_generation(), cache.get(feeds.GENERATION_KEY))
    with bulk_load():
        session.capacity += 1
        session.save()
        StandardPageFactory(parent=home, title="Un'altra pagina")
        assert (content_generation(), cache.get(feeds.GENERATION_KEY)) == before
    after = (cache.get(GENERATION_KEY), cache.get(feeds.GENERATION_KEY))
    assert after[0] > int(before[0].split(".")[0])  # the site's: every cache is new
    assert after[1] != before[1]


def test_search_and_reference_indexes_are_filled_once_at_the_end(home):
    target = StandardPageFactory(parent=home, title="Pagina di arrivo")
    with bulk_load():
        page = StandardPageFactory(parent=home, title="Prima stesura")
        page.title = "Ortofrutticola"
        page.save()
        page.body = [("paragraph", f'<p><a linktype="page" id="{target.pk}">Qui</a></p>')]
        page.save_revision().publish()
        assert entry(page) is None  # nothing indexed before the end
        assert not ReferenceIndex.get_references_for_object(page).exists()
    assert entry(page) is not None  # (its fields: plain text on SQLite, tsvectors on PostgreSQL)
    assert list(StandardPage.objects.search("Ortofrutticola")) == [page]
    assert list(StandardPage.objects.search("stesura")) == []  # the title it was saved with first
    assert [ref.to_object_id for ref in ReferenceIndex.get_references_for_object(page)] == [
        str(target.pk)
    ]


def test_no_signup_email_is_queued_inside_no_signup_emails(
    home, django_capture_on_commit_callbacks
):
    partner = make_partner(home)
    _course, (session,) = make_course(partner)
    details = {"first_name": "Ada", "last_name": "Rossi", "comune": "pioltello"}
    with django_capture_on_commit_callbacks() as queued, no_signup_emails():
        sign_up(session, email="ada@example.com", **details)
    assert not [c for c in queued if "signup_email" in c.__qualname__]
    with django_capture_on_commit_callbacks() as queued:
        sign_up(session, email="bea@example.com", **details)
    assert [c for c in queued if "signup_email" in c.__qualname__]


def test_postgresql_has_statistics_of_what_the_bulk_load_added(home):
    """Its planner would otherwise guess (search/engine.py's course queries
    took seconds on a demo just loaded)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL statistics: set DATABASE_URL=postgres://…")
    with bulk_load():
        for number in range(3):
            StandardPageFactory(parent=home, title=f"Pagina {number}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Page._meta.db_table])
        (estimate,) = cursor.fetchone()
    assert estimate == Page.objects.count()

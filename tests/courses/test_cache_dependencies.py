"""What a change leaves warm: saves that no public page shows (private
records, drafts, locks, translations being typed) bump no generation, so
every cached page and fragment stays as it is (home/cache.py)."""

import pytest

from django.apps import apps
from django.utils import timezone

from home.cache import IGNORED_MODELS, content_generation, structure_generation
from home.models import SiteFooter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    SiteFooter.load()  # created on first use, which counts as a change


# Models whose saves change what a public page shows (so they move the
# content generation), beside IGNORED_MODELS (which move nothing) and the
# sign-ups (which move the seats generation only). A new model must be put
# in one or the other.
SHOWN = {
    ("home", "homepage"),
    ("home", "standardpage"),
    ("home", "sitefooter"),
    ("partners", "challengeindexpage"),
    ("partners", "challengepage"),
    ("partners", "challengequestion"),
    ("partners", "challengecourse"),
    ("partners", "partnerindexpage"),
    ("partners", "partnerpage"),
    ("partners", "labourneed"),
    ("partners", "observatorypage"),
    ("partners", "opportunityindexpage"),
    ("partners", "opportunitypage"),
    ("partners", "opportunityrelatedpage"),
    ("courses", "signupquestion"),
    ("courses", "courseindexpage"),
    ("courses", "coursepage"),
    ("courses", "coursesession"),
    ("courses", "topic"),
    ("courses", "venue"),
    ("donations", "donationpage"),
    ("donations", "donation"),  # the fund's progress
    ("donations", "payment"),
}


def test_every_model_of_the_project_is_sorted_for_the_caches():
    project = {"home", "partners", "courses", "donations", "search"}
    models = {
        (model._meta.app_label, model._meta.model_name)
        for model in apps.get_models()
        if model._meta.app_label in project
    }
    assert models - SHOWN - IGNORED_MODELS == set()


def test_the_models_with_a_domain_of_their_own_are_those_checked():
    """A domain narrows what a save makes cold (home/cache.py): each model in
    one was checked against every cache that shows it. A course's model
    names the course pages it belongs to (their versions move)."""
    domains = {
        (model._meta.app_label, model._meta.model_name): model.cache_domain
        for model in apps.get_models()
        if getattr(model, "cache_domain", None)
    }
    assert domains == {
        ("courses", "coursepage"): "courses",
        ("courses", "coursesession"): "courses",
        ("courses", "signupquestion"): "courses",
        ("donations", "donation"): "fund",
        ("donations", "payment"): "fund",
    }
    for model in apps.get_models():
        if getattr(model, "cache_domain", None) == "courses":
            assert callable(getattr(model, "cached_course_ids", None)), model
    assert set() == SHOWN & IGNORED_MODELS


def test_private_records_leave_the_cached_pages_warm(client, world):
    from search.models import MissedQuery

    client.get(world.catalogue.url)
    generation = content_generation()
    now = timezone.now()
    MissedQuery.objects.create(query="zzzz", language="it", first_seen=now, last_seen=now)
    assert content_generation() == generation
    assert client.get(world.catalogue.url)["X-Page-Cache"] == "hit"


def _generations():
    return content_generation(), structure_generation()


def test_a_draft_saved_leaves_the_cached_pages_warm(client, world):
    client.get(world.catalogue.url)
    before = _generations()
    world.saldatura.title = "Saldatura (bozza)"
    world.saldatura.save_revision()
    world.catalogue.title = "Catalogo (bozza)"  # a page of the menu
    world.catalogue.save_revision()
    assert _generations() == before
    response = client.get(world.catalogue.url)
    assert response["X-Page-Cache"] == "hit" and b"bozza" not in response.content

    world.saldatura.get_latest_revision().publish()
    response = client.get(world.catalogue.url)
    assert response["X-Page-Cache"] == "miss" and b"Saldatura (bozza)" in response.content


def test_a_page_locked_leaves_the_cached_pages_warm(world, admin_user):
    before = _generations()
    world.saldatura.locked, world.saldatura.locked_by = True, admin_user
    world.saldatura.locked_at = timezone.now()
    world.saldatura.save(update_fields=["locked", "locked_by", "locked_at"])
    assert _generations() == before
    world.saldatura.intro = "Nuova introduzione."
    world.saldatura.save(update_fields=["intro", "locked"])
    assert _generations()[0] != before[0]


def test_a_translation_being_typed_leaves_the_cached_pages_warm(world):
    from wagtail.models import Locale
    from wagtail_localize.models import String
    from wagtail_localize.strings import StringValue

    before = _generations()
    String.from_value(Locale.get_default(), StringValue.from_plaintext("Saldatura a filo"))
    assert _generations() == before

"""Every public page type answers in a bounded number of queries that does
not grow with the size of the site: at most 15, in both languages, rendered
again (the header, footer and per-generation caches warm), on the first
render after a content change (every cache kept per content generation
cold; the sites, routing's home pages, view restrictions and the header
and footer are kept per structure generation and stay warm), on the first
render after a structural change (both generations bumped) and on the
first render with the whole cache empty (a new Redis after a deploy: the
image renditions and every other long-lived entry gone too;
docs/performance.md, "Where the targets stand")."""

import datetime

import pytest
import wagtail_factories

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.cache import bump_content_generation, bump_structure_generation
from home.demo import translate
from partners.models import OpportunityRelatedPage, PartnerPage
from tests.donations.factories import DonationPageFactory
from tests.factories import StandardPageFactory, furnish_home
from tests.partners.challenge_factories import ChallengeIndexPageFactory, ChallengePageFactory
from tests.partners.factories import LabourNeedFactory, ObservatoryPageFactory, PartnerPageFactory
from tests.partners.opportunity_factories import (
    OpportunityIndexPageFactory,
    OpportunityPageFactory,
)

from .conftest import publish
from .factories import CourseSessionFactory, TopicFactory
from .signup_factories import make_course

TARGET = 15


def empty_every_cache():
    """Every configured cache emptied, as on a new Redis after a deploy."""
    for cache in caches.all(initialized_only=False):
        cache.clear()


CHANGES = {
    "content": bump_content_generation,
    "structure": bump_structure_generation,
    "empty cache": empty_every_cache,
}


def count(client, url, after=None):
    """Queries of a GET, without the SAVEPOINT/RELEASE pair that
    ATOMIC_REQUESTS adds inside the test's own transaction (in production
    the request's transaction is a plain BEGIN/COMMIT, not a query). With
    `after` "content", the GET is the first after the content generation
    moved, as after a publish or a sign-up: every per-content-generation
    cache (lists, cards, fragments) is cold; with "structure", the first
    after a structural change: the header and footer, sites, locales,
    routing's home pages and the view restrictions are cold too; with
    "empty cache", the first with every cache emptied (renditions and the
    other entries kept outside the two generations gone too)."""
    client.get(url)  # header/footer chrome, renditions and caches warm
    if after:
        CHANGES[after]()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return sum(1 for q in queries if "SAVEPOINT" not in q["sql"])


def translated(page, locale):
    """The English page of `page` (its parents translated too), published."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing
    copy = page.copy_for_translation(locale, copy_parents=True)
    copy.save_revision().publish()
    return copy


def english_courses(world, english):
    """The course section in English: the catalogue, the partners (plain
    copies) and the course with everything its page localises: a topic, a
    labour need and a co-organiser that have English versions, and an
    opportunity that follows it."""
    directory = world.coop.get_parent()
    translate(directory, {}, english)
    for partner in (world.coop, world.artisan):
        translate(partner, {}, english)
    catalogue = translate(world.catalogue, {}, english)
    need = LabourNeedFactory(title="Saldatori", comune="rodano")
    need_en = need.copy_for_translation(english)
    need_en.title = "Welders"
    need_en.save()
    topic_en = world.topic_digitale.copy_for_translation(english)
    topic_en.name = "Digital"
    topic_en.save()
    course = world.saldatura
    course.topics = [world.topic_sartoria, world.topic_digitale]
    course.labour_needs = [need]
    publish(course)
    opportunity = OpportunityPageFactory(parent=world.artisan, slug="dopo-la-saldatura")
    OpportunityRelatedPage.objects.create(opportunity=opportunity, page=course)
    publish(opportunity)
    course_en = translate(course, {"Saldatura a filo": "Wire welding"}, english)
    return catalogue, course_en


def pictured(*pages):
    """Each of `pages` given a picture of its own and published, as in the
    demo, where every card, profile and featured page shows one: a course's
    or another page's listing image, a partner's logo and listing image."""
    for page in pages:
        page.listing_image = wagtail_factories.ImageFactory()
        if isinstance(page, PartnerPage):
            page.logo = wagtail_factories.ImageFactory()
        publish(page)
    return pages


@pytest.fixture
def site(world, home, home_en, english):
    pictured(world.sartoria, world.saldatura, world.excel, world.coop)
    catalogue_en, course_en = english_courses(world, english)
    standard = StandardPageFactory(parent=home, title="Il progetto", slug="il-progetto")
    observatory = ObservatoryPageFactory(parent=standard, slug="segrate")
    challenges = ChallengeIndexPageFactory(parent=home)
    opportunities = OpportunityIndexPageFactory(parent=home)
    donation = DonationPageFactory(parent=home)
    challenge = ChallengePageFactory(parent=world.coop, slug="sfida")
    pictured(standard, observatory, challenges, challenge)
    opportunity = OpportunityPageFactory(parent=world.coop, slug="tirocinio")
    english_pages = {
        name: translated(page, english)
        for name, page in (
            ("partner", world.coop),
            ("observatory", observatory),
            ("challenge index", challenges),
            ("challenge", challenge),
            ("opportunity", opportunity),
            ("course", world.sartoria),  # under the partner: all three kinds
        )
    }
    image = wagtail_factories.ImageFactory()
    for page in (home, home_en):
        furnish_home(page, [standard, observatory, challenges], image)
    return {
        "home": "/it/",
        "home (en)": "/en/",
        "standard": standard.url,
        "observatory": observatory.url,
        "catalogue": world.catalogue.url,
        "catalogue, filtered": world.catalogue.url + "?free=on&comune=pioltello&when=month",
        "catalogue, searched": world.catalogue.url + "?q=saldatura",
        "catalogue, by topic and partner": (
            f"{world.catalogue.url}?topic=sartoria&partner={world.coop.pk}"
        ),
        "catalogue, nothing found": world.catalogue.url + "?q=introvabile&comune=pioltello&free=on",
        "catalogue (en)": catalogue_en.url,
        "catalogue (en), filtered": catalogue_en.url + "?free=on&comune=pioltello&when=month",
        "catalogue (en), by partner": f"{catalogue_en.url}?partner={world.coop.pk}",
        "course": world.saldatura.url,
        "course (en)": course_en.url,
        "partner directory": world.coop.get_parent().url,
        "partner": world.coop.url,
        "challenge index": challenges.url,
        "challenge": challenge.url,
        "opportunity index": opportunities.url,
        "opportunity": opportunity.url,
        "donation": donation.url,
        "search": "/it/search/?query=sartoria",
        "feed": "/it/feeds/academy.ics",
        "partner feed": f"/it/feeds/partner/{world.coop.pk}.ics",  # with its deadlines
        "sitemap": "/sitemap.xml",
        "partner directory (en)": english_pages["partner"].get_parent().url,
        "partner (en)": english_pages["partner"].url,
        "observatory (en)": english_pages["observatory"].url,
        "challenge index (en)": english_pages["challenge index"].url,
        "opportunity (en)": english_pages["opportunity"].url,
        "search (en)": "/en/search/?query=sartoria",
        "partner feed (en)": f"/en/feeds/partner/{world.coop.pk}.ics",
    }


def grow(world, n):
    """n more partners, each with courses (with sessions and topics), a
    challenge and an opportunity."""
    directory = world.coop.get_parent()
    topic = TopicFactory()
    for i in range(n):
        partner = PartnerPageFactory(parent=directory, title=f"Partner {i}", slug=f"partner-{i}")
        for _j in range(2):
            course, _sessions = make_course(partner, sessions=3)
            course.topics = [topic, world.topic_sartoria]
            publish(course)
        ChallengePageFactory(parent=partner)
        OpportunityPageFactory(parent=partner)
    for partner in (world.coop, world.artisan):
        course, _sessions = make_course(PartnerPage.objects.get(pk=partner.pk), sessions=2)
        publish(course)
        ChallengePageFactory(parent=partner)
    CourseSessionFactory(page=world.saldatura, start=timezone.now() + datetime.timedelta(days=50))
    publish(world.saldatura)


@pytest.mark.django_db
@pytest.mark.parametrize("after", [None, *CHANGES], ids=lambda after: after or "again")
def test_public_pages_stay_within_their_query_budget_at_two_scales(client, world, site, after):
    """Rendered again (`after` None) or first rendered after a change."""
    small = {name: count(client, url, after) for name, url in site.items()}
    grow(world, 4)
    large = {name: count(client, url, after) for name, url in site.items()}
    assert large == small, str((small, large))
    over = {name: queries for name, queries in small.items() if queries > TARGET}
    assert over == {}, str(small)


@pytest.mark.django_db
def test_the_english_course_page_of_the_budget_shows_what_it_localises(client, site):
    """The English pages measured above do the work they are measured for."""
    page = client.get(site["course (en)"]).content.decode()
    assert "Wire welding" in page and "Welders" in page and "Digital" in page
    assert "dopo-la-saldatura" in page  # the opportunity that follows the course
    assert "Cooperativa Uno" in page  # co-organiser
    catalogue = client.get(site["catalogue (en)"]).content.decode()
    assert "Wire welding" in catalogue and "Digital" in catalogue
    hints = client.get(site["catalogue, nothing found"]).content.decode()
    assert "empty-result" in hints and "Senza" in hints

"""What every page reads before its own content (sites, locales, the home
page in every language, view restrictions, header and footer) is kept
under the structure generation (home/cache.py), which an ordinary content
change leaves alone: every change that can alter it bumps it
(home/structure.py). Each test renders, makes one such change, and renders
again: the change must show at once."""

import pytest

from django.contrib.auth.models import Group
from django.core.cache import cache

from wagtail.models import Locale, Page, PageViewRestriction, Site

from home import request_memo
from home.cache import (
    GENERATION_KEY,
    STRUCTURE_KEY,
    bump_content_generation,
    bump_structure_generation,
    content_generation,
    structure_generation,
)
from home.demo import bulk_load
from home.models import SiteFooter

from ..factories import HomePageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def page_under(parent, title, slug, **kwargs):
    page = StandardPageFactory(parent=parent, title=title, slug=slug, **kwargs)
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk).specific


def menu_page(home, title="Laboratori", slug="laboratori"):
    return page_under(home, title, slug, show_in_menus=True)


def html(client, url="/it/", **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response.content.decode()


def menu(client, url="/it/"):
    """The header's menu, as it is shown."""
    page = html(client, url)
    return page[page.index('class="main-nav"') : page.index('class="nav-search"')]


def footer(client, url="/it/"):
    page = html(client, url)
    return page[page.index("<footer") :]


def sitemap(client):
    return client.get("/sitemap.xml").content.decode()


@pytest.fixture
def footer_setting():
    return SiteFooter.load()


# The generations


def test_a_content_change_leaves_the_structure_generation_alone(client, home):
    section = menu_page(home)
    html(client)
    structure = structure_generation()
    page_under(section, "Un corso", "un-corso")
    bump_content_generation()
    assert structure_generation() == structure


def test_a_structure_bump_bumps_the_content_generation_too():
    content = content_generation()
    bump_structure_generation()
    assert content_generation() > content


def test_a_request_reads_the_structure_generation_once_and_sees_its_own_bump(rf):
    def view(request):
        first = structure_generation()
        cache.set(STRUCTURE_KEY, first + 100, None)  # another process bumps
        unchanged = structure_generation()
        bump_structure_generation()
        return first, unchanged, structure_generation()

    first, unchanged, bumped = request_memo.RequestMemoMiddleware(view)(rf.get("/"))
    assert unchanged == first and bumped == first + 101


@pytest.mark.parametrize("key", [GENERATION_KEY, STRUCTURE_KEY])
def test_a_generation_whose_key_was_evicted_starts_above_every_earlier_one(key):
    """Entries kept under an earlier value must never be served again: a
    cache that lost only the generation's key (an eviction) starts it anew
    above any value reached by counting up."""
    read = {GENERATION_KEY: content_generation, STRUCTURE_KEY: structure_generation}[key]
    for _ in range(3):
        bump_structure_generation()
    reached = read()
    cache.delete(key)
    request_memo.forget(("structure-generation",))
    assert read() > reached


# Sites and locales


def test_a_site_saved_for_a_host_serves_its_root_page_at_once(client, home):
    other = HomePageFactory(parent=home.get_parent(), slug="altra", title="Altra accademia")
    other.save_revision().publish()
    assert "Altra accademia" not in html(client, "/it/", HTTP_HOST="altra.example.org")
    site = Site.objects.create(hostname="altra.example.org", port=80, root_page=other)
    assert "Altra accademia" in html(client, "/it/", HTTP_HOST="altra.example.org")
    site.delete()
    assert "Altra accademia" not in html(client, "/it/", HTTP_HOST="altra.example.org")


def test_a_locale_added_or_deleted_is_known_to_the_next_request(rf):
    middleware = request_memo.RequestMemoMiddleware(lambda request: request_memo.locales_by_code())
    assert "fr" not in middleware(rf.get("/"))
    french = Locale.objects.create(language_code="fr")
    assert "fr" in middleware(rf.get("/"))
    french.delete()
    assert "fr" not in middleware(rf.get("/"))


def test_the_english_home_page_unpublished_falls_back_to_the_italian_at_once(client, home_en):
    assert "Learn a trade" in html(client, "/en/")
    home_en.unpublish()
    assert "Impara un mestiere" in html(client, "/en/")


# View restrictions


def test_a_view_restriction_saved_or_deleted_shows_at_once(client, home):
    section = menu_page(home)
    deeper = page_under(section, "Un corso", "un-corso")
    html(client, deeper.url)
    assert "Laboratori" in menu(client)
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(deeper.url).status_code == 302  # to the login
    assert "Laboratori" not in menu(client)
    restriction.delete()
    assert client.get(deeper.url).status_code == 200
    assert "Laboratori" in menu(client)


def test_a_view_restrictions_groups_changed_bumps_the_structure(home):
    """Wagtail reads a restriction's groups when it checks a visitor, not
    from what is kept; the bump is there should that ever change."""
    section = menu_page(home)
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.GROUPS
    )
    group = Group.objects.create(name="Partner")
    for change in (
        lambda: restriction.groups.add(group),
        lambda: restriction.groups.remove(group),
        lambda: restriction.groups.clear(),
    ):
        before = structure_generation()
        change()
        assert structure_generation() > before


def test_a_restricted_page_moved_stays_private(client, home):
    """Moving rewrites paths with raw UPDATEs: a kept list of restrictions
    with the old path would let the page into public lists."""
    first, second = menu_page(home), menu_page(home, "Servizi", "servizi")
    private = page_under(first, "Riservata", "riservata")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert "riservata" not in sitemap(client)
    html(client)  # (the restrictions, kept)
    private.move(second, pos="last-child")
    assert "riservata" not in sitemap(client)


# The header's menu


def test_a_menu_page_created_renamed_hidden_and_deleted_shows_at_once(client, home):
    assert "Laboratori" not in menu(client)
    section = menu_page(home)
    assert "Laboratori" in menu(client)
    section.title = "Laboratori aperti"
    section.save_revision().publish()
    assert "Laboratori aperti" in menu(client)
    section.show_in_menus = False
    section.save_revision().publish()
    assert "Laboratori" not in menu(client)
    section.show_in_menus = True
    section.save_revision().publish()
    assert "Laboratori" in menu(client)
    section.delete()
    assert "Laboratori" not in menu(client)


def test_a_menu_page_unpublished_leaves_the_menu(client, home):
    section = menu_page(home)
    assert "Laboratori" in menu(client)
    section.unpublish()
    assert "Laboratori" not in menu(client)


def test_a_menu_pages_new_slug_is_its_new_link(client, home):
    section = menu_page(home)
    assert "/it/laboratori/" in menu(client)
    section.slug = "officine"
    section.save_revision().publish()
    assert "/it/officine/" in menu(client)


def test_a_menu_page_moved_down_leaves_the_menu(client, home):
    section, other = menu_page(home), menu_page(home, "Servizi", "servizi")
    assert "Laboratori" in menu(client)
    section.move(other, pos="last-child")
    assert "Laboratori" not in menu(client)
    assert "Servizi" in menu(client)


def test_a_menu_pages_translation_shows_in_the_english_menu(client, home, english):
    section = menu_page(home)
    assert "Workshops" not in menu(client, "/en/")
    translation = section.copy_for_translation(english)
    translation.title = "Workshops"
    translation.save_revision().publish()
    assert "Workshops" in menu(client, "/en/")


def test_an_alias_made_in_the_menu_shows_in_it(client, home):
    section = menu_page(home)
    deeper = page_under(section, "Un corso", "un-corso", show_in_menus=True)
    assert "Un corso" not in menu(client)
    deeper.create_alias(parent=home, update_slug="corso")
    assert "Un corso" in menu(client)


def test_an_alias_made_anywhere_bumps_the_structure(home):
    section = menu_page(home)
    deeper = page_under(section, "Un corso", "un-corso")
    before = structure_generation()
    deeper.create_alias(update_slug="un-corso-bis")
    assert structure_generation() > before


# The footer


def test_the_footer_setting_saved_shows_at_once(client, footer_setting):
    assert "scrivi@example.org" not in footer(client)
    footer_setting.contact_email = "scrivi@example.org"
    footer_setting.save()
    assert "scrivi@example.org" in footer(client)


def test_the_footers_page_renamed_moved_or_translated_shows_at_once(
    client, home, english, footer_setting
):
    section, other = menu_page(home), menu_page(home, "Servizi", "servizi")
    privacy = page_under(section, "Privacy", "privacy")
    footer_setting.privacy_page = privacy
    footer_setting.save()
    assert "Privacy" in footer(client)
    privacy.title = "Informativa sulla privacy"
    privacy.save_revision().publish()
    assert "Informativa sulla privacy" in footer(client)
    privacy.move(other, pos="last-child")
    assert "/it/servizi/privacy/" in footer(client)
    other.copy_for_translation(english).save_revision().publish()
    assert "Privacy notice" not in footer(client, "/en/")
    translation = privacy.copy_for_translation(english)
    translation.title = "Privacy notice"
    translation.save_revision().publish()
    assert "Privacy notice" in footer(client, "/en/")


def test_a_renamed_ancestor_of_the_footers_page_is_its_new_link(
    client, home, footer_setting, django_capture_on_commit_callbacks
):
    """The new slug rewrites the url_path of the pages below by a raw UPDATE
    (Wagtail says so with page_slug_changed, when the transaction commits)."""
    section = menu_page(home)
    about = page_under(section, "Chi siamo", "chi-siamo")
    privacy = page_under(about, "Privacy", "privacy")
    footer_setting.privacy_page = privacy
    footer_setting.save()
    assert "/it/laboratori/chi-siamo/privacy/" in footer(client)
    about = Page.objects.get(pk=about.pk).specific
    about.slug = "noi"
    with django_capture_on_commit_callbacks(execute=True):
        about.save_revision().publish()
    assert "/it/laboratori/noi/privacy/" in footer(client)


# Bulk loading


def test_a_bulk_load_bumps_the_structure_when_it_ends(client, footer_setting):
    html(client)
    with bulk_load():
        footer_setting.contact_email = "demo@example.org"
        footer_setting.save()
    assert "demo@example.org" in footer(client)

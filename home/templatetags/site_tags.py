from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from wagtail.models import Locale, Page, Site

register = template.Library()


def _home_page(request):
    site = Site.find_for_request(request)
    if site is None:
        return None
    return site.root_page.localized


@register.simple_tag(takes_context=True)
def language_links(context):
    """One entry per site language: where the current page is in that language.

    A page links to its live translation; a language the page has not been
    translated into gets no link (url is None). Views that are not pages
    (search, forms) link to the same URL in the other language.
    """
    request = context["request"]
    page = context.get("page")
    current = get_language()
    translations = {}
    if isinstance(page, Page):
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    links = []
    for code, name in settings.LANGUAGES:
        if isinstance(page, Page):
            target = translations.get(code)
            url = target.get_url(request) if target else None
        else:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The pages below the home page that editors marked "show in menus"."""
    home = _home_page(context["request"])
    if home is None:
        return []
    return list(home.get_children().live().public().in_menu().only("title", "url_path", "locale"))


@register.simple_tag(takes_context=True)
def home_page(context):
    return _home_page(context["request"])


@register.simple_tag(takes_context=True)
def breadcrumbs(context):
    """The ancestors of the page below the tree root (home first)."""
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return []
    return list(page.get_ancestors().filter(depth__gte=2).only("title", "url_path", "locale"))


@register.filter
def localized_page(page):
    """A page in the active language, when it has been translated."""
    if page is None:
        return None
    localized = page.localized
    return localized if localized.live else page


@register.simple_tag
def active_locale():
    return Locale.get_active()

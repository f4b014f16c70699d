"""`home.localize.in_language`: a page in one person's own language (their
e-mails, their sign-up and application pages), whatever the request's."""

from django.test import RequestFactory

from home.demo import translate
from home.localize import in_language
from home.request_memo import RequestMemoMiddleware

from ..factories import StandardPageFactory


def test_a_live_translation_is_given_specific(home, home_en, english):
    page = StandardPageFactory(parent=home, title="Tradotta", slug="tradotta")
    translated = translate(page, {"Tradotta": "Translated"}, english)
    shown = in_language(page, "en")
    assert shown.pk == translated.pk
    assert type(shown) is type(page)
    assert shown.title == "Translated"


def test_the_page_itself_otherwise(home, home_en, english):
    untranslated = StandardPageFactory(parent=home, title="Solo italiano", slug="solo-italiano")
    assert in_language(untranslated, "en") is untranslated
    assert in_language(untranslated, "it") is untranslated
    # A language the site does not have.
    assert in_language(untranslated, "de") is untranslated
    # A translation that is not live is not shown.
    page = StandardPageFactory(parent=home, title="Bozza inglese", slug="bozza-inglese")
    draft = page.copy_for_translation(english)
    assert not draft.live
    assert in_language(page, "en") is page


def test_the_locales_are_read_once_in_a_request(home, home_en, english, django_assert_num_queries):
    page = StandardPageFactory(parent=home, title="Solo italiano", slug="solo-italiano")

    def view(request):
        # The first call reads the locales and looks the translation up;
        # the second only looks the translation up.
        with django_assert_num_queries(2):
            in_language(page, "en")
        with django_assert_num_queries(1):
            in_language(page, "en")
        return None

    RequestMemoMiddleware(view)(RequestFactory().get("/"))

"""The search page, its suggestions as you type, and "ask for a course"."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale
from wagtail.search.utils import normalise_query_string

from courses import catalogue, throttle
from courses.choices import Format, When
from courses.signup_forms import started_token
from home.choices import Comune
from home.search_query import clean_search_query

from . import demand, engine, vocabulary
from .forms import CourseRequestForm

# How many searches without results one address may add to the log per hour.
MISSED_LOG_LIMIT = (30, 3600)
REQUEST_LIMIT = (5, 3600)


def language():
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def promotions(query, locale):
    """Editors' picks for this query: external links, and live pages in the
    visitor's language. Read only for a query string that has some
    (`vocabulary.promoted_queries`, kept per content generation)."""
    if not query:
        return []
    query_string = normalise_query_string(query)
    promoted = vocabulary.promoted_queries(language())
    if promoted is not None and query_string not in promoted:
        return []
    picks = SearchPromotion.objects.filter(query__query_string=query_string).select_related("page")
    return [
        pick
        for pick in picks
        if pick.page is None
        and pick.external_link_url
        or pick.page is not None
        and pick.page.live
        and pick.page.locale_id == locale.pk
    ]


def popular_topics(locale, limit=6):
    """Topics with the most live courses, in the visitor's language."""
    default_id = catalogue.default_locale_id()
    topics_by_key = catalogue.localized_topics(locale, default_id)
    return [
        topics_by_key[key] for key in catalogue.popular_topic_keys(limit) if key in topics_by_key
    ]


def catalogue_links(locale):
    """Ready-made catalogue filters for pages that found nothing."""
    index = engine.catalogue_page(locale)
    if index is None:
        return []
    url = index.url
    links = [
        (_("Free courses"), f"{url}?free=on"),
        (_("Starting in the next 7 days"), f"{url}?when={When.WEEK}"),
    ]
    links.append((_("Online courses"), f"{url}?format={Format.ONLINE}"))
    for value, label in Comune.choices:
        links.append((_("Courses in %(comune)s") % {"comune": label}, f"{url}?comune={value}"))
    return [{"label": label, "url": link} for label, link in links]


def request_form_topics(locale):
    default_id = catalogue.default_locale_id()
    topics = catalogue.localized_topics(locale, default_id).values()
    return sorted(((topic.pk, topic.name) for topic in topics), key=lambda c: c[1])


def log_allowed(request):
    """At most MISSED_LOG_LIMIT entries per address, so a robot cannot flood the log."""
    return throttle.hit("missed-query", throttle.client_ip(request), MISSED_LOG_LIMIT)


def search(request):
    """Search the live, public content of the visitor's language."""
    query = clean_search_query(request.GET.get("query", ""))
    locale = Locale.get_active()
    kind = request.GET.get("type", "")
    outcome = engine.search(
        request, query, locale, language(), kind=kind, page_number=request.GET.get("page", 1)
    )
    context = {
        "search_query": query,
        "outcome": outcome,
        "promotions": promotions(query, locale),
        "page_title": _("Search"),
    }
    if query and not outcome.total:
        if not outcome.kind and log_allowed(request):
            demand.log_missed_query(query, language())
        context["request_form"] = CourseRequestForm(
            initial={"wish": query, "source": "search"}, topics=request_form_topics(locale)
        )
    if not outcome.total:
        context["popular_topics"] = popular_topics(locale)
        context["catalogue_links"] = catalogue_links(locale)
        context["catalogue"] = engine.catalogue_page(locale)
    response = TemplateResponse(request, "search/search.html", context)
    if outcome.filter_form is not None and outcome.filter_form.errors and outcome.kind:
        response.status_code = 400
    return response


def suggest(request):
    """Suggestions as you type, for academy_site/static/js/search-combobox.js."""
    query = clean_search_query(request.GET.get("query", ""))[:100]
    suggestions = engine.autocomplete(query, Locale.get_active(), language())
    response = JsonResponse({"query": query, "suggestions": suggestions})
    response["Cache-Control"] = "max-age=60"
    return response


@require_http_methods(["GET", "POST"])
def ask_for_course(request):
    """ "Ask for a course": a wish, a comune, an optional e-mail."""
    locale = Locale.get_active()
    topics = request_form_topics(locale)
    status = 200
    if request.method == "POST":
        form = CourseRequestForm(request.POST, topics=topics)
        status = 400
        if not throttle.hit("course-request", throttle.client_ip(request), REQUEST_LIMIT):
            form.add_error(
                None, _("Too many requests from this connection. Please try again later.")
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            topic = None
            if data.get("topic"):
                topic = catalogue.localized_topics(locale, catalogue.default_locale_id())
                topic = next((t for t in topic.values() if t.pk == data["topic"]), None)
            demand.create_request(
                wish=data["wish"],
                comune=data["comune"],
                topic=topic,
                email=data.get("email", ""),
                consent=data.get("consent", False),
                language=language(),
                source=data.get("source") or "catalogue",
            )
            return redirect(reverse("ask_for_course") + "?sent=1")
        if form.has_error("started") and not form.has_error("started", "too_fast"):
            data = request.POST.copy()
            data["started"] = started_token()
            form.data = data
    else:
        form = CourseRequestForm(
            initial={
                "wish": clean_search_query(request.GET.get("wish", ""))[:300],
                "source": "catalogue",
            },
            topics=topics,
        )
    context = {
        "request_form": form,
        "sent": request.method == "GET" and request.GET.get("sent") == "1",
        "catalogue": engine.catalogue_page(locale),
        "page_title": _("Ask for a course"),
    }
    return TemplateResponse(request, "search/ask_for_course.html", context, status=status)

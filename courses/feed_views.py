"""Calendar feeds over HTTP: cached bodies, ETag and Last-Modified, 304s.

URLs live in courses/feed_urls.py, inside i18n_patterns: the language prefix
chooses the feed's language (titles, descriptions, links)."""

import gzip

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from home.request_memo import locales_by_code
from partners.models import PartnerPage

from . import feeds
from .models import CoursePage, Participant, Topic
from .signup_links import read_participant_token
from .signup_views import public_session

CONTENT_TYPE = "text/calendar; charset=utf-8"
# The largest page id (a 32-bit signed primary key, as PostgreSQL keeps it).
MAX_PAGE_ID = 2**31 - 1


def accepts_gzip(request):
    """Whether the client takes gzip (RFC 9110, 12.5.3): `gzip` (or the old
    `x-gzip`), else `*`, with a weight above zero."""
    star = False
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, *params = (part.strip().lower() for part in item.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if coding in ("gzip", "x-gzip"):
            return weight > 0
        if coding == "*":
            star = weight > 0
    return star


def respond(request, key, build, filename, private=False):
    """The feed `key`, from the cache when it is fresh, or 304.

    Two representations share the cached gzip body: gzip-capable clients
    (every calendar app) get it as it is, with its own ETag (the identity
    one with "-gzip", as Apache and nginx mark it), the others get it
    decompressed. A conditional GET is answered from the validators alone,
    without reading the body."""
    language = get_language()
    version, last_modified = feeds.feed_version(
        f"{request.get_host()}|{key}", language, personal=private
    )
    gzipped = accepts_gzip(request)
    etag = f'"{version}-gzip"' if gzipped else f'"{version}"'
    timestamp = int(last_modified.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        compressed, body = feeds.cached_body(version, lambda: build(language))
        if gzipped:
            response = HttpResponse(compressed, content_type=CONTENT_TYPE)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(
                gzip.decompress(compressed) if body is None else body, content_type=CONTENT_TYPE
            )
        response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(timestamp)
    patch_vary_headers(response, ["Accept-Encoding"])
    # Calendar apps poll: let them and shared caches keep a copy for a while,
    # then revalidate cheaply. Personal feeds are never shared.
    response["Cache-Control"] = "private, max-age=300" if private else "public, max-age=300"
    if private:
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
    return response


def sessions_calendar(request, kind, obj, sessions, deadlines=None):
    """A builder for `respond`; `sessions` (and `deadlines`, the challenge
    and opportunity deadlines the feed also shows) are called only on a
    cache miss."""

    def build(language):
        name, description = feeds.describe(kind, obj)
        return feeds.build_calendar(
            feeds.feed_sessions(sessions()),
            name=name,
            description=description,
            language=language,
            request=request,
            deadlines=deadlines(language) if deadlines else None,
        )

    return build


@require_safe
def academy(request):
    return respond(
        request,
        "academy",
        sessions_calendar(
            request,
            "academy",
            None,
            lambda: feeds.academy_sessions(),
            feeds.deadlines_of,
        ),
        "academy",
    )


def localized(page, model):
    """`page` in the active language if it has a live, public translation."""
    locale = locales_by_code().get(get_language())  # (read once per request)
    if locale is None or page.locale_id == locale.pk:
        return page
    translated = (
        model.objects.live().public().filter(locale=locale, translation_key=page.translation_key)
    ).first()
    return translated or page


def feed_page(model, page_id):
    """The live, public page `page_id` in the active language (its
    translation if it has one), or 404. Which page that is stays the same
    for a feed generation (publishing, moving, restricting bump it), so it
    is looked up once per generation and process."""

    if page_id > MAX_PAGE_ID:  # (a query would fail: no such id, not a 500)
        raise Http404

    def find():
        page = model.objects.live().public().filter(pk=page_id).first()
        return page and localized(page, model)

    page = feeds.per_generation(("page", model.__name__, page_id, get_language()), find)
    if page is None:
        raise Http404
    return page


@require_safe
def course(request, page_id):
    page = feed_page(CoursePage, page_id)
    return respond(
        request,
        f"course:{page.translation_key}",
        sessions_calendar(request, "course", page, lambda: feeds.course_sessions(page)),
        f"course-{page.slug}",
    )


@require_safe
def partner(request, page_id):
    page = feed_page(PartnerPage, page_id)
    return respond(
        request,
        f"partner:{page.translation_key}",
        sessions_calendar(
            request,
            "partner",
            page,
            lambda: feeds.partner_sessions(page),
            lambda language: feeds.deadlines_of(language, partner=page),
        ),
        f"partner-{page.slug}",
    )


@require_safe
def topic(request, slug):
    def find():
        found = Topic.objects.filter(slug=slug).select_related("locale")
        topics = {topic.locale.language_code: topic for topic in found}
        return topics.get(get_language()) or next(iter(topics.values()), None)

    shown = feeds.per_generation(("topic", slug, get_language()), find)
    if shown is None:
        raise Http404
    return respond(
        request,
        f"topic:{slug}",
        sessions_calendar(request, "topic", shown, lambda: feeds.topic_sessions(shown)),
        f"topic-{slug}",
    )


@require_safe
def comune(request, comune):
    if comune not in feeds.COMUNE_NAMES:
        raise Http404
    return respond(
        request,
        f"comune:{comune}",
        sessions_calendar(
            request,
            "comune",
            comune,
            lambda: feeds.comune_sessions(comune),
            lambda language: feeds.deadlines_of(language, comune=comune),
        ),
        f"comune-{comune}",
    )


@require_safe
def filtered(request):
    form = feeds.FeedFilterForm(request.GET)
    problem = form.error_message()
    if problem:
        return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
    return respond(
        request,
        f"filter:{form.key()}",
        sessions_calendar(
            request, "filter", form, lambda: feeds.filtered_sessions(form.cleaned_data)
        ),
        "courses",
    )


@require_safe
def session(request, uid):
    one = public_session(uid)
    page = localized(one.page, CoursePage)

    def build(language):
        name, description = feeds.describe("session", page.title)
        return feeds.build_calendar(
            [one], name=name, description=description, language=language, request=request
        )

    return respond(request, f"session:{one.uid}", build, f"session-{one.uid}")


def participant_from_feed_token(token):
    if not token or len(token) > 64:
        raise Http404
    return get_object_or_404(Participant, feed_token=token)


@require_safe
def personal(request, token):
    participant = participant_from_feed_token(token)

    def build(language):
        name, description = feeds.describe("personal", participant)
        return feeds.build_personal_calendar(
            feeds.personal_signups(participant),
            name=name,
            description=description,
            language=language,
            request=request,
        )

    return respond(
        request, f"personal:{participant.pk}:{participant.feed_token}", build, "my-signups", True
    )


@require_POST
def new_personal_link(request, token):
    """Revoke the personal feed address and make a new one. Authorised by
    the signed "my sign-ups" link, like everything on that page."""
    participant_id = read_participant_token(token)
    participant = Participant.objects.filter(pk=participant_id).first() if participant_id else None
    if participant is None:
        return HttpResponseBadRequest(_("This link is not valid."))
    participant.rotate_feed_token()
    feeds.bump_personal_generation()
    return redirect(reverse("signups:mine", args=[token]) + "?feed=new#calendar-feed")

"""Template tags that advertise calendar feeds and "add to my calendar" links.

    {% load feed_tags %}
    {% block extra_head %}{% feed_links "course" page %}{% endblock %}
    {% feed_subscribe "course" page %}       {# webcal, Google, download #}
    {% add_to_calendar session page %}      {# one session: .ics, Google, Outlook #}
    {% personal_feed participant %}         {# "my sign-ups": secret feed + new link #}

Kinds: "academy" (no object), "course" and "partner" (a page), "topic" (a
Topic), "comune" (its key), "filter" (request.GET of the catalogue)."""

import datetime
from urllib.parse import quote_plus, urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from courses import feeds
from courses.signup_links import participant_token
from home.request_memo import remembered

register = template.Library()

GOOGLE_RENDER = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"


def feed_path(kind, obj=None):
    if kind == "academy":
        return reverse("feeds:academy")
    if kind in ("course", "partner"):
        return reverse(f"feeds:{kind}", args=[obj.pk])
    if kind == "topic":
        return reverse("feeds:topic", args=[obj.slug])
    if kind == "comune":
        return reverse("feeds:comune", args=[obj])
    if kind == "filter":
        params = [
            (name, value)
            for name in feeds.FeedFilterForm.PARAMS
            for value in (obj.getlist(name) if hasattr(obj, "getlist") else [obj.get(name)])
            if value
        ]
        path = reverse("feeds:filtered")
        return f"{path}?{urlencode(params)}" if params else path
    raise ValueError(kind)


def feed_name(kind, obj):
    if kind == "filter":
        return feeds.describe("filter")[0]
    return feeds.describe(kind, obj)[0]


def absolute(context, path):
    request = context.get("request")
    if request is not None:
        return request.build_absolute_uri(path)
    from django.conf import settings

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def subscribe_urls(url):
    """Links to the feed at `url` (its http(s) address). Google Calendar is
    given that address itself: it reads a webcal:// one as plain http://,
    which a site served over https only redirects (or refuses)."""
    webcal = "webcal://" + url.split("://", 1)[1]
    return {
        "download": url,
        "webcal": webcal,
        "google": f"{GOOGLE_RENDER}?{urlencode({'cid': url})}",
    }


@register.simple_tag(takes_context=True)
def feed_links(context, kind, obj=None):
    """<link rel="alternate" type="text/calendar"> for <head>."""
    url = absolute(context, feed_path(kind, obj))
    return format_html(
        '<link rel="alternate" type="text/calendar" title="{}" href="{}">',
        feed_name(kind, obj),
        url,
    )


@register.inclusion_tag("courses/feeds/subscribe.html", takes_context=True)
def feed_subscribe(context, kind, obj=None):
    url = absolute(context, feed_path(kind, obj))
    return {"links": subscribe_urls(url), "name": feed_name(kind, obj), "kind": kind}


@register.inclusion_tag("courses/feeds/add_to_calendar.html", takes_context=True)
def add_to_calendar(context, session, course=None):
    """One session into one's own calendar: .ics, Google, Outlook. What the
    sessions of a course share (its title and address, each venue's place)
    is worked out once per request: a course page shows a dozen dates."""
    page = course or session.page
    title, url = remembered(
        ("add_to_calendar", page.pk, page.title),
        lambda: (quote_plus(page.title), quote_plus(absolute(context, page.url or ""))),
    )
    location = ""
    if session.venue_id:
        venue = session.venue
        location = remembered(
            ("add_to_calendar:venue", venue.pk),
            lambda: quote_plus(f"{venue.name}, {venue.address}"),
        )
    start = session.start.astimezone(datetime.UTC)
    end = session.end.astimezone(datetime.UTC)
    # (as urlencode writes them, in the same order)
    google = (
        f"action=TEMPLATE&text={title}"
        f"&dates={start:%Y%m%dT%H%M%SZ}%2F{end:%Y%m%dT%H%M%SZ}"
        f"&details={url}&location={location}&ctz=Europe%2FRome"
    )
    outlook = (
        f"path=%2Fcalendar%2Faction%2Fcompose&rru=addevent&subject={title}"
        f"&startdt={start:%Y-%m-%dT%H%%3A%M%%3A%SZ}&enddt={end:%Y-%m-%dT%H%%3A%M%%3A%SZ}"
        f"&body={url}&location={location}"
    )
    return {
        "session": session,
        "title": page.title,
        "ics": absolute(context, reverse("feeds:session", args=[session.uid])),
        "google": f"{GOOGLE_RENDER}?{google}",
        "outlook": f"{OUTLOOK_COMPOSE}?{outlook}",
    }


@register.inclusion_tag("courses/feeds/personal.html", takes_context=True)
def personal_feed(context, participant):
    """The secret feed of one's sign-ups, with a button for a new address."""
    url = absolute(context, reverse("feeds:personal", args=[participant.feed_token]))
    request = context.get("request")
    return {
        "links": subscribe_urls(url),
        "rotate_url": reverse("feeds:new_personal_link", args=[participant_token(participant)]),
        "csrf_token": context.get("csrf_token"),
        "renewed": bool(request and request.GET.get("feed") == "new"),
        "label": _("Calendar of my sign-ups"),
    }

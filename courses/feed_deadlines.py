"""Deadlines in the calendar feeds: the closing moment of each challenge call
and the last moment to apply for each opportunity with a deadline.

They ride along with the sessions in the whole-Academy feed, the partner's
feed (its own challenges and opportunities) and the comune feed (those that
name the comune); not in a course's feed nor in the personal feed, which are
about sessions. Like sessions, they come from live, public Italian pages
(the deadline is synchronised into translations), stay `PAST_WINDOW` after
they pass, and take a constant number of queries: one per page type, which
reads the translations in the feed's language along.

Each deadline is one instant event built by `courses.ical.deadline_vevent`:
UID from the page's translation key (the same in both languages), SEQUENCE
from the page's stored counter of deadline changes."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wagtail.models import Locale, Page

from academy_site.date_articles import date_with_article
from home.fields import ChoiceListField
from home.request_memo import locales_by_code
from partners.choices import OpportunityKind
from partners.models import ChallengePage, OpportunityPage
from partners.opportunity_listing import with_partner_title

from . import ical

CHALLENGE = "challenge"
OPPORTUNITY = "opportunity"


@dataclass
class Deadlines:
    """The source (Italian) pages whose deadline a feed shows, and their
    live public translations in the feed's language by translation key."""

    challenges: list
    opportunities: list
    translations: dict


def select(*, partner=None, comune=None, since, language):
    """Live public Italian challenges and opportunities whose deadline is
    after `since`; of one partner (any language of its page) or naming one
    comune, if given; with their translations in `language`."""
    default_id = Locale.get_default().pk
    challenges = (
        ChallengePage.objects.live().public().filter(locale_id=default_id, closes_at__gte=since)
    )
    opportunities = (
        OpportunityPage.objects.live()
        .public()
        .filter(locale_id=default_id, ongoing=False, deadline__gte=since)
    )
    if partner is not None:
        key = partner.translation_key
        challenges, opportunities = (
            qs.annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen)).filter(
                Exists(Page.objects.filter(path=OuterRef("parent_path"), translation_key=key))
            )
            for qs in (challenges, opportunities)
        )
    if comune is not None:
        challenges = challenges.filter(**ChoiceListField.contains("comuni", comune))
        opportunities = opportunities.filter(comune=comune)
    locale = locales_by_code().get(language)  # (read once per request)
    if locale is not None and locale.pk != default_id:
        challenges, opportunities = (
            with_translations(sources, locale) for sources in (challenges, opportunities)
        )
    deadlines = Deadlines(challenges=[], opportunities=[], translations={})
    for found, pages in (
        (deadlines.challenges, challenges),
        (deadlines.opportunities, opportunities),
    ):
        for page in with_partner_title(pages).select_related("locale"):
            if page.locale_id == default_id:
                found.append(page)
            else:
                deadlines.translations[page.translation_key] = page
    return deadlines


def with_translations(sources, locale):
    """The pages of `sources` and their live public translations in
    `locale`, in one query."""
    model = sources.model
    translations = (
        model.objects.live()
        .public()
        .filter(locale=locale, translation_key__in=sources.values("translation_key"))
    )
    return model.objects.filter(
        Q(pk__in=sources.values("pk")) | Q(pk__in=translations.values("pk"))
    )


def closing_text(moment):
    local = timezone.localtime(moment, ical.TZ)
    return _("Closes on %(date)s at %(time)s (Italian time).") % {
        "date": date_with_article(date_format(local, "DATE_FORMAT"), "il"),
        "time": date_format(local, "TIME_FORMAT"),
    }


def deadline_events(deadlines, *, request=None, stamp=None):
    """The VEVENTs of `deadlines`, in their language where translated."""
    stamp = stamp or timezone.now()
    events = []
    for kind, sources in (
        (CHALLENGE, deadlines.challenges),
        (OPPORTUNITY, deadlines.opportunities),
    ):
        for source in sources:
            shown = deadlines.translations.get(source.translation_key, source)
            if kind == CHALLENGE:
                moment = source.closes_at
                title = _("Challenge deadline: %(title)s") % {"title": shown.title}
                category = _("Challenge call")
                lead = _("Proposed by %(partner)s.")
                summary = shown.summary
            else:
                moment = source.deadline
                title = _("Deadline: %(title)s") % {"title": shown.title}
                category = str(OpportunityKind(source.kind).label)
                lead = _("Offered by %(partner)s.")
                summary = shown.intro or shown.summary
            lines = [closing_text(moment)]
            if summary:
                lines.append(summary)
            partner_title = getattr(shown, "partner_title", "") or source.partner_title
            if partner_title:
                lines.append(lead % {"partner": partner_title})
            events.append(
                ical.deadline_vevent(
                    uid=ical.deadline_uid(kind, source.translation_key),
                    moment=moment,
                    sequence=source.deadline_sequence,
                    title=title,
                    url=shown.get_full_url(request),
                    description="\n\n".join(lines),
                    stamp=stamp,
                    created=source.first_published_at,
                    modified=source.last_published_at,
                    categories=[category],
                )
            )
    return events

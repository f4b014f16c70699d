"""What a course page shows, gathered in a fixed number of queries."""

from django.utils import timezone

from wagtail.models import Locale, Page

from partners.models import LabourNeed, PartnerPage

from .catalogue import localized_topics
from .choices import SessionStatus
from .structured_data import as_script, course_json_ld


def _localized(objects, model, locale):
    """`objects` in `locale` where a translation exists (one query)."""
    keys = [obj.translation_key for obj in objects if obj.locale_id != locale.pk]
    if not keys:
        return objects
    translated = model.objects.filter(translation_key__in=keys, locale=locale)
    if issubclass(model, Page):
        translated = translated.live().public()
    by_key = {obj.translation_key: obj for obj in translated}
    return [by_key.get(obj.translation_key, obj) for obj in objects]


def course_page_context(course, request):
    active = Locale.get_active()  # remembered for the request (home/request_memo.py)
    locale = active if active.pk == course.locale_id else course.locale
    default_id = Locale.get_default().pk
    now = timezone.now()
    sessions = list(course.get_sessions())
    source = course if course.is_source else course.source_page
    for session in sessions:
        session.page = source  # read by the sign-up form (signup_tags), loaded once
    partner = PartnerPage.objects.filter(path=course.path[: -Page.steplen]).first()
    topics_by_key = localized_topics(locale, default_id)
    topics = [topics_by_key.get(t.translation_key, t) for t in course.topics.all()]
    co_organisers = _localized(list(course.co_organisers.live().public()), PartnerPage, locale)
    labour_needs = _localized(list(course.labour_needs.all()), LabourNeed, locale)
    upcoming = [s for s in sessions if s.end >= now]
    past = [s for s in sessions if s.end < now]
    venues = {s.venue_id: s.venue for s in sessions if s.venue_id and s.venue.accessibility}
    return {
        "sessions": sessions,
        "upcoming_sessions": upcoming,
        "past_sessions": past,
        "open_sessions": [s for s in upcoming if s.status == SessionStatus.SCHEDULED],
        "partner": partner,
        "topics": topics,
        "co_organisers": co_organisers,
        "labour_needs": labour_needs,
        "venues_with_access_notes": list(venues.values()),
        "italian_only": course.locale_id != Locale.get_active().pk,
        "json_ld": as_script(course_json_ld(course, sessions, partner, request, topics)),
    }

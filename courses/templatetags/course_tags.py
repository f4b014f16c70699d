"""Template tags the courses app offers to other templates (the home page,
partner profiles), so that no other app needs to import it."""

from django import template
from django.utils import timezone

from wagtail.models import Locale

from ..catalogue import (
    annotate_dates,
    attach_cards,
    card_queryset,
    course_base_queryset,
    default_locale_id,
)
from ..choices import SessionStatus
from ..models import CourseIndexPage, CoursePage, CourseSession

register = template.Library()


@register.simple_tag
def course_card(course):
    """The card data of a course: attached by the catalogue, or gathered
    here for a course shown alone (e.g. on its partner's profile)."""
    card = getattr(course, "card", None)
    if card is None:
        attach_cards([course])
        card = course.card
    return card


@register.simple_tag(takes_context=True)
def course_catalogue(context):
    """The catalogue page in the visitor's language (or the Italian one)."""
    locale = Locale.get_active()
    pages = {
        page.locale_id: page
        for page in CourseIndexPage.objects.live()
        .public()
        .filter(locale_id__in={locale.pk, default_locale_id()})
    }
    return pages.get(locale.pk) or pages.get(default_locale_id())


@register.inclusion_tag("courses/includes/upcoming_sessions.html", takes_context=True)
def upcoming_sessions(context, limit=6):
    """The next sessions of any live course, shown with the course in the
    visitor's language when it has been translated."""
    locale = Locale.get_active()
    default_id = default_locale_id()
    live_italian = CoursePage.objects.live().public().filter(locale_id=default_id)
    sessions = list(
        CourseSession.objects.filter(page__in=live_italian.values("pk"), start__gte=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("venue", "page")
        .order_by("start")[:limit]
    )
    courses = {}
    if locale.pk != default_id:
        keys = {session.page.translation_key for session in sessions}
        courses = {
            page.translation_key: page
            for page in CoursePage.objects.live()
            .public()
            .filter(translation_key__in=keys, locale_id=locale.pk)
        }
    rows = [
        {
            "session": session,
            "course": courses.get(session.page.translation_key, session.page),
            "italian_only": session.page.translation_key not in courses and locale.pk != default_id,
        }
        for session in sessions
    ]
    return {
        "rows": rows,
        "catalogue": course_catalogue(context),
        "request": context.get("request"),
    }


@register.inclusion_tag("courses/includes/featured_courses.html", takes_context=True)
def featured_courses(context, limit=3):
    """The newest courses that still have dates ahead."""
    locale = Locale.get_active()
    default_id = default_locale_id()
    courses = annotate_dates(course_base_queryset(locale, default_id), default_id)
    courses = list(
        card_queryset(courses.filter(next_start__isnull=False)).order_by(
            "-first_published_at", "pk"
        )[:limit]
    )
    attach_cards(courses, locale, default_id)
    return {
        "courses": courses,
        "catalogue": course_catalogue(context),
        "request": context.get("request"),
    }

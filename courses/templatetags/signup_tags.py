from django import template

from home.cache import allow_cached_form

register = template.Library()


@register.inclusion_tag("courses/signup/_form.html", takes_context=True)
def signup_form(context, session):
    """The sign-up form of a session, for the course page:
    `{% load signup_tags %}{% signup_form session %}`. For a course signed up
    as a whole series, only the first session carries the form."""
    from courses import booking
    from courses.signup_views import new_form, signup_context

    request = context["request"]
    # Its only per-visitor values are the CSRF token and the start time,
    # both filled for each visitor: the page may be cached (home/cache.py).
    allow_cached_form(request)
    # On the course page: its sessions (with seats, in order) and the course
    # in the visitor's language are already loaded (courses/detail.py).
    known = context.get("sessions")
    if not known or session not in known:
        known = None
    course = context.get("page") if known else None
    anchor = booking.series_anchor(session, known)
    if anchor.pk != session.pk:
        return {"hidden": True}
    return signup_context(request, session, new_form(session), known, course)

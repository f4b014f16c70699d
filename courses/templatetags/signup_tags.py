import threading

from django import template
from django.utils.translation import get_language

from home.cache import allow_cached_form, is_rendering_for_cache

register = template.Library()

# The fields of empty sign-up forms rendered for the shared cache, by what
# they show (`signup_fields`); a process keeps the last MAX_FIELDS_KEPT.
_fields_kept = {}
MAX_FIELDS_KEPT = 64
_keeping = threading.Lock()


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
    # A course signed up for date by date shows a form for each date: the
    # first one's fields keep their plain ids, the others' name their date.
    shown = context.get("upcoming_sessions")
    auto_id = "id_%s" if not shown or shown[0].pk == session.pk else f"id_{session.pk}_%s"
    return signup_context(request, session, new_form(session, auto_id=auto_id), known, course)


@register.simple_tag(takes_context=True)
def signup_fields(context):
    """The fields of the sign-up form `form` (courses/signup/_fields.html).

    Rendered for the shared cache (home/cache.py), an empty form is the
    same HTML for every session of every course that asks the same
    questions, in the same language, with the same privacy notice and
    fields' ids: its per-visitor value (the time the form was shown) is a
    placeholder, filled for each visitor. That HTML is kept in the
    process, so the first render of a course page after a change does not
    render its fields' widgets again (about 2 ms at every change). A form
    with data or errors, or rendered for one visitor, is rendered as it
    is."""
    form = context["form"]
    fields = context.template.engine.get_template("courses/signup/_fields.html")
    if form.is_bound or not is_rendering_for_cache():
        return fields.render(context)
    language = get_language()
    key = (
        language,
        form.auto_id,
        context.get("privacy_url"),
        tuple(
            (question.pk, question.label_for(language), question.kind, question.required)
            for question in form.questions
        ),
    )
    html = _fields_kept.get(key)
    if html is None:
        html = fields.render(context)
        with _keeping:  # (threads of one process share what is kept)
            while len(_fields_kept) >= MAX_FIELDS_KEPT:
                _fields_kept.pop(next(iter(_fields_kept)))
            _fields_kept[key] = html
    return html

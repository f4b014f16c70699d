"""Telling people who asked for a course that one has appeared.

A citizen who asked for a course ("ask for a course") and left an e-mail
with consent is written to once, in their language, when a course on the
topic they asked for is published with a date they can reach: a session in
their comune, or online. The e-mail is then erased (it was kept for this
alone); the wish, topic and comune stay for the statistics."""

from django_tasks import task

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import CourseRequest


def _reachable_comuni(course):
    """Comuni of the course's upcoming sessions; None means anywhere (online)."""
    from courses.choices import Format, SessionStatus
    from courses.models import CourseSession

    sessions = CourseSession.objects.filter(
        page=course, end__gte=timezone.now(), status=SessionStatus.SCHEDULED
    ).values_list("format", "venue__comune")
    comuni = set()
    for session_format, comune in sessions:
        if session_format in (Format.ONLINE, Format.BLENDED):
            return None
        if comune:
            comuni.add(comune)
    return comuni


def waiting_requests(course):
    """Requests with an e-mail, not yet told, that `course` answers."""
    topic_keys = list(course.topics.values_list("translation_key", flat=True))
    if not topic_keys:
        return CourseRequest.objects.none()
    comuni = _reachable_comuni(course)
    requests = CourseRequest.objects.filter(
        topic__translation_key__in=topic_keys,
        consent_at__isnull=False,
        anonymised_at__isnull=True,
        notified_at__isnull=True,
    ).exclude(email="")
    if comuni is not None:
        if not comuni:
            return CourseRequest.objects.none()
        requests = requests.filter(comune__in=comuni)
    return requests


def notify_requesters(course):
    """Queue one e-mail per waiting request that `course` (an Italian,
    live course page) answers. Returns how many were queued."""
    pks = list(waiting_requests(course).values_list("pk", flat=True))
    for pk in pks:
        send_course_available.enqueue(pk, course.pk)
    return len(pks)


@task()
def send_course_available(request_pk, course_pk):
    """Write to the person, once, if the course still answers the request.

    The task may run long after it was queued, and two publications of
    courses on the topic queue two tasks for one request, which two workers
    may run at the same time. So the course and the request are read now
    (the course may have been unpublished, its sessions changed, the
    request told or erased), and the request's row stays locked from that
    check until it is marked as told: the second task waits, then finds it
    told and sends nothing. If the e-mail fails, nothing is marked and the
    request keeps waiting."""
    from courses.emails import course_url, localized_course
    from courses.models import CoursePage

    course = CoursePage.objects.live().public().filter(pk=course_pk).first()
    if course is None:
        return
    with transaction.atomic():
        request = (
            waiting_requests(course).select_for_update(of=("self",)).filter(pk=request_pk).first()
        )
        if request is None:
            return
        with translation.override(request.language):
            shown = localized_course(course, request.language)
            context = {"request": request, "course": shown, "course_url": course_url(shown)}
            message = EmailMessage(
                subject=_("A course you asked for: %(course)s") % {"course": shown.title},
                body=render_to_string("search/emails/course_available.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[request.email],
            )
        message.send()
        now = timezone.now()
        # update(): no post_save, so the whole-site page cache stays (search.models).
        CourseRequest.objects.filter(pk=request.pk).update(
            notified_at=now,
            notified_course=course,
            email="",
            consent_at=None,
            anonymised_at=now,
        )

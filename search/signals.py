"""Receivers: retention of course requests, telling people who asked for
a course when one is published, and the search index of a
course's translations when its Italian page (which holds the sessions,
hence the comuni and times the index knows) is published."""

from django.dispatch import receiver

from wagtail.search import index
from wagtail.signals import page_published

from . import demand


def purge_course_requests(sender, now=None, **kwargs):
    return f"Course requests: e-mail erased from {demand.purge_personal_data(now)}."


@receiver(page_published)
def tell_people_who_asked(sender, instance, **kwargs):
    """A published Italian course (it holds the sessions) may answer
    someone's request for a course: tell them (search.notify)."""
    from courses.models import CoursePage

    from .notify import notify_requesters

    if isinstance(instance, CoursePage) and instance.is_source:
        notify_requesters(instance)


@receiver(page_published)
def reindex_course_translations(sender, instance, **kwargs):
    from courses.models import CoursePage

    if not isinstance(instance, CoursePage) or not instance.is_source:
        return
    for translation in (
        CoursePage.objects.live()
        .filter(translation_key=instance.translation_key)
        .exclude(pk=instance.pk)
    ):
        index.insert_or_update_object(translation)

"""Invalidate cached calendar feeds when anything they show may change."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .feeds import bump_generation, bump_personal_generation
from .models import CoursePage, CourseSession, Participant, Signup, Topic, Venue


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_changed(sender, **kwargs):
    bump_generation()


@receiver(post_delete)
def _page_deleted(sender, **kwargs):
    if isinstance(kwargs.get("instance"), Page):
        bump_generation()


for _model, _bump in (
    (CourseSession, bump_generation),
    (Venue, bump_generation),
    (Topic, bump_generation),
    (PageViewRestriction, bump_generation),
    (Signup, bump_personal_generation),
    (Participant, bump_personal_generation),
):
    post_save.connect(_bump, sender=_model, dispatch_uid=f"feeds-save-{_model.__name__}")
    post_delete.connect(_bump, sender=_model, dispatch_uid=f"feeds-delete-{_model.__name__}")

m2m_changed.connect(
    bump_generation, sender=CoursePage.topics.through, dispatch_uid="feeds-course-topics"
)

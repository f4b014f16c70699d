"""Invalidate cached calendar feeds when anything they show may change."""

import contextvars

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .feeds import bump_generation, bump_personal_generation
from .models import CoursePage, CourseSession, Participant, Signup, Topic, Venue

# The bumps asked for inside `bumps_held_back`, made once when it ends.
_held = contextvars.ContextVar("feed_bumps_held", default=None)


class bumps_held_back:
    """Context manager for bulk changes (the demo loader): every feed
    generation the changes inside it would bump is bumped once, at the end."""

    def __enter__(self):
        self._token = _held.set(set())

    def __exit__(self, *exc):
        pending = _held.get()
        _held.reset(self._token)
        for bump in (bump_generation, bump_personal_generation):
            if bump in pending:
                _bump(bump)


def _bump(bump):
    pending = _held.get()
    if pending is None:
        bump()
    else:
        pending.add(bump)


def _public_changed(**kwargs):
    _bump(bump_generation)


def _personal_changed(**kwargs):
    _bump(bump_personal_generation)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_changed(sender, **kwargs):
    _bump(bump_generation)


@receiver(post_delete)
def _page_deleted(sender, **kwargs):
    if isinstance(kwargs.get("instance"), Page):
        _bump(bump_generation)


for _model, _changed in (
    (CourseSession, _public_changed),
    (Venue, _public_changed),
    (Topic, _public_changed),
    (PageViewRestriction, _public_changed),
    (Signup, _personal_changed),
    (Participant, _personal_changed),
):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"feeds-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"feeds-delete-{_model.__name__}")

m2m_changed.connect(
    _public_changed, sender=CoursePage.topics.through, dispatch_uid="feeds-course-topics"
)

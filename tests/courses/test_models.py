"""The page tree, session rules and the calendar identity of sessions."""

import datetime

import pytest

from django.core.exceptions import ValidationError

from wagtail.test.utils import WagtailPageTestCase

from courses.choices import Format, SessionStatus
from courses.models import CourseIndexPage, CoursePage, CourseSession
from home.models import HomePage
from partners.models import PartnerPage

from .factories import (
    CoursePageFactory,
    CourseSessionFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    VenueFactory,
)


class TestCourseTree(WagtailPageTestCase):
    def test_courses_live_in_a_partner_section_and_the_catalogue_under_home(self):
        self.assertAllowedParentPageTypes(CoursePage, {PartnerPage})
        self.assertAllowedSubpageTypes(CoursePage, set())
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertCanCreateAt(PartnerPage, CoursePage)
        self.assertCanCreateAt(HomePage, CourseIndexPage)


@pytest.fixture
def course(home):
    directory = PartnerIndexPageFactory(parent=home)
    partner = PartnerPageFactory(parent=directory)
    return CoursePageFactory(parent=partner)


def publish_with_session_changes(course, **changes):
    """What the editor does: change the (only) session row, then publish."""
    page = CoursePage.objects.get(pk=course.pk)
    rows = list(page.sessions.all())
    for name, value in changes.items():
        setattr(rows[0], name, value(getattr(rows[0], name)) if callable(value) else value)
    page.sessions = rows
    revision = page.save_revision()
    revision.publish()
    return revision


@pytest.mark.django_db
def test_in_person_and_blended_sessions_need_a_venue(course):
    session = CourseSessionFactory.build(page=course, venue=None, format=Format.IN_PERSON)
    with pytest.raises(ValidationError) as error:
        session.clean()
    assert "venue" in error.value.message_dict
    session.format = Format.BLENDED
    session.online_notes = "Link via e-mail"
    with pytest.raises(ValidationError):
        session.clean()
    session.format = Format.ONLINE
    session.clean()


@pytest.mark.django_db
def test_session_must_end_after_it_starts(course):
    session = CourseSessionFactory.build(page=course)
    session.end = session.start - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        session.clean()
    assert "end" in error.value.message_dict


@pytest.mark.django_db
def test_sequence_grows_on_calendar_changes_and_never_goes_back(course):
    CourseSessionFactory(page=course)
    revision_1 = course.save_revision()
    revision_1.publish()
    session = CourseSession.objects.get(page=course)
    uid = session.uid
    assert session.sequence == 0

    # A change of note only: same calendar event, same sequence.
    publish_with_session_changes(course, note="Portare una chiavetta USB")
    session.refresh_from_db()
    assert (session.sequence, session.note) == (0, "Portare una chiavetta USB")

    # Moving the session bumps the sequence.
    hour = datetime.timedelta(hours=1)
    publish_with_session_changes(course, start=lambda v: v + hour, end=lambda v: v + hour)
    session.refresh_from_db()
    assert session.sequence == 1

    # Another venue, then a cancellation: each is a new version.
    publish_with_session_changes(course, venue=VenueFactory())
    publish_with_session_changes(course, status=SessionStatus.CANCELLED)
    session.refresh_from_db()
    assert session.sequence == 3

    # Publishing the first revision again restores the old values: calendars
    # must see a newer version, with the same UID.
    revision_1.publish()
    session.refresh_from_db()
    assert session.sequence == 4
    assert session.uid == uid
    assert session.status == SessionStatus.SCHEDULED


@pytest.mark.django_db
def test_a_draft_does_not_touch_the_published_session(course):
    CourseSessionFactory(page=course)
    course.save_revision().publish()
    before = CourseSession.objects.get(page=course)
    page = CoursePage.objects.get(pk=course.pk)
    rows = list(page.sessions.all())
    rows[0].start += datetime.timedelta(days=1)
    page.sessions = rows
    page.save_revision()
    after = CourseSession.objects.get(page=course)
    assert (after.sequence, after.start) == (0, before.start)


@pytest.mark.django_db
def test_translation_copies_no_sessions_and_shows_the_italian_ones(course, english, home_en):
    CourseSessionFactory(page=course)
    course.save_revision().publish()
    partner = course.get_parent()
    partner.get_parent().copy_for_translation(english)
    partner.copy_for_translation(english)
    translation = course.copy_for_translation(english)
    assert not CourseSession.objects.filter(page=translation).exists()
    assert [s.pk for s in translation.get_sessions()] == [s.pk for s in course.get_sessions()]

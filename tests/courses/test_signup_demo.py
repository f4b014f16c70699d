import pytest

from django.utils import timezone

from courses import demo_signups
from courses.demo import COURSES, _sessions
from courses.models import Signup, SignupStatus
from home.demo import DemoContext

from .signup_factories import make_course, make_partner

pytestmark = pytest.mark.django_db


def test_demo_signups_fill_some_sessions_and_are_idempotent(home):
    context = DemoContext()
    demo_signups.load(context)  # no sessions yet: nothing to do
    assert not Signup.objects.exists()
    partner = make_partner(home)
    _course, sessions = make_course(partner, capacity=4, sessions=1)
    make_course(partner, capacity=6, sessions=1)
    demo_signups.load(context)
    full = sessions[0]
    assert full.signups.filter(status__in=["reserved", "confirmed"]).count() == 4
    assert full.signups.filter(status=SignupStatus.WAITLISTED).count() == 3
    count = Signup.objects.count()
    demo_signups.load(context)
    assert Signup.objects.count() == count
    assert all(s.session.start > timezone.now() for s in Signup.objects.all())


def test_demo_sessions_keep_their_date_order_in_the_editor():
    """The demo's sessions had no order: after a partner saved a course,
    the rows left untouched came first, out of date order. (Built without
    the database: the whole demo takes a minute.)"""
    today = timezone.localdate()
    for row in COURSES:
        sessions = _sessions(row, {}, today, row[1])
        assert [session.sort_order for session in sessions] == list(range(len(sessions)))
        assert sessions == sorted(sessions, key=lambda session: session.start)

import pytest

from django.utils import timezone

from courses import demo_signups
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


def test_demo_sessions_keep_their_date_order_in_the_editor(demo_site):
    """The demo's sessions had no order: after a partner saved a course,
    the rows left untouched came first, out of date order."""
    from courses.models import CourseSession

    for page_id in CourseSession.objects.values_list("page_id", flat=True).distinct():
        sessions = CourseSession.objects.filter(page_id=page_id)
        by_order = list(sessions.order_by("sort_order").values_list("pk", flat=True))
        by_date = list(sessions.order_by("start").values_list("pk", flat=True))
        assert None not in sessions.values_list("sort_order", flat=True)
        assert by_order == by_date

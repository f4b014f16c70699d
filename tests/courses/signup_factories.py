"""A course world for sign-up tests: partners with their editors' groups,
courses with sessions, and helpers to fill the public form."""

import datetime
import time

import factory

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from wagtail.models import GroupPagePermission

from courses import booking
from courses.choices import SignupMode
from courses.models import Participant, Signup, SignupStatus
from courses.models.bookings import SignupQuestion
from courses.signup_forms import started_token
from partners.models import PartnerIndexPage

from .factories import (
    CoursePageFactory,
    CourseSessionFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)

STAFF_GROUP = "Academy staff"


def partner_index(home):
    existing = PartnerIndexPage.objects.child_of(home).first()
    return existing or PartnerIndexPageFactory(parent=home)


def make_partner(home, name="Cooperativa Alfa"):
    group = Group.objects.create(name=f"Editors {name}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    partner = PartnerPageFactory(parent=partner_index(home), title=name, group=group)
    GroupPagePermission.objects.create(group=group, page=partner, permission_type="change")
    return partner


def make_course(partner, *, capacity=3, signup_mode=SignupMode.PER_SESSION, sessions=1, **kw):
    course = CoursePageFactory(parent=partner, signup_mode=signup_mode, **kw)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    made = [
        CourseSessionFactory(
            page=course,
            capacity=capacity,
            start=start + datetime.timedelta(days=i),
            end=start + datetime.timedelta(days=i, hours=3),
        )
        for i in range(sessions)
    ]
    return course, made


def add_question(course, label="Ti serve il servizio di baby-sitting?", **kw):
    return SignupQuestion.objects.create(
        page=course, label=label, label_en=kw.pop("label_en", "Do you need childcare?"), **kw
    )


def form_data(**overrides):
    data = {
        "first_name": "Maria",
        "last_name": "Rossi",
        "email": "maria.rossi@example.org",
        "phone": "",
        "comune": "pioltello",
        "privacy": "on",
        "website": "",
        "started": started_token(time.time() - 30),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def press_the_button(client, url):
    """Follow a link from an e-mail as a person does: open its page, which
    changes nothing, and press the page's one button (a POST)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    assert '<form method="post">' in page.content.decode()
    return client.post(url)


def remind_before(session, committed=None):
    """Run the reminders as the cron job would 20 hours before `session`
    (the dates are a day apart: only that one is due); with `committed`
    (the fixture), the e-mails go to the outbox."""
    now = session.start - datetime.timedelta(hours=20)
    within = datetime.timedelta(hours=24)
    if committed is None:
        return booking.send_reminders(within=within, now=now)
    return committed(booking.send_reminders, within=within, now=now)


class ParticipantFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"persona{n}@example.org")

    class Meta:
        model = Participant


class SignupFactory(factory.django.DjangoModelFactory):
    """A sign-up written straight to the database (for admin and command
    tests); the public flows go through HTTP instead."""

    participant = factory.SubFactory(ParticipantFactory)
    status = SignupStatus.CONFIRMED
    first_name = factory.Sequence(lambda n: f"Nome{n}")
    last_name = "Bianchi"
    email = factory.LazyAttribute(lambda o: o.participant.email if o.participant else "")
    comune = "segrate"
    privacy_consent_at = factory.LazyFunction(timezone.now)
    email_confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Signup

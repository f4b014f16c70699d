"""A small course world built with factories: two partners of different
types, three courses to come, one past, one draft and one private."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from django.test import Client
from django.utils import timezone

from wagtail.models import PageViewRestriction

from courses.choices import Format
from home.choices import Comune, ProjectArea
from partners.choices import PartnerType

from .factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    CourseSessionFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    TopicFactory,
    VenueFactory,
)


def local(day, hour=0, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def publish(page):
    page.save_revision().publish()
    return page


@dataclass
class World:
    catalogue: object
    coop: object
    artisan: object
    sartoria: object
    excel: object
    saldatura: object
    past: object
    draft: object
    private: object
    topic_sartoria: object
    topic_digitale: object


@pytest.fixture
def world(home):
    today = timezone.localdate()
    catalogue = CourseIndexPageFactory(parent=home)
    directory = PartnerIndexPageFactory(parent=home)
    coop = PartnerPageFactory(
        parent=directory,
        title="Cooperativa Uno",
        slug="coop-uno",
        partner_type=PartnerType.THIRD_SECTOR,
    )
    artisan = PartnerPageFactory(
        parent=directory, title="Bottega Due", slug="bottega-due", partner_type=PartnerType.ARTISAN
    )
    topic_sartoria = TopicFactory(name="Sartoria", slug="sartoria")
    topic_digitale = TopicFactory(name="Digitale", slug="digitale")
    pioltello = VenueFactory(name="Sala Pioltello", comune=Comune.PIOLTELLO)
    rodano = VenueFactory(name="Sala Rodano", comune=Comune.RODANO)

    sartoria = CoursePageFactory(
        parent=coop,
        title="Sartoria per ricominciare",
        slug="sartoria",
        audiences=["women_returning"],
        area=ProjectArea.WORK_DESIGN,
    )
    sartoria.topics = [topic_sartoria]
    # Started at midnight and still going: "the next 7 days" and "this month".
    # It lasts all day; in the day's last hour it runs on past midnight, or a
    # run just before midnight would find it over (CI, 23:58 in Rome), and a
    # run just after would find it still to come.
    CourseSessionFactory(
        page=sartoria,
        start=local(today),
        end=max(local(today, 23, 58), timezone.now() + datetime.timedelta(hours=1)),
        venue=pioltello,
    )
    CourseSessionFactory(page=sartoria, start=local(today + datetime.timedelta(days=20), 9))
    publish(sartoria)

    excel = CoursePageFactory(
        parent=artisan,
        title="Excel per il lavoro",
        slug="excel",
        audiences=["everyone"],
        languages=["it", "en"],
        area=ProjectArea.ENTERPRISE_LABS,
        is_free=False,
        price=Decimal("50.00"),
    )
    excel.topics = [topic_digitale]
    CourseSessionFactory(
        page=excel,
        start=local(today + datetime.timedelta(days=40), 18),
        format=Format.ONLINE,
        venue=None,
        online_notes="Link via e-mail",
    )
    publish(excel)

    saldatura = CoursePageFactory(
        parent=artisan,
        title="Saldatura a filo",
        slug="saldatura",
        audiences=["unemployed"],
        intro="Impara a saldare in officina.",
    )
    saldatura.co_organisers = [coop]
    CourseSessionFactory(
        page=saldatura,
        start=local(today + datetime.timedelta(days=35), 8),
        format=Format.BLENDED,
        venue=rodano,
        online_notes="Teoria online",
    )
    publish(saldatura)

    past = CoursePageFactory(parent=coop, title="Corso passato", slug="passato")
    CourseSessionFactory(page=past, start=local(today - datetime.timedelta(days=30), 9))
    publish(past)

    draft = CoursePageFactory(parent=coop, title="Bozza", slug="bozza", live=False)
    CourseSessionFactory(page=draft)
    draft.save_revision()

    private = CoursePageFactory(parent=coop, title="Riservato", slug="riservato")
    CourseSessionFactory(page=private)
    publish(private)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    return World(
        catalogue=catalogue,
        coop=coop,
        artisan=artisan,
        sartoria=sartoria,
        excel=excel,
        saldatura=saldatura,
        past=past,
        draft=draft,
        private=private,
        topic_sartoria=topic_sartoria,
        topic_digitale=topic_digitale,
    )


class CommittingClient(Client):
    """A test client whose requests end as they do in production: what a
    request queued for after its commit (sign-up e-mails) runs before the
    response is returned. (The test's own transaction never commits.)"""

    def __init__(self, capture_on_commit, **defaults):
        super().__init__(**defaults)
        self._capture_on_commit = capture_on_commit

    def request(self, **request):
        with self._capture_on_commit(execute=True):
            return super().request(**request)


@pytest.fixture
def committing_client(django_capture_on_commit_callbacks):
    return CommittingClient(django_capture_on_commit_callbacks)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`committed(function, *args, **kwargs)`: call it as if its transaction
    committed, running what it queued for after the commit."""

    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call

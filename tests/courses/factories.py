"""Factories for partners' sections, courses, sessions, topics and venues."""

import datetime

import factory
import wagtail_factories

from django.utils import timezone

from courses.choices import Format, SessionStatus
from courses.models import CourseIndexPage, CoursePage, CourseSession, Topic, Venue
from home.choices import Comune
from partners.choices import PartnerType
from partners.models import PartnerIndexPage, PartnerPage


class PartnerIndexPageFactory(wagtail_factories.PageFactory):
    title = "Rete"
    slug = "rete"

    class Meta:
        model = PartnerIndexPage


class PartnerPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Cooperativa {n}")
    partner_type = PartnerType.THIRD_SECTOR
    short_description = "Una cooperativa del territorio."
    comuni = ["pioltello"]

    class Meta:
        model = PartnerPage


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    title = "Corsi"
    slug = "corsi"
    intro = "Tutti i corsi dell'Accademia."

    class Meta:
        model = CourseIndexPage


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Argomento {n}")
    slug = factory.Sequence(lambda n: f"argomento-{n}")

    class Meta:
        model = Topic


class VenueFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Sala civica {n}")
    address = "Via Roma 1, 20096 Pioltello"
    comune = Comune.PIOLTELLO

    class Meta:
        model = Venue


class CoursePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Corso {n}")
    intro = "Un corso pratico per tornare al lavoro."
    audiences = ["unemployed"]
    languages = ["it"]

    class Meta:
        model = CoursePage


class CourseSessionFactory(factory.django.DjangoModelFactory):
    page = None
    start = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    )
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=3))
    format = Format.IN_PERSON
    venue = factory.SubFactory(VenueFactory)
    capacity = 12
    status = SessionStatus.SCHEDULED

    class Meta:
        model = CourseSession

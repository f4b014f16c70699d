"""Factories for opportunities and their enquiries."""

import datetime

import factory
import wagtail_factories

from django.utils import timezone

from partners.choices import ApplyMethod, Audience, OpportunityKind
from partners.models import Enquiry, OpportunityIndexPage, OpportunityPage


class OpportunityIndexPageFactory(wagtail_factories.PageFactory):
    title = "Opportunità"
    slug = "opportunita"

    class Meta:
        model = OpportunityIndexPage


class OpportunityPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Opportunità {n:03d}")
    kind = OpportunityKind.INTERNSHIP
    intro = "Un'opportunità del territorio."
    audiences = factory.LazyFunction(lambda: [Audience.UNEMPLOYED])
    comune = "segrate"
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    ongoing = False
    apply_method = ApplyMethod.FORM

    class Meta:
        model = OpportunityPage


class EnquiryFactory(factory.django.DjangoModelFactory):
    opportunity_title = "Tirocinio"
    name = "Maria Rossi"
    email = factory.Sequence(lambda n: f"maria{n}@example.org")
    message = "Vorrei partecipare al tirocinio."
    language = "it"

    class Meta:
        model = Enquiry

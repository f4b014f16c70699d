"""Factories for the partners app: pages, and partners onboarded for real."""

import datetime
import itertools

import factory
import wagtail_factories

from partners.choices import NeedSource, PartnerType, Sector
from partners.models import LabourNeed, ObservatoryPage, PartnerIndexPage, PartnerPage
from partners.onboarding import invite_partner

_numbers = itertools.count(1)


class PartnerIndexPageFactory(wagtail_factories.PageFactory):
    title = "La rete"
    slug = "rete"

    class Meta:
        model = PartnerIndexPage


class PartnerPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Partner {n:03d}")
    partner_type = PartnerType.ARTISAN
    short_description = "Una bottega del territorio."
    comuni = factory.LazyFunction(lambda: ["pioltello"])
    sectors = factory.LazyFunction(lambda: [Sector.CRAFTS])

    class Meta:
        model = PartnerPage


class ObservatoryPageFactory(wagtail_factories.PageFactory):
    title = "Osservatorio di Segrate"
    comune = "segrate"

    class Meta:
        model = ObservatoryPage


class LabourNeedFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Bisogno {n}")
    comune = "segrate"
    sector = Sector.LOGISTICS
    expressed_by = NeedSource.COMPANIES
    noted_on = datetime.date(2026, 10, 1)

    class Meta:
        model = LabourNeed


def onboard(name=None, partner_type=PartnerType.ARTISAN, **fields):
    """A partner invited through onboarding and published, with its user."""
    number = next(_numbers)
    name = name or f"Bottega {number}"
    invitation = invite_partner(
        f"persona{number}@example.org",
        name=name,
        partner_type=partner_type,
        comuni=fields.pop("comuni", ["pioltello"]),
        sectors=fields.pop("sectors", [Sector.CRAFTS]),
        send_email=False,
    )
    partner = invitation.partner
    for key, value in fields.items():
        setattr(partner, key, value)
    partner.save_revision().publish()
    partner.refresh_from_db()
    return partner, invitation.user


def choose_password(client, link_path, password):
    """Follow an invitation's set-password link and choose `password`; the
    response to the form."""
    response = client.get(link_path, follow=True)
    form_url = response.redirect_chain[-1][0]
    return client.post(form_url, {"new_password1": password, "new_password2": password})

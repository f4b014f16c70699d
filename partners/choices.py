from django.db import models
from django.utils.translation import gettext_lazy as _

from home.choices import Comune


class PartnerType(models.TextChoices):
    THIRD_SECTOR = "third_sector", _("Third sector (cooperative, association, volunteers)")
    ARTISAN = "artisan", _("Artisan")
    TRADE_ASSOCIATION = "trade_association", _("Trade association")
    COMPANY = "company", _("Company (large or SME)")
    TRAINING_BODY = "training_body", _("Training or job-matching body")
    PUBLIC_SERVICE = "public_service", _("Public service")


DISTRICT = "district"
OPERATING_AREAS = [*Comune.choices, (DISTRICT, _("Whole district"))]


class Sector(models.TextChoices):
    TAILORING = "tailoring", _("Tailoring and textiles")
    MECHANICS = "mechanics", _("Mechanics and welding")
    FOOD = "food", _("Food and hospitality")
    DIGITAL = "digital", _("Digital and office skills")
    CARE = "care", _("Care and social services")
    CONSTRUCTION = "construction", _("Construction and maintenance")
    LOGISTICS = "logistics", _("Logistics and warehousing")
    RETAIL = "retail", _("Retail and customer service")
    CRAFTS = "crafts", _("Crafts and repair")
    GREEN = "green", _("Green economy and agriculture")
    LANGUAGES = "languages", _("Languages and citizenship")
    ENTERPRISE = "enterprise", _("Enterprise and self-employment")


class NeedSource(models.TextChoices):
    WORKERS = "workers", _("Workers and job seekers")
    COMPANIES = "companies", _("Companies")
    SERVICES = "services", _("Public and social services")

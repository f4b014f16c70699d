"""Fixed lists of the partners app: partners, sectors, audiences,
opportunities, challenge calls and their applications."""

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


class Audience(models.TextChoices):
    """Who a course or an opportunity is for (one list for both, so the
    catalogue's and the opportunity index's filters agree)."""

    UNEMPLOYED = "unemployed", _("Unemployed people")
    WOMEN_RETURNING = "women_returning", _("Women returning to work")
    NEET = "neet", _("Young people not in work or study (NEET)")
    OVER_50 = "over_50", _("People over 50")
    FOREIGNERS = "foreigners", _("Foreign residents")
    EVERYONE = "everyone", _("Everyone")


class OpportunityKind(models.TextChoices):
    FUNDING = "funding", _("Funding or micro-grant")
    INTERNSHIP = "internship", _("Internship (tirocinio)")
    JOB = "job", _("Job opening")
    MENTORING = "mentoring", _("Mentoring")
    SERVICE = "service", _("Free service")
    CALL = "call", _("Call from a public body")


class ApplyMethod(models.TextChoices):
    LINK = "link", _("A link to a web page or online form")
    EMAIL = "email", _("An e-mail to an address you give")
    FORM = "form", _("The portal's contact form (messages reach your contact e-mail)")


# --- Challenge calls and their applications ---------------------------------


class Offer(models.TextChoices):
    MENTORING = "mentoring", _("Mentoring")
    PRIZE = "prize", _("Prize money")
    PAID_PILOT = "paid_pilot", _("Paid pilot")
    SPACE = "space", _("Space")
    MATERIALS = "materials", _("Materials and equipment")


class Eligibility(models.TextChoices):
    INDIVIDUAL = "individual", _("Individuals")
    TEAM = "team", _("Teams")
    NEW_BUSINESS = "new_business", _("New businesses")


class ApplicantType(models.TextChoices):
    """Who one application comes from: `Eligibility`'s values (who may
    apply to a call), named in the singular."""

    INDIVIDUAL = Eligibility.INDIVIDUAL.value, _("One person")
    TEAM = Eligibility.TEAM.value, _("A team")
    NEW_BUSINESS = Eligibility.NEW_BUSINESS.value, _("A new business")


class CallState(models.TextChoices):
    OPEN = "open", _("Open")
    UPCOMING = "upcoming", _("Opening soon")
    CLOSED = "closed", _("Closed")


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


# What reviewers may set; "withdrawn" only the applicant can.
REVIEW_STATUSES = [
    (value, label)
    for value, label in ApplicationStatus.choices
    if value != ApplicationStatus.WITHDRAWN
]

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    MONTHLY = "monthly", _("Monthly")


class DonorType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COMPANY = "company", _("Company")
    ORGANISATION = "organisation", _("Organisation or association")


class DonationStatus(models.TextChoices):
    """Derived from the facts recorded from Stripe's events (see
    `Donation.refresh_status`), so the order in which events arrive never
    matters."""

    STARTED = "started", _("Checkout opened")
    PENDING = "pending", _("Awaiting confirmation of the payment")
    PAID = "paid", _("Paid")
    ACTIVE = "active", _("Monthly gift active")
    CANCELLED = "cancelled", _("Monthly gift ended")
    FAILED = "failed", _("Payment failed")
    EXPIRED = "expired", _("Checkout abandoned")
    REFUNDED = "refunded", _("Refunded")

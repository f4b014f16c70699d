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
    CHARGED_BACK = "charged_back", _("Disputed by the donor's bank and lost")


class DisputeStatus(models.TextChoices):
    """Stripe's statuses of a dispute: a chargeback, or an inquiry that may
    become one (`warning_`)."""

    WARNING_NEEDS_RESPONSE = "warning_needs_response", _("Inquiry: needs a response")
    WARNING_UNDER_REVIEW = "warning_under_review", _("Inquiry: under review")
    WARNING_CLOSED = "warning_closed", _("Inquiry closed")
    NEEDS_RESPONSE = "needs_response", _("Disputed: needs a response")
    UNDER_REVIEW = "under_review", _("Disputed: under review")
    PREVENTED = "prevented", _("Dispute prevented")
    WON = "won", _("Dispute won")
    LOST = "lost", _("Dispute lost")
    APPEAL_NEEDS_RESPONSE = "appeal_needs_response", _("Dispute lost, appeal needs a response")
    APPEAL_UNDER_REVIEW = "appeal_under_review", _("Dispute lost, appeal under review")

    @classmethod
    def money_taken_back(cls):
        """Lost (and, while an appeal runs, still lost): the bank took the
        money back from the fund."""
        return {cls.LOST, cls.APPEAL_NEEDS_RESPONSE, cls.APPEAL_UNDER_REVIEW}

    @classmethod
    def open(cls):
        """Still waiting for the organisation's answer or the bank's decision."""
        return {
            cls.WARNING_NEEDS_RESPONSE,
            cls.WARNING_UNDER_REVIEW,
            cls.NEEDS_RESPONSE,
            cls.UNDER_REVIEW,
            cls.APPEAL_NEEDS_RESPONSE,
            cls.APPEAL_UNDER_REVIEW,
        }

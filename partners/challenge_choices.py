"""Choices of the challenge calls and their applications."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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

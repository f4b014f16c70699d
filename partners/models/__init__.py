"""The partners app's models, one module per concept."""

from .challenges import (
    ApplicationAttachment,
    ChallengeApplication,
    ChallengeCourse,
    ChallengeIndexPage,
    ChallengePage,
    ChallengeQuestion,
)
from .invitations import InvitationEmail
from .network import PartnerIndexPage, PartnerPage
from .observatories import LabourNeed, ObservatoryPage
from .opportunities import Enquiry, OpportunityIndexPage, OpportunityPage, OpportunityRelatedPage  # noqa: F401

__all__ = [
    "ApplicationAttachment",
    "ChallengeApplication",
    "ChallengeCourse",
    "ChallengeIndexPage",
    "ChallengePage",
    "ChallengeQuestion",
    "InvitationEmail",
    "LabourNeed",
    "ObservatoryPage",
    "PartnerIndexPage",
    "PartnerPage",
]

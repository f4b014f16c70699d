"""The partners app's models, one module per concept."""

from .network import PartnerIndexPage, PartnerPage
from .observatories import LabourNeed, ObservatoryPage
from .opportunities import Enquiry, OpportunityIndexPage, OpportunityPage, OpportunityRelatedPage  # noqa: F401

__all__ = ["LabourNeed", "ObservatoryPage", "PartnerIndexPage", "PartnerPage"]

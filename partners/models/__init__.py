"""The partners app's models, one module per concept."""

from .network import PartnerIndexPage, PartnerPage
from .observatories import LabourNeed, ObservatoryPage

__all__ = ["LabourNeed", "ObservatoryPage", "PartnerIndexPage", "PartnerPage"]

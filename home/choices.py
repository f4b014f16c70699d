from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectArea(models.TextChoices):
    """The four areas of the project "Cittadinanza al Lavoro"."""

    OBSERVATORIES = "observatories", _("Civic labour observatories")
    WORK_DESIGN = "work_design", _("Work-design labs and Academy")
    ENTERPRISE_LABS = "enterprise_labs", _("Project and enterprise labs")
    NETWORK = "network", _("Territorial network")


class Comune(models.TextChoices):
    """The comuni of the Distretto Sociale 3 Est Milano."""

    PIOLTELLO = "pioltello", "Pioltello"
    RODANO = "rodano", "Rodano"
    SEGRATE = "segrate", "Segrate"
    VIMODRONE = "vimodrone", "Vimodrone"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from . import (
            enquiries,  # noqa: F401  (registers the enquiry form's per-visitor value)
            permission_guard,  # noqa: F401  (connects its signal receivers)
        )
        from .moderation import translate_notification_names

        translate_notification_names()

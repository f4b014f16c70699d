from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from django.db.models.signals import post_save

        from . import (
            enquiries,  # noqa: F401  (registers the enquiry form's per-visitor value)
            permission_guard,  # noqa: F401  (connects its signal receivers)
        )
        from .models import PartnerPage
        from .moderation import translate_notification_names
        from .onboarding import on_new_partner_page

        translate_notification_names()
        post_save.connect(on_new_partner_page, sender=PartnerPage)

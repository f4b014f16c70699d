from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = _("Donations")

    def ready(self):
        from home.retention import purge_requested

        from . import retention

        purge_requested.connect(retention.purge_requested_receiver, dispatch_uid="donations-purge")

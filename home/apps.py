from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site pages")

    def ready(self):
        from . import (
            cache,  # noqa: F401 - connects the content-generation signals
            request_memo,
            sites,
            structure,
        )

        request_memo.install()
        sites.install()
        structure.connect()

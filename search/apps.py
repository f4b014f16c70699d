from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from home.retention import purge_requested

        from . import signals

        purge_requested.connect(signals.purge_course_requests, dispatch_uid="search-purge")

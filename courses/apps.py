from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from . import (
            feed_signals,  # noqa: F401 - calendar feeds' cache invalidation
            seat_marks,
            signup_forms,  # noqa: F401 - registers the form's per-visitor value
        )

        seat_marks.connect()

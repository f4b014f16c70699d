"""Public URLs of the challenge applications (inside i18n_patterns).

The applicant's page has a path in each language (Django's translated URL
patterns: the path is a msgid of the partners app, so the language switcher's
`translate_url` and `applications.manage_url` find it in either language).
Until the path had an Italian form, Italian receipts linked to
/it/challenge-applications/<token>/: that address stays, as a permanent
redirect to the page's Italian path, for the links already e-mailed."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import challenge_views

urlpatterns = [
    path(
        _("challenge-applications/<str:token>/"),
        challenge_views.application_view,
        name="challenge_application",
    ),
    # After the pattern above, which answers it in English.
    path(
        "challenge-applications/<str:token>/",
        challenge_views.application_moved,
        name="challenge_application_moved",
    ),
]

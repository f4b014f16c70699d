"""Public URLs of the challenge applications (inside i18n_patterns)."""

from django.urls import path

from . import challenge_views

urlpatterns = [
    path(
        "challenge-applications/<str:token>/",
        challenge_views.application_view,
        name="challenge_application",
    ),
]

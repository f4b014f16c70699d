"""Calendar feed URLs (included inside i18n_patterns, before Wagtail's
catch-all, so every feed has a language prefix: /it/feeds/…, /en/feeds/…)."""

from django.urls import path

from . import feed_views as views

app_name = "feeds"

urlpatterns = [
    path("feeds/academy.ics", views.academy, name="academy"),
    path("feeds/course/<int:page_id>.ics", views.course, name="course"),
    path("feeds/partner/<int:page_id>.ics", views.partner, name="partner"),
    path("feeds/topic/<slug:slug>.ics", views.topic, name="topic"),
    path("feeds/comune/<slug:comune>.ics", views.comune, name="comune"),
    path("feeds/courses.ics", views.filtered, name="filtered"),
    path("feeds/session/<uuid:uid>.ics", views.session, name="session"),
    path("feeds/me/<str:token>.ics", views.personal, name="personal"),
    path("feeds/me/new-link/<str:token>/", views.new_personal_link, name="new_personal_link"),
]

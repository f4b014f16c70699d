from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents import urls as wagtaildocs_urls

from courses.api import CourseAPIViewSet
from home import views as home_views
from home.sitemaps import AllLocalesSitemap
from search import views as search_views

# Open data, read-only (Wagtail API v2).
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("courses", CourseAPIViewSet)

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("api/v2/", api_router.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", AllLocalesSitemap.as_view(), name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", home_views.healthz, name="healthz"),
    path("donations/", include("donations.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggest, name="search_suggest"),
    path("search/ask-for-a-course/", search_views.ask_for_course, name="ask_for_course"),
    path("", include("partners.challenge_urls")),
    path("", include("courses.feed_urls")),  # calendar feeds (before Wagtail's catch-all)
    path("", include("courses.signup_urls")),  # sign-ups (before Wagtail's catch-all)
    # Wagtail's patterns, its pages served through its view made atomic
    # only for what may write (home.views.serve).
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, home_views.serve, name="wagtail_serve"),
    prefix_default_language=True,
)

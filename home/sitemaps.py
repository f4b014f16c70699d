from django.core.cache import cache
from django.db.models import Q
from django.http import HttpResponse

from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.models import Page

from .cache import generation

BODY_TIMEOUT = 24 * 3600


class AllLocalesSitemap(Sitemap):
    """Wagtail's sitemap lists one locale's tree; this one lists every
    language version of the site's pages (live and public only).

    No page type changes its sitemap entry (`get_sitemap_urls`) nor its
    URL, so the generic pages serve, in one query whatever the number of
    page types; the body is kept per content generation (home/cache.py),
    which every publish, unpublish, move or delete bumps."""

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_any_tree = Q()
        for root in roots:
            in_any_tree |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(in_any_tree).live().public().order_by("path").defer_streamfields()
        )

    @classmethod
    def as_view(cls):
        def view(request):
            page = request.GET.get("p", "1")[:12]
            key = f"sitemap:{request.get_host()}:{page}:{generation('courses')}"
            body = cache.get(key)
            if body is None:
                response = sitemap(request, sitemaps={"pages": cls})
                if response.status_code != 200:
                    return response
                body = response.render().content
                cache.set(key, body, BODY_TIMEOUT)
            response = HttpResponse(body, content_type="application/xml")
            response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's view
            return response

        return view

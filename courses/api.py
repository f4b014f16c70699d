"""The catalogue through Wagtail's API v2: `/api/v2/courses/`, read-only,
only live public course pages, each with its sessions (those of the Italian
page, whatever the language of the course)."""

from wagtail.api.v2.views import PagesAPIViewSet

from .models import CoursePage


class CourseAPIViewSet(PagesAPIViewSet):
    """Course pages only; the base queryset of Wagtail's pages endpoint
    already limits them to live, public pages of the requested site."""

    name = "courses"
    model = CoursePage
    listing_default_fields = [*PagesAPIViewSet.listing_default_fields, "intro", "sessions"]

    def get_queryset(self):
        public_ids = self.get_base_queryset().values_list("pk", flat=True)
        return CoursePage.objects.live().public().filter(pk__in=public_ids).order_by("pk")

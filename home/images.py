"""Images on cards and in listings, read with the pages that show them."""

from django.db.models import Prefetch

from wagtail.images import get_image_model


def renditions_prefetch(field, *specs):
    """A prefetch of the renditions for `specs` of the image in `field`, left
    where ``prefetch_renditions`` leaves them for the ``{% image %}`` tag;
    the image itself is prefetched too unless it was joined already."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    return Prefetch(f"{field}__renditions", queryset=renditions, to_attr="prefetched_renditions")


def with_images(queryset, field, *specs):
    """`queryset` with the image in `field` joined to each row and that
    image's renditions for `specs` prefetched: two queries for any number of
    rows (the rows with their images, the renditions), where prefetching the
    image costs one more."""
    return queryset.select_related(field).prefetch_related(renditions_prefetch(field, *specs))

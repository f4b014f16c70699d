"""Images on cards and in listings, read with the pages that show them."""

from django.db.models import Prefetch, Q

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


def read_images(obj, *fields):
    """Read the images in `fields` (foreign keys to images) of `obj` not read
    yet, in one query."""
    fields = [
        obj._meta.get_field(name)
        for name in fields
        if getattr(obj, f"{name}_id") is not None and not obj._meta.get_field(name).is_cached(obj)
    ]
    if not fields:
        return
    images = get_image_model().objects.in_bulk({getattr(obj, field.attname) for field in fields})
    for field in fields:
        field.set_cached_value(obj, images.get(getattr(obj, field.attname)))


def read_renditions(wanted):
    """Find the renditions of `wanted` ((image, spec) pairs; an image may be
    None) together and leave each image's on it as ``prefetched_renditions``,
    where the ``{% image %}`` tag looks first: Wagtail's rendition cache in
    one read, then the database in one query for those the cache lacked.
    The tag alone reads the cache once per image and, on a cache miss, the
    database once per image: a page of cards with an empty cache (a new
    Redis) spent a query on each.

    Every rendition a page shows must be named here: an image left with
    ``prefetched_renditions`` looks nowhere else, and a rendition not found
    there is made (or read) by the tag, one query each. An image with a
    rendition not made yet is left as it was, for the tag to make it: what
    holds it may be kept (per content generation), and it would lack the
    rendition at every render. Images whose renditions were prefetched
    already (``with_images``) are left alone."""
    from wagtail.images.models import Filter

    Rendition = get_image_model().get_rendition_model()
    lookups = {}  # cache key: (image id, spec, focal point key)
    holders = {}  # cache key: images (one image may be shown by several objects)
    for image, spec in wanted:
        if image is None or image._get_prefetched_renditions() is not None:
            continue
        spec = image.clean_filter_for_svg(Filter(spec=spec)).spec
        focal = Filter(spec=spec).get_cache_key(image)
        key = Rendition.construct_cache_key(image, focal, spec)
        lookups[key] = (image.pk, spec, focal)
        holders.setdefault(key, []).append(image)
    if not lookups:
        return
    found = Rendition.cache_backend.get_many(list(lookups))
    missing = {lookups[key]: key for key in lookups if key not in found}
    if missing:
        wanted_rows = Q()
        for image_id, spec, focal in missing:
            wanted_rows |= Q(image_id=image_id, filter_spec=spec, focal_point_key=focal)
        read = {}
        for rendition in Rendition.objects.filter(wanted_rows):
            key = missing[(rendition.image_id, rendition.filter_spec, rendition.focal_point_key)]
            read[key] = rendition
        if read:
            Rendition.cache_backend.set_many(read)  # as the tag would have
        found.update(read)
    shown = {}
    for key, images in holders.items():
        for image in images:
            shown.setdefault(id(image), (image, []))[1].append(found.get(key))
    for image, renditions in shown.values():
        if None in renditions:
            continue
        for rendition in renditions:
            rendition.image = image  # (its alt text and the like come from this image)
        image.prefetched_renditions = renditions


# The picture every page with a listing image gives to link previews
# (academy_site/templates/base.html, og:image).
SHARED_IMAGE_SPEC = "fill-1200x630"


def image_with_renditions(image_id, *specs):
    """The image `image_id` (None if it is gone) with its renditions for
    `specs` left as ``prefetched_renditions`` for the ``{% image %}`` tag,
    read in one query (the renditions with their image joined), where the
    image and then each rendition were one each with an empty cache; two
    when none of them was made yet. For what is kept per content generation
    (saving an image starts a new one), not read at every render; so an
    image with a rendition not made yet is left without, for the tag to make
    it and then find it in Wagtail's rendition cache (see
    `read_renditions`)."""
    from wagtail.images.models import Filter

    Image = get_image_model()
    rows = list(
        Image.get_rendition_model()
        .objects.filter(image_id=image_id, filter_spec__in=specs)
        .select_related("image")
    )
    image = rows[0].image if rows else Image.objects.filter(pk=image_id).first()
    if image is None:
        return None
    renditions = [
        rendition
        for rendition in rows
        if rendition.focal_point_key == Filter(spec=rendition.filter_spec).get_cache_key(image)
    ]
    if {rendition.filter_spec for rendition in renditions} >= set(specs):
        for rendition in renditions:
            rendition.image = image
        image.prefetched_renditions = renditions
    return image

"""Renditions read together (home/images.py): Wagtail's rendition cache in
one read, the database in one query for what it lacks, and the `{% image %}`
tag then served from what was read."""

import pytest
import wagtail_factories

from django.core.cache import caches
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from home.images import image_with_renditions, read_renditions

CARD = "fill-480x270|format-webp"
LOGO = "max-200x200"


def empty_every_cache():
    for cache in caches.all(initialized_only=False):
        cache.clear()


def tag(image, spec):
    """What `{% image %}` renders for `image` at `spec`."""
    spec = spec.replace("|", " ")  # (the tag's spelling of a spec)
    return Template(f"{{% load wagtailimages_tags %}}{{% image image {spec} %}}").render(
        Context({"image": image})
    )


@pytest.fixture
def images(db):
    """Two images whose renditions were made (as on a page shown before)."""
    made = [wagtail_factories.ImageFactory(), wagtail_factories.ImageFactory()]
    for image in made:
        image.get_rendition(CARD)
        image.get_rendition(LOGO)
    return made


def fresh(images):
    """The same images as read anew (nothing prefetched on them)."""
    return [type(image).objects.get(pk=image.pk) for image in images]


@pytest.mark.django_db
def test_what_the_cache_lacks_is_read_in_one_query_and_the_tag_reads_nothing(images):
    expected = [tag(image, spec) for image in images for spec in (CARD, LOGO)]
    empty_every_cache()
    images = fresh(images)
    with CaptureQueriesContext(connection) as queries:
        read_renditions([(image, spec) for image in images for spec in (CARD, LOGO)])
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        shown = [tag(image, spec) for image in images for spec in (CARD, LOGO)]
    assert len(queries) == 0
    assert shown == expected


@pytest.mark.django_db
def test_with_the_cache_warm_no_query_at_all(images):
    images = fresh(images)
    read_renditions([(image, CARD) for image in images])  # the cache filled
    images = fresh(images)
    with CaptureQueriesContext(connection) as queries:
        read_renditions([(image, CARD) for image in images])
        for image in images:
            tag(image, CARD)
    assert len(queries) == 0


@pytest.mark.django_db
def test_an_image_without_one_of_its_renditions_is_left_to_the_tag(images):
    """What holds the image may be kept (per content generation): were the
    missing rendition left out of `prefetched_renditions`, every later render
    would look for it in the database again."""
    empty_every_cache()
    new = wagtail_factories.ImageFactory()
    image, other = fresh(images)
    read_renditions([(image, CARD), (new, CARD), (other, CARD), (other, "width-100")])
    assert len(image.prefetched_renditions) == 1
    assert not hasattr(new, "prefetched_renditions")
    assert not hasattr(other, "prefetched_renditions")
    assert "width-100" not in str(other.renditions.values_list("filter_spec", flat=True))
    assert 'width="100"' in tag(other, "width-100")  # made by the tag, as before
    assert new.renditions.filter(filter_spec=CARD).count() == 0
    assert "<img" in tag(new, CARD)
    assert new.renditions.filter(filter_spec=CARD).count() == 1


@pytest.mark.django_db
def test_none_and_images_prefetched_already_are_left_alone(images):
    image, other = fresh(images)
    other.prefetched_renditions = []
    with CaptureQueriesContext(connection) as queries:
        read_renditions([(None, CARD), (other, CARD)])
    assert len(queries) == 0
    assert other.prefetched_renditions == []
    assert not hasattr(image, "prefetched_renditions")


@pytest.mark.django_db
def test_an_image_with_its_renditions_in_one_query(images):
    image = images[0]
    expected = [tag(image, CARD), tag(image, LOGO)]
    empty_every_cache()
    with CaptureQueriesContext(connection) as queries:
        read = image_with_renditions(image.pk, CARD, LOGO)
    assert len(queries) == 1
    assert read == image
    with CaptureQueriesContext(connection) as queries:
        assert [tag(read, CARD), tag(read, LOGO)] == expected
    assert len(queries) == 0


@pytest.mark.django_db
def test_an_image_with_a_rendition_not_made_yet_is_read_without_any(images):
    image = images[0]
    read = image_with_renditions(image.pk, CARD, "width-100")
    assert read == image and not hasattr(read, "prefetched_renditions")
    new = wagtail_factories.ImageFactory()
    read = image_with_renditions(new.pk, CARD)  # two queries: no rendition to join it to
    assert read == new and not hasattr(read, "prefetched_renditions")
    assert image_with_renditions(new.pk + 1000, CARD) is None

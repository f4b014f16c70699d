"""Pages chosen in StreamFields (home areas, featured pages), shown in the
visitor's language: read together, not one at a time.

A block template asking ``page.localized`` (and ``item.specific`` first for
a plain page chooser) reads one translation per page, and one specific row
per page; its card image is one more query each. ``localized_specific``
reads every page, and every translation of them in the active language,
specific, in one query (``search.engine.specific_pages``), then their card
images in one more; the request remembers the answers (home/request_memo.py)
for the ``localized_page`` filter and the ``featured_pages`` tag.

``localize_chosen_ids`` does the same from the ids in the streams' raw data
(``chosen_page_ids``), before Wagtail converts the blocks, and also
remembers each chosen page as read: ``ReadPageChooserBlock`` (home/blocks.py)
answers from it when the template then converts the blocks, where Wagtail's
page chooser would read the same pages once more, one query per stream.
"""

from django.db.models import OuterRef, Q, Subquery

from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from .request_memo import recall, remember


def _key(page, locale=None):
    locale = locale or Locale.get_active()
    return ("localized-page", locale.pk, page.pk)


def localized_specific(pages, found=None):
    """{pk: the page in the active language when it has a live translation,
    else the page itself; specific, its `listing_image` (if it has one)
    read}, for `pages` (Page instances, any type), in one query with their
    images joined (none when `found`, {id: specific page}, holds them and
    their translations, their images read: `_read_images` reads those left)."""
    from search.engine import specific_pages  # (search imports the page models)

    pages = [page for page in pages if page is not None]
    page_by_pk = {page.pk: page for page in pages}
    if not pages:
        return {}
    locale = Locale.get_active()
    if found is None:
        ids = {page.pk for page in pages}
        keys = {page.translation_key for page in pages}
        wanted = Page.objects.filter(Q(pk__in=ids) | Q(translation_key__in=keys, locale=locale))
        found = specific_pages(wanted.values("pk"), listing_images=True)
    translations = {p.translation_key: p for p in found.values() if p.locale_id == locale.pk}
    shown = {}
    for page in pages:
        own = found.get(page.pk, page)
        translation = translations.get(page.translation_key, own)
        shown[page.pk] = translation if translation.live else own  # as Page.localized
    _read_images(shown.values())
    for pk, page in shown.items():
        remember(_key(page_by_pk[pk], locale), page)
    return shown


def localize_chosen_ids(ids):
    """`localized_specific` for the pages `ids` (as a page chooser keeps
    them), with the pages themselves read in the same query; every id is
    remembered with the page read for it (None: no such page) for
    `chosen_page`."""
    from search.engine import specific_pages  # (search imports the page models)

    ids = [pk for pk in dict.fromkeys(ids) if pk is not None]
    if not ids:
        return {}
    locale = Locale.get_active()
    keys = Page.objects.filter(pk__in=ids).values("translation_key")
    wanted = Page.objects.filter(Q(pk__in=ids) | Q(translation_key__in=keys, locale=locale))
    found = specific_pages(wanted.values("pk"), listing_images=True)
    for pk in ids:
        remember(_chosen_key(pk), found.get(pk))
    return localized_specific([found.get(pk) for pk in ids], found)


def _chosen_key(pk):
    return ("chosen-page", pk)


_NOT_READ = object()


def chosen_page(pk):
    """(True, the page `localize_chosen_ids` read for `pk`: specific, or None
    when there is no such page), or (False, None) when it did not read it."""
    found = recall(_chosen_key(pk), _NOT_READ)
    return (False, None) if found is _NOT_READ else (True, found)


def chosen_page_ids(*stream_values, block_type=None):
    """The ids chosen in the page choosers of `stream_values` (in struct
    blocks, lists and streams), from their raw data: no block is converted.
    With `block_type`, only in the streams' blocks of that type."""
    ids = []
    for stream in stream_values:
        if stream:
            raw = [item for item in stream.raw_data if block_type in (None, item["type"])]
            ids += _raw_page_ids(stream.stream_block, raw)
    return ids


def _raw_page_ids(block, raw):
    if raw is None:
        return []
    if isinstance(block, blocks.PageChooserBlock):
        return [raw]
    if isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        return [
            pk
            for name, child in block.child_blocks.items()
            for pk in _raw_page_ids(child, raw.get(name))
        ]
    if isinstance(block, blocks.ListBlock):
        return [
            pk
            for item in raw
            for pk in _raw_page_ids(
                block.child_block,
                item["value"] if block._item_is_in_block_format(item) else item,
            )
        ]
    if isinstance(block, blocks.StreamBlock):
        return [
            pk
            for item in raw
            if item["type"] in block.child_blocks
            for pk in _raw_page_ids(block.child_blocks[item["type"]], item["value"])
        ]
    return []


def _read_images(pages):
    with_image = [p for p in pages if getattr(p, "listing_image_id", None) and not _image_read(p)]
    if not with_image:
        return
    images = get_image_model().objects.in_bulk({p.listing_image_id for p in with_image})
    for page in with_image:
        type(page)._meta.get_field("listing_image").set_cached_value(
            page, images.get(page.listing_image_id)
        )


def _image_read(page):
    return type(page)._meta.get_field("listing_image").is_cached(page)


def with_localized_link(queryset, link):
    """`queryset` with, on each row, the id and address (`<link>_localized_id`,
    `<link>_localized_url_path`) of the live page in the active language
    that shares its translation key with the page the row's `link` points
    to: what `Page.localized` would read for that page, in the same query."""
    translations = Page.objects.filter(
        translation_key=OuterRef(f"{link}__translation_key"),
        locale_id=Locale.get_active().pk,
        live=True,
    )
    return queryset.annotate(
        **{
            f"{link}_localized_{name}": Subquery(translations.values(name)[:1])
            for name in ("id", "url_path")
        }
    )


def remember_localized_link(row, link, page):
    """Keep for `localized` (and the `localized_page` filter) the
    translation of `page` that `with_localized_link` read on `row`: a page
    with its id, address and language only (the rest deferred: links need
    no more)."""
    pk = getattr(row, f"{link}_localized_id")
    if pk is None or pk == page.pk:
        return  # no live translation, or the page itself: `.localized` reads nothing
    locale = Locale.get_active()
    known = {
        "id": pk,
        "url_path": getattr(row, f"{link}_localized_url_path"),
        "live": True,
        "locale_id": locale.pk,
        "translation_key": page.translation_key,
    }
    names = [f.attname for f in Page._meta.concrete_fields if f.attname in known]
    translation = Page.from_db(row._state.db, names, [known[name] for name in names])
    remember(_key(page, locale), translation)


def localized(page, otherwise=None):
    """`page.localized` (or `otherwise()`), answered from what
    `localized_specific` read in this request when it read this page."""
    found = recall(_key(page))
    if found is not None:
        return found
    return otherwise() if otherwise else page.localized


def in_language(page, language):
    """`page` in the language `language` (a code) when it has a live
    translation there, specific; else `page` itself. For what is written
    to one person in their own language (e-mails, their sign-up and
    application pages), whatever language the request is in."""
    from .request_memo import locales_by_code

    locale = locales_by_code().get(language)
    if locale is not None and page.locale_id != locale.pk:
        translated = page.get_translation_or_none(locale)
        if translated is not None and translated.live:
            return translated.specific
    return page

"""What bumps the structure generation (home/cache.py).

Under the structure generation are kept, for every page to read: the sites
with their root pages, every Locale, the sites' root pages in every language
(Wagtail's site root paths are built from them), every view restriction
with its page's path, and the header and footer (the home link, the menu of
the home page's live public children shown in menus, the footer setting
and its privacy and accessibility pages in every language). The rule,
conservative on purpose (over-bumping costs one cold render of the header
and footer, missing a bump serves a wrong link or lists a restricted
page):

- a Site, Locale, PageViewRestriction or the footer setting saved or deleted,
  and a view restriction's groups changed;
- any page of depth 3 or less (the tree root, the sites' root pages in every
  language, the pages of the menu) saved, created (a translation or an
  alias too), published or unpublished: each of these saves the page;
- a site's root page or a translation of it saved or created, at any depth
  (Wagtail's site root paths are worked out from them, home/sites.py);
- any page deleted (its restrictions and the footer's links go with it) or
  moved (treebeard rewrites the paths of the page and its descendants with
  raw UPDATEs, which send no post_save: ``post_page_move``);
- any page whose slug changed (its descendants' ``url_path`` are rewritten by
  a raw UPDATE: ``page_slug_changed``, sent when the transaction commits);
- an alias created, at any depth;
- the footer's privacy or accessibility page, or a translation of it, saved.

A save that changes only a page's draft state (a revision saved, a comment, a
lock: ``home.cache.DRAFT_FIELDS``) bumps nothing: the public sees none of it.

Wagtail's unpublish, scheduled publishing and expiry, revert, copy, and
wagtail-localize's translations all save the pages they change (so they
send post_save); its moves send ``post_page_move`` and copies save the view
restrictions they copy. Changing the tree by hand (treebeard's ``fix_tree``,
raw SQL) must be followed by ``home.cache.bump_structure_generation()``.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_slug_changed, post_page_move

from .cache import bump_structure_generation_now_and_on_commit, draft_only

MENU_DEPTH = 3


def _structure_changed(**kwargs):
    bump_structure_generation_now_and_on_commit()


def _page_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if not isinstance(instance, Page) or raw or draft_only(update_fields):
        return
    if (
        instance.depth <= MENU_DEPTH
        or _is_new_alias(instance, created)
        or _is_site_root(instance)
        or _is_footer_page(instance)
    ):
        bump_structure_generation_now_and_on_commit()


def _is_new_alias(page, created):
    return created and page.alias_of_id is not None


def _is_site_root(page):
    """Whether `page` is a site's root page or one of its translations, at
    any depth (the home pages and Wagtail's site root paths, home/sites.py)."""
    from .sites import root_translation_keys

    return page.translation_key in root_translation_keys()


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        bump_structure_generation_now_and_on_commit()


def _is_footer_page(page):
    """Whether `page` is the footer's privacy or accessibility page or one of
    their translations."""
    from .models import SiteFooter

    key = page.translation_key
    return SiteFooter.objects.filter(
        Q(privacy_page__translation_key=key) | Q(accessibility_page__translation_key=key)
    ).exists()


def _restriction_groups_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        bump_structure_generation_now_and_on_commit()


def connect():
    from .models import SiteFooter

    for model in (Site, Locale, PageViewRestriction, SiteFooter):
        post_save.connect(_structure_changed, sender=model, weak=False)
        post_delete.connect(_structure_changed, sender=model, weak=False)
    post_save.connect(_page_saved, weak=False)
    post_delete.connect(_page_deleted, weak=False)
    m2m_changed.connect(
        _restriction_groups_changed, sender=PageViewRestriction.groups.through, weak=False
    )
    post_page_move.connect(_structure_changed, weak=False)
    page_slug_changed.connect(_structure_changed, weak=False)

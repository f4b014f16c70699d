"""A whole-site content generation for caches of rendered pages, and a
slower structure generation for what every page reads and almost nothing
changes.

Any change to content that public pages show (a page published, a session
edited, a gift confirmed, a snippet or setting saved) bumps one counter in
the cache; cached pages are keyed by it, so they all go stale at once.
Coarse, but always correct, and cheap: a busy day has a few dozen such
changes against tens of thousands of page views. Saves of models no public
page shows (``IGNORED_MODELS``) bump nothing.

The content generation has parts (``DOMAIN_KEYS``): a change to a course
(its page, sessions, sign-up questions: models with ``cache_domain =
"courses"``) moves the courses' part and that course's *version* (one per
page, moved for all its translations); a gift (``cache_domain = "fund"``)
moves the fund's part; anything else moves the site's part, which every
key holds. ``content_generation()`` is every part, the safe default; a
cache that shows less names what it shows (``generation("courses")``, or
``generation()`` and ``course_versions`` for what shows one course and the
site's content), so a change elsewhere leaves it warm.

Sign-ups, the most frequent change, change only the places shown: they move
a third counter, the seats generation, and the places are written into each
page as it is served (courses/seat_marks.py), so a sign-up leaves every
cached page and fragment warm.

The structure generation keys what every page reads before its own content:
the sites and their root pages (home/sites.py), the locales and the home
page in every language (home/routing.py), the view restrictions
(home/request_memo.py) and the header and footer (``site_chrome``). It is
bumped only by the changes that can alter them (home/structure.py has the
list: sites, locales, view restrictions and their groups, the footer
setting, any page of depth 3 or less saved or created, any page deleted or
moved, any slug changed, an alias created, the footer's pages or their
translations saved), so an ordinary content change leaves them warm. Every
structure bump bumps the content generation too: pages and fragments cached
under it show the header and footer. Within a request the structure
generation is read from the cache once (``structure_generation``) and a
bump made by that request is seen at once.
"""

import contextvars
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .request_memo import forget, forget_structure, recall, remember, remembered

GENERATION_KEY = "content-generation"
STRUCTURE_KEY = "structure-generation"
SEATS_KEY = "seats-generation"
# Domains of content with a generation of their own: a change to a course
# (its page, sessions, sign-up questions) or to the fund (a gift, a payment)
# moves only its domain's generation. A cache names the domains it shows
# (``generation``); ``content_generation`` names them all.
COURSES_KEY = "courses-generation"
FUND_KEY = "fund-generation"
DOMAIN_KEYS = {"courses": COURSES_KEY, "fund": FUND_KEY}
COURSE_VERSION_PREFIX = "course-version:"
_STRUCTURE_MEMO = ("structure-generation",)

# Saves that change nothing the public sees.
IGNORED_MODELS = {
    ("sessions", "session"),
    ("admin", "logentry"),
    ("auth", "user"),
    ("wagtailcore", "pagelogentry"),
    ("wagtailcore", "modellogentry"),
    ("wagtailcore", "revision"),
    ("wagtailcore", "pagesubscription"),
    ("wagtailcore", "workflowstate"),
    ("wagtailcore", "taskstate"),
    ("wagtailsearch", "indexentry"),
    ("wagtailsearch", "query"),
    ("wagtailsearch", "querydailyhits"),
    ("wagtailimages", "rendition"),
    ("wagtailcore", "referenceindex"),
    ("wagtailadmin", "editingsession"),
    ("wagtailusers", "userprofile"),
    # Queued background tasks (django-tasks-db): queued, claimed, finished.
    ("django_tasks_database", "dbtaskresult"),
    # The partner's register of presences: shown in the admin only.
    ("courses", "sessionattendance"),
    # Sign-ups change only the places shown, which no cache keeps: they move
    # the seats generation (courses/seat_marks.py) and nothing else.
    ("courses", "signup"),
    # Personal data and private records, shown to nobody on a public page:
    # people who sign up, reminders and their answers, applications to
    # challenges, enquiries, partners' invitations, Stripe's events, failed
    # renewals, receipt numbers, searches that found nothing, course requests.
    ("courses", "participant"),
    ("courses", "signupreminder"),
    ("partners", "challengeapplication"),
    ("partners", "applicationattachment"),
    ("partners", "enquiry"),
    ("partners", "invitationemail"),
    ("donations", "stripeevent"),
    ("donations", "renewalfailure"),
    ("donations", "receiptsequence"),
    ("search", "missedquery"),
    ("search", "courserequest"),
    # The editors' side of Wagtail: comments, form states, workflows and
    # their tasks, permissions, uploads in progress, API tokens, search
    # promotions' counters, form submissions.
    ("wagtailcore", "comment"),
    ("wagtailcore", "commentreply"),
    ("wagtailadmin", "formstate"),
    ("wagtailadmin", "admin"),
    ("wagtailcore", "workflow"),
    ("wagtailcore", "workflowtask"),
    ("wagtailcore", "workflowpage"),
    ("wagtailcore", "workflowcontenttype"),
    ("wagtailcore", "task"),
    ("wagtailcore", "groupapprovaltask"),
    ("wagtailcore", "grouppagepermission"),
    ("wagtailcore", "groupcollectionpermission"),
    ("wagtailcore", "groupsitepermission"),
    ("auth", "permission"),
    ("wagtailcore", "uploadedfile"),
    ("wagtailcore", "apitoken"),
    ("wagtailsearchpromotions", "query"),
    ("wagtailsearchpromotions", "querydailyhits"),
    ("wagtailforms", "formsubmission"),
}

# wagtail-localize's own records (sources, segments, translations typed in
# its editor, one save per field): what they translate reaches the public
# only when the translated page or snippet is saved, which bumps.
IGNORED_APPS = {"wagtail_localize"}

# A page saved with only these fields changed its draft, not what the public
# sees: a revision saved (Wagtail's save_revision), a comment, a lock.
DRAFT_FIELDS = frozenset(
    {
        "wagtail_admin_comments",
        "latest_revision_created_at",
        "draft_title",
        "latest_revision",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def draft_only(update_fields):
    """Whether a save with `update_fields` changed nothing the public sees."""
    return bool(update_fields) and DRAFT_FIELDS.issuperset(update_fields)


def _read(key):
    """The generation kept under `key`, started from the clock if missing."""
    generation = cache.get(key)
    if generation is None:
        cache.add(key, _fresh_generation(), None)
        generation = cache.get(key) or _fresh_generation()
    return generation


def _bump(key):
    """Move the generation kept under `key` on; its new value."""
    try:
        return cache.incr(key)
    except ValueError:
        generation = _fresh_generation()
        cache.set(key, generation, None)
        return generation


def generation(*domains):
    """The generation of a cache that shows the site's content but, of the
    domains (``DOMAIN_KEYS``), only `domains`: the site's part and theirs,
    read in one round trip. A change in another domain leaves it as it is."""
    keys = [GENERATION_KEY, *(DOMAIN_KEYS[domain] for domain in domains)]
    return generation_from(cache.get_many(keys), *domains)


def generation_from(found, *domains):
    """As `generation`, from `found` ({key: value}, a ``get_many`` that asked
    for the keys it needs along with others)."""
    keys = [GENERATION_KEY, *(DOMAIN_KEYS[domain] for domain in domains)]
    return ".".join(str(found.get(key) or _read(key)) for key in keys)


def content_generation():
    """The generation of a cache that may show anything public."""
    return generation(*DOMAIN_KEYS)


def bump_content_generation():
    _bump(GENERATION_KEY)


def _bump_on_commit():
    bump_content_generation()


def _version_key(pk):
    return f"{COURSE_VERSION_PREFIX}{pk}"


def _versions(found, ids):
    return {pk: found.get(_version_key(pk)) or _read(_version_key(pk)) for pk in ids}


def course_versions(ids):
    """{page id: version} of the course pages `ids`: moved by every change to
    the course or to any of its translations (its page, sessions, sign-up
    questions). A cache of what one course shows and the site's content
    (not the other courses) is keyed by ``generation()`` and its version.
    Read from the cache once per request (routing, a course page's facts
    and its article ask for the same one), before what it keys."""
    found = {pk: recall(("course-version", pk)) for pk in ids}
    missing = [pk for pk, version in found.items() if version is None]
    if missing:
        found.update(_versions(cache.get_many([_version_key(pk) for pk in missing]), missing))
        for pk in missing:
            remember(("course-version", pk), found[pk])
    return found


def courses_mark():
    """The courses' part of the generation, read before rows that a course
    version will key (`versions_since`)."""
    return _read(COURSES_KEY)


def versions_since(mark, ids):
    """{id: version} of the course pages `ids`, read now, if no course
    changed since `mark` (``courses_mark``) was read: what was read between
    the two is then as new as these versions. None if one did (a cache
    keyed by them might hold rows older than them)."""
    found = cache.get_many([COURSES_KEY, *(_version_key(pk) for pk in ids)])
    if found.get(COURSES_KEY) != mark:
        return None
    return _versions(found, ids)


def bump_domain_now_and_on_commit(domain, course_ids=()):
    """A change in `domain` ("courses", "fund"): its generation moves, and
    with it the versions of the courses `course_ids` (a function giving
    them, called only if the bump is not held back), now and on commit."""

    def bump():
        _bump(DOMAIN_KEYS[domain])
        for pk in ids:
            _bump(_version_key(pk))
        forget(*(("course-version", pk) for pk in ids))

    if _bumps_held.get() is not None:
        _bumps_held.get().append(True)
        return
    ids = list(course_ids()) if callable(course_ids) else list(course_ids)
    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def seats_generation():
    """The seats generation: moved by every sign-up, cancellation or seat
    given (courses/seat_marks.py keeps the places shown under it)."""
    return _read(SEATS_KEY)


def bump_seats_generation():
    _bump(SEATS_KEY)


def _bump_seats_on_commit():
    bump_seats_generation()


def bump_seats_generation_now_and_on_commit():
    """As bump_content_generation_now_and_on_commit, for the seats generation."""
    _bump_now_and_on_commit(bump_seats_generation, _bump_seats_on_commit)


def _fresh_generation():
    """A first value for a generation that no earlier one had (its key may
    have been evicted, or the cache emptied of it alone: entries kept under
    an old value must not come back), larger than any value counted up
    from an earlier one."""
    return time.time_ns()


def structure_generation():
    """The structure generation, read from the cache once per request."""
    return remembered(_STRUCTURE_MEMO, _read_structure_generation)


def _read_structure_generation():
    return _read(STRUCTURE_KEY)


def bump_structure_generation():
    """A new structure generation and a new content generation; the request
    making it sees it at once."""
    generation = _bump(STRUCTURE_KEY)
    forget_structure()
    remember(_STRUCTURE_MEMO, generation)
    bump_content_generation()


def _bump_structure_on_commit():
    bump_structure_generation()


def bump_structure_generation_now_and_on_commit():
    """As bump_content_generation_now_and_on_commit, for the structure (and
    so the content) generation."""
    _bump_now_and_on_commit(bump_structure_generation, _bump_structure_on_commit)


def bump_content_generation_now_and_on_commit():
    """Bump at once and, inside a transaction, once more when it commits: a
    page rendered by another request between the change and the commit saw
    the old data and must not stay cached under the new generation."""
    _bump_now_and_on_commit(bump_content_generation, _bump_on_commit)


def _bump_now_and_on_commit(bump, on_commit):
    pending = _bumps_held.get()
    if pending is not None:
        pending.append(True)
        return
    bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        entry[1] is on_commit for entry in connection.run_on_commit
    ):
        transaction.on_commit(on_commit)


def kept(key, build, timeout=3600):
    """`build()`, kept in the cache under `key`, which names the generation
    it belongs to (an entry of an earlier generation is never read again)."""
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


_bumps_held = contextvars.ContextVar("content_generation_bumps_held", default=None)


class bumps_held_back:
    """Context manager for bulk changes (the demo loader): the changes made
    inside it bump the generations once, when it ends, instead of at every
    save. Any change held back bumps the structure generation too (and so
    the content one): a bulk load is rare, and what it changed is not worth
    sorting out."""

    def __enter__(self):
        self._token = _bumps_held.set([])

    def __exit__(self, *exc):
        pending = _bumps_held.get()
        _bumps_held.reset(self._token)
        if pending:
            bump_structure_generation_now_and_on_commit()


# Values that differ for every visitor (the CSRF token, a form's start time)
# in pages otherwise shared through the whole-page cache: while a page is
# rendered for the cache they are written as placeholders, and each visitor
# gets them filled in when the page is served (academy_site/page_cache.py).
# A page with such placeholders is cached only when its form declared it
# safe (allow_cached_form).
PER_VISITOR = {}  # name -> function(request) giving the value
_rendering_for_cache = contextvars.ContextVar("rendering_for_page_cache", default=False)


def per_visitor(name):
    """Register `function(request)` as the maker of the per-visitor value `name`."""

    def register(function):
        PER_VISITOR[name] = function
        return function

    return register


def placeholder(name):
    return f"per-visitor-{name}-placeholder"


def per_visitor_value(name, request=None):
    """The value `name` for this visitor, or its placeholder in a page being
    rendered for the shared cache."""
    if _rendering_for_cache.get():
        return placeholder(name)
    return PER_VISITOR[name](request)


def is_rendering_for_cache():
    return _rendering_for_cache.get()


class rendering_for_cache:
    """Context manager: what renders inside it goes to the shared cache."""

    def __enter__(self):
        self._token = _rendering_for_cache.set(True)

    def __exit__(self, *exc):
        _rendering_for_cache.reset(self._token)


def allow_cached_form(request):
    """Declare that the forms on this page differ between visitors only by
    registered per-visitor values, so the page may be cached. Pages with
    a CSRF placeholder that nobody declared (a form with its own one-off
    values, e.g. the donation form's attempt id) are never cached."""
    request.page_cache_forms_declared = True


def fill_per_visitor(content, request):
    """`content` (bytes) with its placeholders filled for this visitor, and
    the names found."""
    found = []
    for name, make in PER_VISITOR.items():
        marker = placeholder(name).encode()
        if marker in content:
            found.append(name)
            content = content.replace(marker, str(make(request)).encode())
    return content, found


@receiver(post_save)
@receiver(post_delete)
def _content_changed(sender, update_fields=None, instance=None, **kwargs):
    meta = getattr(sender, "_meta", None)
    if (
        meta is None
        or (meta.app_label, meta.model_name) in IGNORED_MODELS
        or meta.app_label in IGNORED_APPS
        or draft_only(update_fields)
        or not _may_show(sender, instance, update_fields)
    ):
        return
    domain = getattr(sender, "cache_domain", None)
    if domain is None:
        bump_content_generation_now_and_on_commit()
    elif domain == "courses":  # each course model says which course pages it is part of
        bump_domain_now_and_on_commit(domain, instance.cached_course_ids)
    else:
        bump_domain_now_and_on_commit(domain)


def _may_show(sender, instance, update_fields):
    """What a model says of a save: `public_fields` (a save of none of them
    changes nothing the public sees) and `shown_publicly()` (False: no
    public page shows this row, e.g. a gift with no payment yet)."""
    fields = getattr(sender, "public_fields", None)
    if fields is not None and update_fields and fields.isdisjoint(update_fields):
        return False
    shown = getattr(instance, "shown_publicly", None)
    return shown is None or shown()

"""The challenge index: a plain GET filter form and a constant number of
queries (the partners, the challenges with their images, the page count),
whatever the number of challenges."""

from django import forms
from django.db.models import Case, DateTimeField, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale

from home.choices import Comune
from home.fields import ChoiceListField
from home.images import with_images

from .choices import DISTRICT, CallState, Sector
from .listing import ListingFilterForm, listing_context
from .models import ChallengePage, PartnerPage

CHALLENGES_PER_PAGE = 12
CARD_IMAGE_SPEC = ChallengePage.listing_card_image_spec
STEPLEN = 4  # treebeard: a page's parent path is its path minus 4 characters


class ChallengeFilterForm(ListingFilterForm):
    partner = forms.ChoiceField(label=_("Proposed by"), required=False)
    comune = forms.ChoiceField(
        label=_("Comune"), required=False, choices=[("", _("All comuni")), *Comune.choices]
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Open and closed")), *CallState.choices]
    )

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("All partners")), *partners]


def open_calls(locale, now):
    """The live, public challenges in `locale` open at `now`, the nearest
    deadline first (the home page's list)."""
    return (
        ChallengePage.objects.live()
        .public()
        .filter(locale=locale, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "pk")
    )


def index_challenges(index):
    """Live public challenges in the index's language; in a translated index,
    challenges not translated yet appear in the default language."""
    challenges = ChallengePage.objects.live().public()
    in_this_language = Q(locale_id=index.locale_id)
    default_locale = Locale.get_default()
    if index.locale_id != default_locale.pk:
        translated = challenges.filter(locale_id=index.locale_id).values("translation_key")
        in_this_language |= Q(locale_id=default_locale.pk) & ~Q(translation_key__in=translated)
    return challenges.filter(in_this_language)


def order_open_first(challenges, now):
    """Open calls (nearest deadline first), then those opening soon, then
    closed ones (most recent first)."""
    return challenges.annotate(
        state_order=Case(
            When(opens_at__lte=now, closes_at__gt=now, then=Value(0)),
            When(opens_at__gt=now, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        coming_deadline=Case(
            When(closes_at__gt=now, then=F("closes_at")),
            default=None,
            output_field=DateTimeField(),
        ),
    ).order_by("state_order", F("coming_deadline").asc(nulls_last=True), "-closes_at", "pk")


def filter_challenges(challenges, filters, partner_paths, now):
    if filters.get("partner"):
        paths = partner_paths.get(filters["partner"], [])
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(path__startswith=path)
        challenges = challenges.filter(condition)
    if filters.get("comune"):
        challenges = challenges.filter(
            Q(**ChoiceListField.contains("comuni", filters["comune"]))
            | Q(**ChoiceListField.contains("comuni", DISTRICT))
        )
    if filters.get("sector"):
        challenges = challenges.filter(sector=filters["sector"])
    status = filters.get("status")
    if status == CallState.OPEN:
        challenges = challenges.filter(opens_at__lte=now, closes_at__gt=now)
    elif status == CallState.UPCOMING:
        challenges = challenges.filter(opens_at__gt=now)
    elif status == CallState.CLOSED:
        challenges = challenges.filter(closes_at__lte=now)
    return challenges


def _partners(base, index):
    """{path: (translation key, title)} of the partners whose challenges are
    in `base`, in one query."""
    parent_paths = {path[:-STEPLEN] for path in base.values_list("path", flat=True)}
    rows = PartnerPage.objects.filter(path__in=parent_paths).values_list(
        "path", "translation_key", "title", "locale_id"
    )
    partners = {}
    for path, key, title, locale_id in rows:
        partners[path] = (str(key), title, locale_id == index.locale_id)
    return partners


def challenge_index_context(index, request):
    now = timezone.now()
    base = index_challenges(index)
    partners = _partners(base, index)
    choices, partner_paths = {}, {}
    for path, (key, title, same_language) in partners.items():
        partner_paths.setdefault(key, []).append(path)
        if key not in choices or same_language:
            choices[key] = title
    form = ChallengeFilterForm(
        request.GET or None,
        partners=sorted(choices.items(), key=lambda item: item[1].lower()),
    )
    challenges = order_open_first(filter_challenges(base, form.filters, partner_paths, now), now)
    challenges = with_images(challenges.select_related("locale"), "listing_image", CARD_IMAGE_SPEC)
    context = listing_context(
        request,
        form,
        challenges,
        per_page=CHALLENGES_PER_PAGE,
        count=lambda filters: filter_challenges(base, filters, partner_paths, now).count(),
    )
    page = context["items"]
    page.object_list = list(page.object_list)
    for challenge in page.object_list:
        partner = partners.get(challenge.path[:-STEPLEN])
        challenge.partner_title = partner[1] if partner else ""
    context.update(challenges=page, now=now)
    return context

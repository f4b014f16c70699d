"""The partner directory's filters: a plain GET form and one query."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale

from home.choices import Comune
from home.fields import ChoiceListField
from home.images import with_images

from .choices import DISTRICT, PartnerType, Sector
from .listing import ListingFilterForm, listing_context

PARTNERS_PER_PAGE = 12
LOGO_SPEC = "max-160x160"


class DirectoryFilterForm(ListingFilterForm):
    type = forms.ChoiceField(
        label=_("Type of partner"),
        required=False,
        choices=[("", _("All types")), *PartnerType.choices],
    )
    comune = forms.ChoiceField(
        label=_("Comune"), required=False, choices=[("", _("All comuni")), *Comune.choices]
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )


def filter_partners(queryset, filters):
    """Apply {"type", "comune", "sector"} to a PartnerPage queryset. A partner
    working in the whole district matches every comune."""
    if filters.get("type"):
        queryset = queryset.filter(partner_type=filters["type"])
    if filters.get("comune"):
        queryset = queryset.filter(
            Q(**ChoiceListField.contains("comuni", filters["comune"]))
            | Q(**ChoiceListField.contains("comuni", DISTRICT))
        )
    if filters.get("sector"):
        queryset = queryset.filter(**ChoiceListField.contains("sectors", filters["sector"]))
    return queryset


def directory_partners(index):
    """Live public partners of this directory's language; in a translated
    directory, partners not translated yet appear in Italian."""
    from .models import PartnerPage

    partners = PartnerPage.objects.live().public()
    in_this_language = Q(path__startswith=index.path, depth=index.depth + 1)
    default_locale = Locale.get_default()
    source = None
    if index.locale_id != default_locale.pk:
        source = index.get_translation_or_none(default_locale)
    if source is not None:
        translated = partners.filter(in_this_language).values("translation_key")
        in_this_language |= Q(path__startswith=source.path, depth=source.depth + 1) & ~Q(
            translation_key__in=translated
        )
    partners = partners.filter(in_this_language).select_related("locale")
    return with_images(partners, "logo", LOGO_SPEC).order_by("title", "pk")


def directory_context(index, request):
    form = DirectoryFilterForm(request.GET or None)
    base = directory_partners(index)
    context = listing_context(
        request,
        form,
        filter_partners(base, form.filters),
        per_page=PARTNERS_PER_PAGE,
        count=lambda filters: filter_partners(base, filters).count(),
    )
    context["partners"] = context["items"]
    return context

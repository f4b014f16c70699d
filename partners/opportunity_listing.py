"""Finding opportunities: the index's filters (a plain GET form), open and
closed computed against the time of the request, and the lists the
template tags show. Every list is one query (plus pagination's count)."""

from django import forms
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale, Page

from home.choices import Comune
from home.fields import ChoiceListField

from .choices import DISTRICT, Audience, CallState, OpportunityKind
from .listing import ListingFilterForm, listing_context

PER_PAGE = 12
# The "show" filter: open ones (the default) or the archive of closed ones.
OPEN, CLOSED = CallState.OPEN, CallState.CLOSED


class OpportunityFilterForm(ListingFilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OpportunityKind.choices]
    )
    audience = forms.ChoiceField(
        label=_("For"), required=False, choices=[("", _("Any audience")), *Audience.choices]
    )
    comune = forms.ChoiceField(
        label=_("Comune"), required=False, choices=[("", _("All comuni")), *Comune.choices]
    )
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[(OPEN, _("Open only")), (CLOSED, _("Closed (archive)"))],
    )

    # "Open only" is what the index shows anyway, not a filter the visitor chose.
    defaults = {"status": OPEN}


def open_q(now):
    return Q(ongoing=True) | Q(deadline__gte=now)


def filter_opportunities(queryset, filters, now):
    """Apply {"kind", "audience", "comune", "status"}. An opportunity for the
    whole district matches every comune; one for "everyone" every audience."""
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("audience"):
        queryset = queryset.filter(
            Q(**ChoiceListField.contains("audiences", filters["audience"]))
            | Q(**ChoiceListField.contains("audiences", Audience.EVERYONE))
        )
    if filters.get("comune"):
        queryset = queryset.filter(Q(comune=filters["comune"]) | Q(comune=DISTRICT))
    if filters.get("status") == CLOSED:
        return queryset.exclude(open_q(now)).order_by(F("deadline").desc(), "title", "pk")
    return queryset.filter(open_q(now)).order_by(F("deadline").asc(nulls_last=True), "title", "pk")


def parent_title():
    """The title of the outer page's parent (an opportunity's partner), as
    a subquery."""
    parent = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    )
    return Subquery(parent.values("title")[:1])


def with_partner_title(queryset):
    """Annotate each opportunity with its parent's (the partner's) title,
    in the same query."""
    return queryset.annotate(partner_title=parent_title())


def in_language(queryset, locale):
    """Opportunities in `locale`; in another language than the default, those
    not translated yet appear in the default language rather than vanish."""
    default_locale = Locale.get_default()
    if locale.pk == default_locale.pk:
        return queryset.filter(locale=locale)
    translated = queryset.filter(locale=locale).values("translation_key")
    return queryset.filter(
        Q(locale=locale) | (Q(locale=default_locale) & ~Q(translation_key__in=translated))
    )


def public_opportunities(locale):
    from .models import OpportunityPage

    return with_partner_title(
        in_language(OpportunityPage.objects.live().public(), locale).select_related("locale")
    )


def index_context(index, request):
    now = timezone.now()
    form = OpportunityFilterForm(request.GET or None)
    base = public_opportunities(index.locale)
    context = listing_context(
        request,
        form,
        filter_opportunities(base, form.filters, now),
        per_page=PER_PAGE,
        count=lambda filters: filter_opportunities(base, filters, now).count(),
    )
    context.update(
        opportunities=context["items"], archive=form.filters.get("status") == CLOSED, now=now
    )
    return context


def closing_soon_queryset(locale, now):
    """Open opportunities with a deadline, the nearest first."""
    return (
        public_opportunities(locale)
        .filter(ongoing=False, deadline__gte=now)
        .order_by("deadline", "title", "pk")
    )


def closing_soon(locale, limit=3):
    return list(closing_soon_queryset(locale, timezone.now())[:limit])


def opportunities_for(page, locale, limit=6):
    """Open opportunities that list `page` (in any of its languages) among
    their related courses and challenges."""
    now = timezone.now()
    return list(
        public_opportunities(locale)
        .filter(related_pages__page__translation_key=page.translation_key)
        .filter(open_q(now))
        .distinct()
        .order_by(F("deadline").asc(nulls_last=True), "title", "pk")[:limit]
    )

"""The donations report in Wagtail's admin (Reports → Donations), with
filters, totals and CSV/XLSX export for the accounts. Staff only."""

from decimal import Decimal

import django_filters

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseForbidden
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from academy_site.date_articles import date_with_article
from home.exports import SpreadsheetExport

from .choices import DisputeStatus, DonationStatus, DonorType, Frequency
from .models import Donation, Payment, RenewalFailure
from .permissions import can_see_donations


class DonationFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    donor_type = django_filters.ChoiceFilter(label=_("Donor type"), choices=DonorType.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DonationStatus.choices)
    frequency = django_filters.ChoiceFilter(label=_("Frequency"), choices=Frequency.choices)
    attention = django_filters.ChoiceFilter(
        label=_("Needs attention"),
        choices=[
            ("renewal_failed", _("Monthly payment failed")),
            ("disputed", _("Payment disputed by the bank")),
        ],
        method="filter_attention",
    )

    class Meta:
        model = Donation
        fields = ["created_at", "donor_type", "status", "frequency", "attention"]

    def filter_attention(self, queryset, name, value):
        # Through subqueries: a join here would multiply the report's sums.
        if value == "renewal_failed":
            failed = RenewalFailure.objects.filter(resolved_at__isnull=True)
            return queryset.filter(pk__in=failed.values("donation"))
        if value == "disputed":
            return queryset.filter(
                pk__in=Payment.objects.exclude(dispute_status="").values("donation")
            )
        return queryset


def _euros(cents):
    return (Decimal(cents or 0) / 100).quantize(Decimal("0.01"))


class EuroColumn(Column):
    """Euros as the admin's language writes them (1.000,00 in Italian), like
    the totals above the table; the exports keep plain numbers."""

    def get_value(self, instance):
        return number_format(_euros(super().get_value(instance)), 2, force_grouping=True)


def _day(value):
    return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")


def attention(item):
    """What staff should look at about a gift (a failed monthly payment, a
    dispute), from the report's annotations, in the admin's language."""
    notes = []
    if item.renewal_failed_at:
        failed = gettext("Monthly payment failed on %(day)s") % {
            "day": date_with_article(_day(item.renewal_failed_at), "il")
        }
        if item.renewal_next_attempt_at:
            retry = gettext("Stripe tries again on %(day)s") % {
                "day": date_with_article(_day(item.renewal_next_attempt_at), "il")
            }
        else:
            retry = gettext("Stripe will not try again")
        notes.append(f"{failed}: {retry}")
    if item.disputes_open:
        notes.append(
            ngettext(
                "Payment disputed by the bank: answer in Stripe",
                "%(count)d payments disputed by the bank: answer in Stripe",
                item.disputes_open,
            )
            % {"count": item.disputes_open}
        )
    if item.lost_total_cents:
        notes.append(
            gettext("Dispute lost: € %(amount)s taken back")
            % {"amount": number_format(_euros(item.lost_total_cents), 2, force_grouping=True)}
        )
    if item.disputes_won:
        notes.append(gettext("Dispute won"))
    return "; ".join(notes)


class AttentionColumn(Column):
    def get_value(self, instance):
        return attention(instance)


class DonationReportView(SpreadsheetExport, ReportView):
    page_title = _("Donations")
    header_icon = "pick"
    index_url_name = "donations_report"
    index_results_url_name = "donations_report_results"
    filterset_class = DonationFilterSet
    results_template_name = "donations/admin/report_results.html"
    paginate_by = 50
    columns = [
        DateColumn("created_at", label=_("Date")),
        Column("donor_name", label=_("Donor")),
        Column("get_donor_type_display", label=_("Donor type")),
        Column("get_frequency_display", label=_("Frequency")),
        EuroColumn("amount_cents", label=_("Amount (EUR)")),
        EuroColumn("received_cents", label=_("Received (EUR)")),
        EuroColumn("refunded_total_cents", label=_("Refunded (EUR)")),
        Column("get_status_display", label=_("Status")),
        AttentionColumn("attention", label=_("Needs attention")),
        # Long addresses break anywhere rather than push the table wider
        # than the admin's main column (report_results.html).
        Column("email", label=_("E-mail"), classname="donation-report__email"),
    ]
    export_name = "donations"
    export_columns = [
        ("created_at", _("Date")),
        ("uuid", _("Reference")),
        ("donor_name", _("Donor")),
        ("get_donor_type_display", _("Donor type")),
        ("tax_code", _("Codice fiscale or partita IVA")),
        ("street", _("Street and number")),
        ("postcode", _("Postcode")),
        ("city", _("Town")),
        ("province", _("Province")),
        ("country", _("Country")),
        ("email", _("E-mail")),
        ("get_frequency_display", _("Frequency")),
        ("amount_euros", _("Amount (EUR)")),
        ("received_euros", _("Received (EUR)")),
        ("refunded_euros", _("Refunded (EUR)")),
        ("lost_euros", _("Lost in disputes (EUR)")),
        ("payments_count", _("Payments")),
        ("get_status_display", _("Status")),
        ("attention", _("Needs attention")),
        ("anonymous", _("Anonymous")),
        ("stripe_checkout_session_id", _("Stripe Checkout Session")),
        ("stripe_subscription_id", _("Stripe subscription")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not can_see_donations(request.user):
            # A plain 403: Wagtail would turn PermissionDenied into a redirect.
            return HttpResponseForbidden(_("Only the Academy staff can see the donations."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        zero = Value(0)
        failure = RenewalFailure.objects.filter(
            donation=OuterRef("pk"), resolved_at__isnull=True
        ).order_by("-failed_at")
        return Donation.objects.annotate(
            received_cents=Coalesce(Sum("payments__amount_cents"), zero),
            refunded_total_cents=Coalesce(Sum("payments__refunded_cents"), zero),
            lost_total_cents=Coalesce(Sum("payments__lost_cents"), zero),
            payments_count=Count("payments"),
            disputes_open=Count(
                "payments", filter=Q(payments__dispute_status__in=DisputeStatus.open())
            ),
            disputes_won=Count("payments", filter=Q(payments__dispute_status=DisputeStatus.WON)),
            renewal_failed_at=Subquery(failure.values("failed_at")[:1]),
            renewal_next_attempt_at=Subquery(failure.values("next_attempt_at")[:1]),
        ).order_by("-created_at")

    def to_row_dict(self, item):
        item.amount_euros = _euros(item.amount_cents)
        item.received_euros = _euros(item.received_cents)
        item.refunded_euros = _euros(item.refunded_total_cents)
        item.lost_euros = _euros(item.lost_total_cents)
        item.attention = attention(item)
        return super().to_row_dict(item)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filtered = self.filter_queryset(Donation.objects.all())
        totals = filtered.aggregate(
            received=Coalesce(Sum("payments__amount_cents"), Value(0)),
            refunded=Coalesce(Sum("payments__refunded_cents"), Value(0)),
            lost=Coalesce(Sum("payments__lost_cents"), Value(0)),
            gifts=Count(
                "pk",
                distinct=True,
                filter=Q(
                    payments__amount_cents__gt=F("payments__refunded_cents")
                    + F("payments__lost_cents")
                ),
            ),
        )
        context["totals"] = {
            "received": Decimal(totals["received"]) / 100,
            "refunded": Decimal(totals["refunded"]) / 100,
            "lost": Decimal(totals["lost"]) / 100,
            "net": Decimal(totals["received"] - totals["refunded"] - totals["lost"]) / 100,
            "gifts": totals["gifts"],
        }
        return context

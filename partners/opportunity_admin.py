"""Enquiries in the admin (menu "Enquiries"): staff see every enquiry, a
partner's editors see their own partner's, nobody else sees any."""

import django_filters

from django.http import HttpResponseForbidden
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from home.exports import SpreadsheetExport

from .models import Enquiry
from .moderation import is_academy_staff


def visible_enquiries(user):
    """The enquiries `user` may read."""
    if not user.is_authenticated or not user.is_active:
        return Enquiry.objects.none()
    if is_academy_staff(user):
        return Enquiry.objects.all()
    return Enquiry.objects.filter(partner__group__in=user.groups.all())


def can_see_enquiries(user):
    if not user.is_authenticated or not user.is_active:
        return False
    return is_academy_staff(user) or user.groups.filter(partner_pages__isnull=False).exists()


class EnquiryFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Sent on"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Enquiry
        fields = ["created_at"]


class EnquiryReportView(SpreadsheetExport, ReportView):
    page_title = _("Enquiries")
    header_icon = "mail"
    index_url_name = "partners_enquiries"
    index_results_url_name = "partners_enquiries_results"
    filterset_class = EnquiryFilterSet
    paginate_by = 50
    columns = [
        DateColumn("created_at", label=_("Sent on")),
        Column("opportunity_title", label=_("Opportunity")),
        Column("partner", label=_("Partner")),
        Column("name", label=_("Name")),
        Column("email", label=_("E-mail")),
        Column("phone", label=_("Phone")),
        Column("message", label=_("Message")),
    ]
    export_name = "enquiries"
    export_columns = [
        ("created_at", _("Sent on")),
        ("opportunity_title", _("Opportunity")),
        ("partner", _("Partner")),
        ("name", _("Name")),
        ("email", _("E-mail")),
        ("phone", _("Phone")),
        ("message", _("Message")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not can_see_enquiries(request.user):
            # A plain 403: Wagtail would turn PermissionDenied into a redirect.
            return HttpResponseForbidden(
                _("Only the Academy staff and the partners' editors can see enquiries.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            visible_enquiries(self.request.user)
            .select_related("partner")
            .order_by("-created_at", "-pk")
        )


def admin_urls():
    return [
        path("partners/enquiries/", EnquiryReportView.as_view(), name="partners_enquiries"),
        path(
            "partners/enquiries/results/",
            EnquiryReportView.as_view(results_only=True),
            name="partners_enquiries_results",
        ),
    ]


class EnquiriesMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_enquiries(request.user)


def menu_item():
    return EnquiriesMenuItem(
        _("Enquiries"), reverse("partners_enquiries"), name="enquiries", icon_name="mail", order=260
    )

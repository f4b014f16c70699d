from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .permissions import can_see_donations
from .report import DonationReportView


@hooks.register("register_admin_urls")
def register_donation_report_urls():
    return [
        path("reports/donations/", DonationReportView.as_view(), name="donations_report"),
        path(
            "reports/donations/results/",
            DonationReportView.as_view(results_only=True),
            name="donations_report_results",
        ),
    ]


class StaffOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_donations(request.user)


@hooks.register("register_reports_menu_item")
def register_donation_report_menu_item():
    return StaffOnlyMenuItem(
        _("Donations"), reverse("donations_report"), name="donations", icon_name="pick", order=1000
    )

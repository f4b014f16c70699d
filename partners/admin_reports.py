"""Site-wide reports a partner must not read.

Wagtail's "Page types usage" report and wagtail-localize's "Translations"
report list pages of the whole site, drafts included, whatever the user may
edit: a partner would read other partners' page titles. Partner users (in a
partner's group, not Academy staff) get neither the menu item
(`hide_from_partners`, a `construct_reports_menu` hook) nor the view
(`SiteWideReportsGuard`, by URL name, so it holds for the results and export
URLs too and whatever path Wagtail gives them); staff and superusers keep
both. The views are told by their URL names, not paths."""

from django.urls import reverse

from wagtail.admin.auth import permission_denied

from .moderation import is_academy_staff
from .onboarding import partners_of

# The reports' views (their page, the filtered results, the exports).
HIDDEN_VIEWS = frozenset(
    {
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
        "wagtail_localize:translations_report",
        "wagtail_localize:translations_report_results",
    }
)
# The views their menu items open.
HIDDEN_MENU_VIEWS = (
    "wagtailadmin_reports:page_types_usage",
    "wagtail_localize:translations_report",
)


def may_see_site_wide_reports(user):
    return is_academy_staff(user) or not partners_of(user).exists()


def hide_from_partners(request, menu_items):
    if may_see_site_wide_reports(request.user):
        return
    urls = {reverse(name) for name in HIDDEN_MENU_VIEWS}
    menu_items[:] = [item for item in menu_items if item.url not in urls]


class SiteWideReportsGuard:
    """Refuses the hidden reports' views to partner users, as Wagtail refuses
    an admin area (back to the dashboard with a message)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in HIDDEN_VIEWS:
            return None
        if request.user.is_authenticated and not may_see_site_wide_reports(request.user):
            return permission_denied(request)
        return None

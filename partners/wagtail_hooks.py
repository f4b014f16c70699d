from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import PageExplorerMenuItem
from wagtail.admin.wagtail_hooks import ExplorerMenuItem
from wagtail.models import Page, WorkflowState, get_default_page_content_type

from . import admin_reports, views
from .moderation import is_academy_staff, with_names_translated
from .onboarding import partners_of


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("partners/invite/", views.invite, name="partners_invite"),
        path("partners/invitations/", views.invitations, name="partners_invitations"),
        path(
            "partners/invitations/<int:user_id>/resend/",
            views.resend,
            name="partners_resend_invitation",
        ),
    ]


class StaffOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return is_academy_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_invite_menu_item():
    return StaffOnlyMenuItem(
        _("Invite a partner"),
        reverse("partners_invite"),
        name="invite-partner",
        icon_name="group",
        order=250,
    )


class PartnerSectionPanel(Component):
    """Dashboard for partner users: their section and what waits for staff."""

    name = "partner_section"
    template_name = "partners/admin/dashboard_panel.html"
    order = 50

    def __init__(self, partners):
        self.partners = partners

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        sections = []
        for partner in self.partners:
            pages = (
                Page.objects.descendant_of(partner, inclusive=True)
                .filter(locale_id=partner.locale_id)
                .select_related("content_type")
                .order_by("path")
            )
            sections.append({"partner": partner, "pages": pages})
        section_filter = None
        for partner in self.partners:
            condition = Page.objects.descendant_of_q(partner, inclusive=True)
            section_filter = condition if section_filter is None else section_filter | condition
        waiting = Page.objects.none()
        changes_requested = Page.objects.none()
        if section_filter is not None:
            in_section = Page.objects.filter(section_filter)
            waiting = (
                in_section.filter(_workflow_states__status=WorkflowState.STATUS_IN_PROGRESS)
                .distinct()
                .order_by("title")
            )
            changes_requested = (
                in_section.filter(_workflow_states__status=WorkflowState.STATUS_NEEDS_CHANGES)
                .distinct()
                .order_by("title")
            )
        # A page sent for approval, or sent back by staff, read "Draft" in
        # the status column: say where it stands.
        waiting = list(waiting)
        changes_requested = list(changes_requested)
        # The staff's comment, where they wrote one (the rejected task's).
        comments = dict(
            WorkflowState.objects.filter(
                status=WorkflowState.STATUS_NEEDS_CHANGES,
                base_content_type_id=get_default_page_content_type().pk,
                object_id__in=[str(page.pk) for page in changes_requested],
            ).values_list("object_id", "current_task_state__comment")
        )
        for page in changes_requested:
            page.staff_comment = comments.get(str(page.pk)) or ""
        workflow_status = {page.pk: _("Waiting for approval") for page in waiting}
        workflow_status.update(
            {page.pk: _("Changes requested by staff") for page in changes_requested}
        )
        for section in sections:
            section["pages"] = list(section["pages"])
            for page in section["pages"]:
                page.workflow_status = workflow_status.get(page.pk)
        context.update(
            {"sections": sections, "waiting": waiting, "changes_requested": changes_requested}
        )
        return context


@hooks.register("construct_homepage_panels")
def add_partner_panel(request, panels):
    partners = list(partners_of(request.user))
    if partners:
        panels.append(PartnerSectionPanel(partners))


def own_sections(request):
    """The partner profiles whose section the user edits, for the admin's
    menu and dashboard to open and count; none for the Academy staff, who
    keep Wagtail's whole-site views. Read once per request."""
    if not hasattr(request, "_own_sections"):
        user = request.user
        request._own_sections = [] if is_academy_staff(user) else list(partners_of(user))
    return request._own_sections


class PartnerPagesSummaryItem(PagesSummaryItem):
    """The dashboard's page count for a partner: the pages of its own
    section, linking to it. Wagtail counts every page under the user's
    explorable root, which for a partner with an Italian and an English
    section is the tree's root: "116 Pages", the whole site's, linking to
    the two home pages."""

    def __init__(self, request, partners):
        super().__init__(request)
        self.partners = partners

    def get_context_data(self, parent_context):
        in_sections = Page.objects.none()
        for partner in self.partners:
            in_sections |= Page.objects.descendant_of(partner, inclusive=True).filter(
                locale_id=partner.locale_id
            )
        return {
            "root_page": self.partners[0],
            "total_pages": in_sections.count(),
            "site_name": self.partners[0].title,
        }


# After Wagtail's own hook, which adds the page count (same order, earlier app).
@hooks.register("construct_homepage_summary_items", order=100)
def count_the_partners_own_pages(request, summary_items):
    if partners := own_sections(request):
        summary_items[:] = [
            PartnerPagesSummaryItem(request, partners) if type(item) is PagesSummaryItem else item
            for item in summary_items
        ]


class SectionExplorerMenuItem(ExplorerMenuItem):
    """The menu's "Pages" for a partner, opening its own section. Wagtail
    opens the user's explorable root: for a partner with an Italian and an
    English section, the tree's root, two home pages and a warning that
    pages created there cannot be reached."""

    def __init__(self, item, section):
        super().__init__(
            item.label,
            reverse("wagtailadmin_explore", args=[section.pk]),
            name=item.name,
            classname=item.classname,
            icon_name=item.icon_name,
            attrs=item.attrs,
            order=item.order,
        )
        self.section = section

    def render_component(self, request):
        return PageExplorerMenuItem(
            self.name,
            self.label,
            self.url,
            self.section.pk,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


@hooks.register("construct_main_menu")
def open_the_partners_section(request, menu_items):
    if partners := own_sections(request):
        menu_items[:] = [
            SectionExplorerMenuItem(item, partners[0]) if item.name == "explorer" else item
            for item in menu_items
        ]


class SubmitInTheUsersLanguage(SubmitForModerationMenuItem):
    """Wagtail's "Submit to <workflow>" / "Resubmit to <task>", the button a
    partner presses most, with the workflow's and task's names in the
    user's language: they are stored in English (partners/moderation.py),
    and an Italian partner read "Invia a Academy staff approval"."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = with_names_translated(str(context["label"]))
        return context


@hooks.register("construct_page_action_menu")
def submit_in_the_users_language(menu_items, request, context):
    for index, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            menu_items[index] = SubmitInTheUsersLanguage(order=item.order)


# Site-wide reports that would show partners other partners' pages.
hooks.register("construct_reports_menu", admin_reports.hide_from_partners)


# --- Opportunities: enquiries received through the contact form ------------
from . import opportunity_admin  # noqa: E402


@hooks.register("register_admin_urls")
def register_enquiry_urls():
    return opportunity_admin.admin_urls()


@hooks.register("register_admin_menu_item")
def register_enquiry_menu_item():
    return opportunity_admin.menu_item()


# --- end opportunities ------------------------------------------------------
# --- challenges: application review (partners/challenge_admin.py registers
# its admin URLs, menu item and page-deletion guard when imported) ---
from . import challenge_admin  # noqa: E402, F401
# --- end challenges ---

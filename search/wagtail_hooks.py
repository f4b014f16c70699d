from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_views


class ShownIf(MenuItem):
    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def is_shown(self, request):
        return self.check(request.user)


class DemandMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return admin_views.can_see_requests(request.user)


def can_see_needs(user):
    return user.has_perm("partners.view_labourneed") or user.has_perm("partners.change_labourneed")


@hooks.register("register_admin_urls")
def register_demand_urls():
    return [
        path("demand/requests/", admin_views.course_requests, name="search_course_requests"),
        path("demand/searches/", admin_views.missed_queries, name="search_missed_queries"),
    ]


def demand_menu():
    return Menu(
        register_hook_name="register_demand_menu_item",
        construct_hook_name="construct_demand_menu",
    )


@hooks.register("register_demand_menu_item")
def needs_item():
    return ShownIf(
        _("Labour needs (observatories)"),
        reverse("wagtailsnippets_partners_labourneed:list"),
        name="labour-needs",
        icon_name="list-ul",
        order=100,
        check=can_see_needs,
    )


@hooks.register("register_demand_menu_item")
def requests_item():
    return ShownIf(
        _("Course requests"),
        reverse("search_course_requests"),
        name="course-requests",
        icon_name="help",
        order=200,
        check=admin_views.can_see_requests,
    )


@hooks.register("register_demand_menu_item")
def missed_item():
    return ShownIf(
        _("Searches without results"),
        reverse("search_missed_queries"),
        name="missed-searches",
        icon_name="search",
        order=300,
        check=admin_views.can_see_missed_queries,
    )


@hooks.register("register_admin_menu_item")
def register_demand_menu():
    return DemandMenuItem(_("Demand"), demand_menu(), name="demand", icon_name="pick", order=260)

"""Wagtail admin hooks of the courses app."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import venue_admin
from .models import Venue

# --- Sign-ups (courses/admin_views.py) ---------------------------------------


@hooks.register("register_admin_urls")
def register_signup_urls():
    from . import admin_views as views

    urls = [
        path("", views.sessions_overview, name="overview"),
        path("list/", views.signup_list, name="list"),
        path("export.<str:fmt>", views.export, name="export"),
        path("session/<int:session_id>/", views.session_detail, name="session"),
        path("signup/<int:signup_id>/<str:action>/", views.signup_action, name="action"),
        path("person/", views.person, name="person"),
    ]
    return [path("signups/", include((urls, "course_signups"), namespace="course_signups"))]


class SignupsMenuItem(MenuItem):
    def is_shown(self, request):
        from .admin_views import can_see_signups

        return can_see_signups(request.user)


@hooks.register("register_admin_menu_item")
def register_signups_menu_item():
    return SignupsMenuItem(
        gettext_lazy("Sign-ups"),
        reverse("course_signups:overview"),
        icon_name="group",
        order=250,
        name="signups",
    )


class UpcomingSessionsPanel(Component):
    name = "upcoming_sessions"
    order = 90
    template_name = "courses/signup/admin/dashboard_panel.html"

    def __init__(self, sessions):
        self.sessions = sessions

    def get_context_data(self, parent_context=None):
        return {"sessions": self.sessions}


@hooks.register("construct_homepage_panels")
def add_upcoming_sessions_panel(request, panels):
    from django.utils import timezone

    from .admin_views import can_see_signups, visible_sessions, with_series_seats

    if not can_see_signups(request.user):
        return
    sessions = with_series_seats(
        list(
            visible_sessions(request.user)
            .with_seats()
            .select_related("page")
            .filter(start__gte=timezone.now())
            .order_by("start")[:8]
        )
    )
    panels.append(UpcomingSessionsPanel(sessions))


def _has_signups(page):
    from .models import Signup

    return Signup.objects.filter(session__page__path__startswith=page.path).exists()


def _refuse_message(request, page):
    messages.error(
        request,
        _(
            "'%(title)s' cannot be deleted: people have signed up for its sessions. "
            "Cancel the sessions instead (set their status to 'Cancelled'), so everyone "
            "signed up is told; sign-ups are kept for the statistics and removed "
            "automatically after the retention period."
        )
        % {"title": page.get_admin_display_title()},
    )


@hooks.register("before_delete_page")
def refuse_deleting_courses_with_signups(request, page):
    if _has_signups(page):
        _refuse_message(request, page)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_courses_with_signups(request, action_type, objects, action_class):
    from wagtail.models import Page

    if action_type != "delete":
        return None
    booked = [obj for obj in objects if isinstance(obj, Page) and _has_signups(obj)]
    for page in booked:
        _refuse_message(request, page)
    if booked:
        return redirect("wagtailadmin_explore", booked[0].get_parent().pk)
    return None


# --- end sign-ups ----------------------------------------------------------------


# --- Venues: partners add them, and change or delete their own --------------
# The policy is registered before the snippet, so that no view ever falls
# back to Wagtail's model-wide policy (courses/venue_admin.py).
register_permission_policy(Venue, venue_admin.venue_permission_policy)
register_snippet(venue_admin.VenueViewSet)
hooks.register("before_delete_snippet", venue_admin.refuse_deleting_venues_in_use)

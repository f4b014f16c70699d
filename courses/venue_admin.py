"""Venues in the admin: who may add, change and delete them.

Venues are shared public places (a library, a parish hall): every editor may
choose any of them for a session. Anyone with ``add_venue`` may add one, in
Snippets or right from the session's venue chooser ("New venue"); the venue
then records the group of the partner who added it, and that partner's
editors may change or delete it. Venues with no such group (added by staff,
or the demo) are changed only by users with ``change_venue`` and
``delete_venue``: the Academy staff and superusers, who may change them all.

`GroupOwnershipPermissionPolicy` says so for every view that asks the policy
(listing buttons, bulk actions, the chooser's creation tab); the views below
add the per-venue check that Wagtail's generic edit, copy, delete, usage and
history views leave out (they ask for the model-wide permission only).
Where a venue is used names only the courses the user may edit: the others
are counted (`usage_by_editor`).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.views import chooser as chooser_views
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CoursePage, CourseSession, Venue

OWN_ACTIONS = ("change", "delete")


class GroupOwnershipPermissionPolicy(ModelPermissionPolicy):
    """Like Wagtail's `OwnershipPermissionPolicy`, with a group for owner.

    * ``add`` permission: add instances, and change and delete those whose
      owner group the user belongs to;
    * ``change`` / ``delete`` permission: change / delete every instance;
    * any other action: the model permission of that name, as in
      `ModelPermissionPolicy` (active superusers may do everything).
    """

    group_ids_cache_name = "_owner_group_ids_cache"

    def __init__(self, model, auth_model=None, owner_field_name="added_by_group"):
        super().__init__(model, auth_model=auth_model)
        self.owner_field_name = owner_field_name

    def _group_ids(self, user):
        """The user's groups, read once per request (the listing asks per row)."""
        if not hasattr(user, self.group_ids_cache_name):
            ids = set(user.groups.values_list("pk", flat=True)) if user.is_active else set()
            setattr(user, self.group_ids_cache_name, ids)
        return getattr(user, self.group_ids_cache_name)

    def _may_add(self, user):
        return user.has_perm(self._get_permission_name("add"))

    def _has_model_permission(self, user, action):
        return super().user_has_permission(user, action)

    def _owns(self, user, instance):
        owner_id = getattr(instance, f"{self.owner_field_name}_id")
        return owner_id is not None and owner_id in self._group_ids(user)

    def user_has_permission(self, user, action):
        if action in OWN_ACTIONS and self._may_add(user):
            # There may be instances they own.
            return True
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        if set(actions) & set(OWN_ACTIONS):
            actions = {*actions, "add"}
        return super().users_with_any_permission(actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        for action in actions:
            if self._has_model_permission(user, action):
                return True
            if action in OWN_ACTIONS and self._may_add(user) and self._owns(user, instance):
                return True
        return False

    def instances_user_has_any_permission_for(self, user, actions):
        manager = self.model._default_manager
        if any(self._has_model_permission(user, action) for action in actions):
            return manager.all()
        if set(actions) & set(OWN_ACTIONS) and self._may_add(user):
            return manager.filter(**{f"{self.owner_field_name}_id__in": self._group_ids(user)})
        return manager.none()

    def users_with_any_permission_for_instance(self, actions, instance):
        users = super().users_with_any_permission(actions)
        owner_id = getattr(instance, f"{self.owner_field_name}_id")
        if not set(actions) & set(OWN_ACTIONS) or owner_id is None:
            return users
        adders = super().users_with_any_permission(["add"]).filter(groups=owner_id)
        return get_user_model().objects.filter(
            Q(pk__in=users.values("pk")) | Q(pk__in=adders.values("pk"))
        )


venue_permission_policy = GroupOwnershipPermissionPolicy(Venue)


def owner_group_for(user):
    """The group recorded on a venue `user` adds: none for those who may
    change every venue (staff), otherwise the first of the user's groups
    that may add venues (a partner's group)."""
    if user.has_perm("courses.change_venue"):
        return None
    return (
        Group.objects.filter(
            pk__in=user.groups.values("pk"),
            permissions__content_type__app_label="courses",
            permissions__codename="add_venue",
        )
        .order_by("name")
        .first()
    )


def venues_in_use(venues):
    """The venues among `venues` that a session takes place at, or will once
    a draft or a scheduled revision of its course is published."""
    ids = {venue.pk for venue in venues}
    used = set(CourseSession.objects.filter(venue_id__in=ids).values_list("venue_id", flat=True))
    pending = Revision.page_revisions.filter(
        Q(pk__in=CoursePage.objects.filter(has_unpublished_changes=True).values("latest_revision"))
        | Q(
            approved_go_live_at__isnull=False,
            content_type__app_label="courses",
            content_type__model="coursepage",
        )
    )
    for content in pending.values_list("content", flat=True).iterator():
        for session in content.get("sessions") or []:
            if session.get("venue") in ids:
                used.add(session["venue"])
    return [venue for venue in venues if venue.pk in used]


def usage_by_editor(user, venue):
    """Where `venue` is used, as `user` may see it: the references from the
    pages they may edit, and how many other pages or objects use it.

    Every editor may hold sessions at any venue, so a partner's venue is used
    by other partners' courses too, drafts included: those are counted,
    never named nor linked. Staff and superusers may edit every course, so
    they see them all."""
    references = ReferenceIndex.get_references_to(venue)
    editable = (
        PagePermissionPolicy()
        .instances_user_has_permission_for(user, "change")
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )
    shown = references.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id__in=editable
    )
    hidden = (
        references.exclude(pk__in=shown.values("pk"))
        .values("base_content_type", "object_id")
        .distinct()
        .count()
    )
    return shown, hidden


def refuse_deleting_venues_in_use(request, objects):
    """`before_delete_snippet`: sessions are never lost with their venue
    (the foreign key protects them too), and the editor is told why."""
    venues = [obj for obj in objects if isinstance(obj, Venue)]
    in_use = venues_in_use(venues) if venues else []
    for venue in in_use:
        messages.error(
            request,
            _(
                "The venue “%(venue)s” cannot be deleted: sessions take place there, "
                "or will once a draft is published. Choose another venue for those "
                "sessions first."
            )
            % {"venue": venue},
        )
    if in_use:
        return redirect(Venue.snippet_viewset.get_url_name("list"))
    return None


class InstancePermissionMixin:
    """Wagtail's generic edit, copy and delete views check the model-wide
    permission only: also check it for this venue."""

    instance_actions = ()

    def dispatch(self, request, *args, **kwargs):
        instance = getattr(self, "object", None) or self.get_object()
        if not venue_permission_policy.user_has_any_permission_for_instance(
            request.user, self.instance_actions, instance
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OwnerRecordedMixin:
    """A partner's new venue is its group's; staff choose in the form (the
    field is theirs only: `Venue.panels`)."""

    def save_instance(self):
        if not self.request.user.has_perm("courses.change_venue"):
            self.form.instance.added_by_group = owner_group_for(self.request.user)
        return super().save_instance()


class VenueIndexView(snippet_views.IndexView):
    """Edit and delete links only on the venues the user may change."""

    def get_edit_url(self, instance):
        if self.user_has_permission_for_instance("change", instance):
            return super().get_edit_url(instance)
        return None

    def get_copy_url(self, instance):
        if self.user_has_permission_for_instance("change", instance):
            return super().get_copy_url(instance)
        return None

    def get_delete_url(self, instance):
        if self.user_has_permission_for_instance("delete", instance):
            return super().get_delete_url(instance)
        return None


class VenueCreateView(OwnerRecordedMixin, snippet_views.CreateView):
    pass


class VenueCopyView(InstancePermissionMixin, OwnerRecordedMixin, snippet_views.CopyView):
    instance_actions = ("change",)


class VenueEditView(InstancePermissionMixin, snippet_views.EditView):
    instance_actions = ("change",)


class VenueDeleteView(InstancePermissionMixin, snippet_views.DeleteView):
    instance_actions = ("delete",)


class VenueUsageView(InstancePermissionMixin, snippet_views.UsageView):
    """Where a venue is used: only for those who may change the venue, and
    listing only the courses they may edit (`usage_by_editor`); Wagtail would
    list each of the others as a "private page" row."""

    instance_actions = ("change",)
    results_template_name = "courses/venue_admin/usage_results.html"

    def get_queryset(self):
        shown, self.hidden_count = usage_by_editor(self.request.user, self.object)
        return shown.group_by_source_object()

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["hidden_count"] = self.hidden_count
        return context


class VenueHistoryView(InstancePermissionMixin, snippet_views.HistoryView):
    instance_actions = ("change",)


class VenueAdminForm(WagtailAdminModelForm):
    """The snippet's form: the partner who keeps the venue (a field the
    staff alone see) is chosen among the partners' groups, by name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("added_by_group")
        if field is not None:
            from partners.models import PartnerPage

            field.queryset = Group.objects.filter(
                pk__in=PartnerPage.objects.exclude(group=None).values("group")
            ).order_by("name")
            field.label = _("Partner who keeps it")
            field.empty_label = _("The Academy staff")


class VenueCreationForm(WagtailAdminModelForm):
    class Meta:
        model = Venue
        fields = ["name", "address", "comune", "accessibility", "latitude", "longitude"]


class VenueChooserCreateView(chooser_views.SnippetCreateView):
    def save_form(self, form):
        venue = form.save(commit=False)
        venue.added_by_group = owner_group_for(self.request.user)
        venue.save()
        log(venue, "wagtail.create", user=self.request.user)
        return venue


class VenueChooserViewSet(SnippetChooserViewSet):
    creation_form_class = VenueCreationForm
    create_view_class = VenueChooserCreateView
    creation_tab_label = gettext_lazy("New venue")
    create_action_label = gettext_lazy("Add the venue")
    create_action_clicked_label = gettext_lazy("Adding…")


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    index_view_class = VenueIndexView
    add_view_class = VenueCreateView
    copy_view_class = VenueCopyView
    edit_view_class = VenueEditView
    delete_view_class = VenueDeleteView
    usage_view_class = VenueUsageView
    history_view_class = VenueHistoryView
    chooser_viewset_class = VenueChooserViewSet
    edit_handler = ObjectList(Venue.panels, base_form_class=VenueAdminForm)

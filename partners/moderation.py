"""The "Academy staff" group and the publishing workflow that routes every
partner's "submit for moderation" to it.

`ensure_staff_and_workflow` is idempotent and works with the historical
models of a data migration (pass the migration's `apps`) as well as with the
real ones, so the migration and the demo loader share it.
"""

from django.apps import apps as global_apps
from django.utils.translation import gettext, gettext_noop

STAFF_GROUP_NAME = "Academy staff"
# Stored in English (they identify the rows), shown in the reader's language:
# see `translate_notification_names`.
WORKFLOW_NAME = gettext_noop("Academy staff approval")
TASK_NAME = gettext_noop("Approval by Academy staff")

STAFF_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]
MEDIA_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "delete_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "delete_document", "choose_document"],
}
STAFF_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("partners", "add_labourneed"),
    ("partners", "change_labourneed"),
    ("partners", "delete_labourneed"),
    ("partners", "view_labourneed"),
]
# Translating pages (wagtail-localize's "Translate" action) and the course
# snippets: their permissions may not exist yet when migration partners/0002
# runs on a new database, so they are skipped while missing; partners/0007,
# which runs after those apps, grants them.
STAFF_LATER_PERMISSIONS = [
    ("wagtail_localize", "submit_translation"),
    ("courses", "add_venue"),
    ("courses", "change_venue"),
    ("courses", "delete_venue"),
    ("courses", "view_venue"),
    ("courses", "add_topic"),
    ("courses", "change_topic"),
    ("courses", "view_topic"),
]


def _permission(apps, app_label, codename):
    permission_model = apps.get_model("auth", "Permission")
    return permission_model.objects.get(content_type__app_label=app_label, codename=codename)


def add_existing_permissions(group, permissions, apps=global_apps):
    """Give `group` each (app_label, codename) of `permissions` that exists:
    one that does not exist yet (a data migration on a new database, before
    the app's own migrations ran) is skipped, and a later migration grants
    it."""
    permission_model = apps.get_model("auth", "Permission")
    for app_label, codename in permissions:
        permission = permission_model.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)


def _create_permissions(apps):
    """Permissions are normally created after all migrations have run; a data
    migration on a fresh database has to create them first."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def ensure_staff_and_workflow(apps=global_apps):
    if apps is not global_apps:
        _create_permissions(apps)
    group_model = apps.get_model("auth", "Group")
    page_model = apps.get_model("wagtailcore", "Page")
    collection_model = apps.get_model("wagtailcore", "Collection")
    group_page_permission = apps.get_model("wagtailcore", "GroupPagePermission")
    group_collection_permission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    workflow_model = apps.get_model("wagtailcore", "Workflow")
    workflow_task_model = apps.get_model("wagtailcore", "WorkflowTask")
    workflow_page_model = apps.get_model("wagtailcore", "WorkflowPage")
    approval_task_model = apps.get_model("wagtailcore", "GroupApprovalTask")

    staff, _created = group_model.objects.get_or_create(name=STAFF_GROUP_NAME)
    for app_label, codename in STAFF_MODEL_PERMISSIONS:
        staff.permissions.add(_permission(apps, app_label, codename))
    add_existing_permissions(staff, STAFF_LATER_PERMISSIONS, apps)

    root_page = page_model.objects.filter(depth=1).order_by("path").first()
    root_collection = collection_model.objects.filter(depth=1).order_by("path").first()
    if root_page is None or root_collection is None:
        return staff
    for codename in STAFF_PAGE_PERMISSIONS:
        group_page_permission.objects.get_or_create(
            group=staff, page=root_page, permission=_permission(apps, "wagtailcore", codename)
        )
    for app_label, codenames in MEDIA_PERMISSIONS.items():
        for codename in codenames:
            group_collection_permission.objects.get_or_create(
                group=staff,
                collection=root_collection,
                permission=_permission(apps, app_label, codename),
            )

    task = approval_task_model.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = approval_task_model.objects.create(
            name=TASK_NAME,
            active=True,
            content_type=content_type_model.objects.get_or_create(
                app_label="wagtailcore", model="groupapprovaltask"
            )[0],
        )
    task.groups.add(staff)
    workflow, _created = workflow_model.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    workflow_task_model.objects.get_or_create(
        workflow=workflow, task_id=task.pk, defaults={"sort_order": 0}
    )
    # The workflow on the root covers every language's tree, and any new one.
    workflow_page_model.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    return staff


def is_academy_staff(user):
    return user.is_active and (
        user.is_superuser or user.groups.filter(name=STAFF_GROUP_NAME).exists()
    )


class _Translated:
    """A workflow or task whose `name` reads in the active language (names
    stored in English: a name the catalogues do not know stays as it is)."""

    def __init__(self, obj):
        self._obj = obj

    def __getattr__(self, attribute):
        return getattr(self._obj, attribute)

    @property
    def name(self):
        return gettext(self._obj.name) if self._obj.name else self._obj.name

    def __str__(self):
        return self.name


def with_names_translated(text):
    """`text` with the workflow's and the task's stored (English) names in
    the active language, where Wagtail wrote them into it."""
    for name in (WORKFLOW_NAME, TASK_NAME):
        text = text.replace(name, gettext(name))
    return text


def translate_notification_names():
    """Wagtail's moderation e-mails are rendered in each recipient's language
    but print the workflow's and the task's stored names. Wrap the context of
    Wagtail's own notifiers (called from PartnersConfig.ready) so that an
    Italian e-mail names "Approvazione dello staff dell'Accademia"."""
    from wagtail.admin import signal_handlers

    notifiers = (
        signal_handlers.task_submission_email_notifier,
        signal_handlers.workflow_submission_email_notifier,
        signal_handlers.workflow_approval_email_notifier,
        signal_handlers.workflow_rejection_email_notifier,
    )
    for notifier in notifiers:
        if getattr(notifier, "_names_translated", False):
            continue
        original = notifier.get_context

        def get_context(instance, _original=original, **kwargs):
            context = _original(instance, **kwargs)
            for key in ("workflow", "task"):
                if context.get(key) is not None:
                    context[key] = _Translated(context[key])
            return context

        notifier.get_context = get_context
        notifier._names_translated = True

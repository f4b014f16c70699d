"""Partners never manage users, groups, site settings or donors.

A partner's group (the one its profile points to) may edit its own section,
images and documents; nothing a partner account does may reach the accounts
of others, the site's configuration or personal data outside its own
section. Staff can edit partner groups and users in the admin, so the rule is
enforced twice: the admin's group and user forms refuse such a choice with a
message, and the models refuse it from any other code path (shell, scripts,
data migrations) by raising ``ValidationError``.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.users.forms import GroupForm, UserCreationForm, UserEditForm
from wagtail.users.views.groups import GroupViewSet
from wagtail.users.views.users import UserViewSet

# Whole apps whose permissions are about accounts, configuration or donors.
FORBIDDEN_APPS = ("auth", "contenttypes", "sessions", "admin", "wagtailusers", "donations")
# Site-wide structure of the Wagtail core: sites, languages, moderation.
FORBIDDEN_CORE_MODELS = ("site", "locale", "workflow", "task")


def _setting_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, BaseGenericSetting | BaseSiteSetting)
    ]


def forbidden_permissions():
    """Permissions no partner group and no partner user may ever hold."""
    settings_filter = Q()
    for model in _setting_models():
        settings_filter |= Q(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        )
    return Permission.objects.filter(
        Q(content_type__app_label__in=FORBIDDEN_APPS)
        | Q(content_type__app_label="wagtailcore", content_type__model__in=FORBIDDEN_CORE_MODELS)
        | settings_filter
    )


def partner_groups():
    from .models import PartnerPage

    return Group.objects.filter(pk__in=PartnerPage.objects.exclude(group=None).values("group"))


def is_partner_group(group):
    return group.pk is not None and partner_groups().filter(pk=group.pk).exists()


def _forbidden_names(permission_pks):
    names = forbidden_permissions().filter(pk__in=permission_pks).values_list("name", flat=True)
    return ", ".join(sorted(names))


def _group_error(names):
    return _(
        "A partner's group cannot manage users, groups, site settings or donations "
        "(refused: %(permissions)s)."
    ) % {"permissions": names}


def _user_error():
    return _(
        "A partner's account cannot be an administrator, nor belong to a group that "
        "manages users, groups, site settings or donations."
    )


def _groups_with_forbidden_permissions(group_pks):
    return Group.objects.filter(pk__in=group_pks, permissions__in=forbidden_permissions())


def check_user(is_superuser, group_pks):
    """Raise ValidationError when a partner account would get too much power."""
    if not partner_groups().filter(pk__in=group_pks).exists():
        return
    if is_superuser or _groups_with_forbidden_permissions(group_pks).exists():
        raise ValidationError(_user_error())


# The models refuse it, whatever the code path.


@receiver(m2m_changed, sender=Group.permissions.through)
def _refuse_forbidden_group_permissions(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if reverse:  # permission.group_set.add(...): instance is the permission
        groups = partner_groups().filter(pk__in=pk_set)
        if groups.exists() and forbidden_permissions().filter(pk=instance.pk).exists():
            raise ValidationError(_group_error(instance.name))
        return
    if is_partner_group(instance):
        names = _forbidden_names(pk_set)
        if names:
            raise ValidationError(_group_error(names))


@receiver(m2m_changed, sender=get_user_model().groups.through)
def _refuse_partner_users_in_powerful_groups(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    user_model = get_user_model()
    if reverse:  # group.user_set.add(...): instance is the group
        for user in user_model.objects.filter(pk__in=pk_set):
            current = set(user.groups.values_list("pk", flat=True))
            check_user(user.is_superuser, current | {instance.pk})
        return
    current = set(instance.groups.values_list("pk", flat=True)) if instance.pk else set()
    check_user(instance.is_superuser, current | set(pk_set))


@receiver(pre_save, sender=get_user_model())
def _refuse_partner_administrators(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk or not instance.is_superuser:
        return
    check_user(True, set(instance.groups.values_list("pk", flat=True)))


# The admin's forms refuse it with a message next to the field.


class PartnerAwareGroupForm(GroupForm):
    def clean_permissions(self):
        permissions = self.cleaned_data["permissions"]
        if is_partner_group(self.instance):
            names = _forbidden_names([permission.pk for permission in permissions])
            if names:
                raise ValidationError(_group_error(names))
        return permissions


class _PartnerAwareUserFormMixin:
    def clean(self):
        cleaned_data = super().clean()
        groups = cleaned_data.get("groups")
        if groups is None:
            return cleaned_data
        is_superuser = cleaned_data.get("is_superuser", self.instance.is_superuser)
        try:
            check_user(is_superuser, {group.pk for group in groups})
        except ValidationError as error:
            self.add_error("groups", error)
        return cleaned_data


class PartnerAwareUserCreationForm(_PartnerAwareUserFormMixin, UserCreationForm):
    pass


class PartnerAwareUserEditForm(_PartnerAwareUserFormMixin, UserEditForm):
    pass


class PartnerAwareGroupViewSet(GroupViewSet):
    def get_form_class(self, for_update=False):
        return PartnerAwareGroupForm


class PartnerAwareUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return PartnerAwareUserEditForm if for_update else PartnerAwareUserCreationForm

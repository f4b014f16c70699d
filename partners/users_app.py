"""Wagtail's users app, with group and user forms that refuse to give a
partner's account the power to manage users, groups, settings or donors
(see partners.permission_guard). Listed in INSTALLED_APPS in place of
"wagtail.users"."""

from wagtail.users.apps import WagtailUsersAppConfig


class PartnerAwareUsersConfig(WagtailUsersAppConfig):
    group_viewset = "partners.permission_guard.PartnerAwareGroupViewSet"
    user_viewset = "partners.permission_guard.PartnerAwareUserViewSet"

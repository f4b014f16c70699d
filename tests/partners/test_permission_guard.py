"""Partners can never manage users, groups, site settings or donors."""

from contextlib import contextmanager

import pytest

from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ValidationError
from django.db import transaction

from partners.moderation import STAFF_GROUP_NAME
from partners.permission_guard import (
    PartnerAwareGroupForm,
    PartnerAwareUserEditForm,
    forbidden_permissions,
)

from .factories import PartnerIndexPageFactory, onboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(home):
    PartnerIndexPageFactory(parent=home)
    page, user = onboard("Sartoria Alfa")
    return page, user


@contextmanager
def refused():
    """The refusal is raised inside the ORM's own atomic block: a savepoint
    keeps the test's transaction usable afterwards."""
    with pytest.raises(ValidationError), transaction.atomic():
        yield


def permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_forbidden_permissions_cover_accounts_settings_sites_and_donors():
    codenames = set(forbidden_permissions().values_list("content_type__app_label", "codename"))
    for expected in [
        ("auth", "add_user"),
        ("auth", "change_group"),
        ("home", "change_sitefooter"),
        ("wagtailcore", "change_site"),
        ("wagtailcore", "add_workflow"),
        ("donations", "view_donation"),
    ]:
        assert expected in codenames
    assert ("wagtailadmin", "access_admin") not in codenames


def test_onboarded_partner_holds_none_of_them(partner):
    page, user = partner
    assert not page.group.permissions.filter(pk__in=forbidden_permissions()).exists()
    assert not user.is_superuser
    assert not any(
        user.has_perm(f"{app}.{codename}")
        for app, codename in forbidden_permissions().values_list(
            "content_type__app_label", "codename"
        )
    )


def test_partner_is_refused_the_admin_screens_for_them(client, partner):
    from home.models import SiteFooter

    _page, user = partner
    urls = [
        "/admin/users/",
        "/admin/users/new/",
        "/admin/groups/",
        "/admin/groups/new/",
        f"/admin/settings/home/sitefooter/{SiteFooter.load().pk}/",
        "/admin/sites/",
        "/admin/locales/",
        "/admin/workflows/list/",
    ]
    client.force_login(User.objects.create_superuser("capo", "capo@example.org", "x"))
    for url in urls:  # the screens exist...
        assert client.get(url).status_code == 200, url
    client.force_login(user)
    for url in urls:  # ...and the partner is sent back to the dashboard
        response = client.get(url)
        assert (response.status_code, response.get("Location")) == (302, "/admin/"), url


def test_the_models_refuse_such_permissions_to_a_partner_group(partner):
    page, _user = partner
    with refused():
        page.group.permissions.add(permission("auth", "add_user"))
    with refused():
        permission("home", "change_sitefooter").group_set.add(page.group)
    assert not page.group.permissions.filter(pk__in=forbidden_permissions()).exists()
    # Other groups are not concerned.
    other = Group.objects.create(name="Segreteria")
    other.permissions.add(permission("auth", "add_user"))


def test_the_models_refuse_to_make_a_partner_user_powerful(partner):
    _page, user = partner
    managers = Group.objects.create(name="Gestione utenti")
    managers.permissions.add(permission("auth", "change_user"))
    with refused():
        user.groups.add(managers)
    with refused():
        managers.user_set.add(user)
    user.is_superuser = True
    with refused():
        user.save()
    user.refresh_from_db()
    assert not user.is_superuser
    assert not user.groups.filter(pk=managers.pk).exists()
    # Staff without such powers can still be a partner's colleague.
    user.groups.add(Group.objects.get(name=STAFF_GROUP_NAME))


def test_the_admin_uses_the_guarded_forms(client, partner):
    page, user = partner
    admin = User.objects.create_superuser("capo", "capo@example.org", "x")
    client.force_login(admin)
    response = client.get(f"/admin/groups/edit/{page.group.pk}/")
    assert isinstance(response.context["form"], PartnerAwareGroupForm)
    response = client.get(f"/admin/users/edit/{user.pk}/")
    assert isinstance(response.context["form"], PartnerAwareUserEditForm)


def test_group_form_explains_the_refusal_and_saves_nothing(partner):
    page, _user = partner
    before = set(page.group.permissions.values_list("pk", flat=True))
    data = {
        "name": page.group.name,
        "permissions": [*before, permission("auth", "add_user").pk],
    }
    form = PartnerAwareGroupForm(data, instance=page.group)
    assert not form.is_valid()
    assert "impostazioni del sito" in str(form.errors["permissions"])
    assert set(page.group.permissions.values_list("pk", flat=True)) == before


def test_user_form_refuses_to_make_a_partner_an_administrator(partner):
    page, user = partner
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": "Anna",
        "last_name": "Sarta",
        "is_active": "on",
        "is_superuser": "on",
        "groups": [page.group.pk],
    }
    form = PartnerAwareUserEditForm(data, instance=user)
    assert not form.is_valid()
    assert "groups" in form.errors
    data.pop("is_superuser")
    form = PartnerAwareUserEditForm(data, instance=user)
    assert form.is_valid(), form.errors

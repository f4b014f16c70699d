"""Partners add the venues where their courses happen, and change or delete
only their own; staff keep every venue. Through the admin's own URLs."""

import importlib
import json

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from courses.models import CourseSession, Venue

from .factories import CoursePageFactory, CourseSessionFactory, VenueFactory
from .test_editor import _session_row, course_form_data

pytestmark = pytest.mark.django_db

LIST = "/admin/snippets/courses/venue/"
ADD = LIST + "add/"
CHOOSE = "/admin/snippets/choose/courses/venue/"
CHOOSER_CREATE = CHOOSE + "create/"


def edit_url(venue):
    return f"{LIST}edit/{venue.pk}/"


def delete_url(venue):
    return f"{LIST}delete/{venue.pk}/"


def venue_data(**fields):
    return {
        "name": "Laboratorio Alfa",
        "address": "Via Milano 5, 20096 Pioltello",
        "comune": "pioltello",
        "accessibility": "Ingresso senza gradini.",
        "latitude": "",
        "longitude": "",
        **fields,
    }


@pytest.fixture
def venues(partner_a, partner_b):
    """A venue of each partner and one kept by staff (as the demo's)."""
    return {
        "own": VenueFactory(name="Bottega Alfa", added_by_group=partner_a[0].group),
        "other": VenueFactory(name="Officina Beta, sala", added_by_group=partner_b[0].group),
        "staff": VenueFactory(name="Biblioteca civica"),
    }


def messages_of(response):
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_partner_adds_a_venue_in_snippets_and_its_group_keeps_it(client, partner_a):
    partner, user = partner_a
    client.force_login(user)
    menu = client.get("/admin/").content.decode()
    assert "/admin/snippets/" in menu
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, venue_data())
    assert response.status_code == 302
    venue = Venue.objects.get(name="Laboratorio Alfa")
    assert venue.added_by_group == partner.group
    listing = BeautifulSoup(client.get(LIST).content, "html.parser")
    assert listing.select(f"a[href='{edit_url(venue)}']")


def test_partner_adds_a_venue_from_the_session_chooser(client, partner_a, venues):
    partner, user = partner_a
    client.force_login(user)
    modal = json.loads(client.get(CHOOSE).content)
    html = modal["html"]
    # Every venue can be chosen, whoever added it.
    for venue in venues.values():
        assert venue.name in html
    # The chooser offers a "New venue" tab with the venue's fields.
    soup = BeautifulSoup(html, "html.parser")
    assert "Nuova sede" in soup.get_text()
    assert soup.select(f"form[action^='{CHOOSER_CREATE}'] input[name='address']")

    response = client.post(CHOOSER_CREATE, venue_data(name="Oratorio San Carlo"))
    chosen = json.loads(response.content)
    assert chosen["step"] == "chosen", chosen
    venue = Venue.objects.get(name="Oratorio San Carlo")
    assert chosen["result"]["id"] == str(venue.pk)
    assert venue.added_by_group == partner.group
    # A mistake is shown in the modal, in Italian, and nothing is saved.
    response = json.loads(client.post(CHOOSER_CREATE, venue_data(name="", address="")).content)
    assert response["step"] == "reshow_creation_form"
    assert "Questo campo è obbligatorio" in response["htmlFragment"]
    assert Venue.objects.count() == len(venues) + 1


def test_a_user_without_the_right_gets_no_new_venue_tab(client, partner_a, django_user_model):
    user = django_user_model.objects.create_user("reader", "r@example.org", "x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert "Nuova sede" not in json.loads(client.get(CHOOSE).content)["html"]
    client.post(CHOOSER_CREATE, venue_data())
    assert not Venue.objects.filter(name="Laboratorio Alfa").exists()


def test_partner_uses_its_new_venue_and_a_staff_venue_on_its_sessions(client, partner_a, venues):
    partner, user = partner_a
    course = CoursePageFactory(parent=partner, slug="cucito")
    course.save_revision().publish()
    client.force_login(user)
    client.post(CHOOSER_CREATE, venue_data())
    new_venue = Venue.objects.get(name="Laboratorio Alfa")
    rows = [_session_row(new_venue), _session_row(venues["staff"])]
    response = client.post(
        f"/admin/pages/{course.pk}/edit/", {**course_form_data(course, rows), "action-submit": "1"}
    )
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(
        ".error-message"
    )
    course.refresh_from_db()
    draft = course.get_latest_revision_as_object()
    assert {session.venue_id for session in draft.sessions.all()} == {
        new_venue.pk,
        venues["staff"].pk,
    }


def test_partner_cannot_change_or_delete_another_partners_or_the_staffs_venue(
    client, partner_a, venues
):
    _partner, user = partner_a
    client.force_login(user)
    listing = BeautifulSoup(client.get(LIST).content, "html.parser")
    for key in ("other", "staff"):
        venue = venues[key]
        assert venue.name in listing.get_text()
        assert not listing.select(f"a[href='{edit_url(venue)}']"), key
        assert not listing.select(f"a[href='{delete_url(venue)}']"), key
        assert client.get(edit_url(venue)).status_code in (302, 403), key
        response = client.post(edit_url(venue), venue_data(name="Presa"))
        assert response.status_code in (302, 403), key
        assert client.get(delete_url(venue)).status_code in (302, 403), key
        assert client.post(delete_url(venue)).status_code in (302, 403), key
        for view in ("copy", "usage", "history"):
            assert client.get(f"{LIST}{view}/{venue.pk}/").status_code in (302, 403), key
    # Nor through the bulk action.
    bulk = reverse("wagtail_bulk_action", args=["courses", "venue", "delete"])
    ids = [venues["other"].pk, venues["staff"].pk]
    client.post(f"{bulk}?id={ids[0]}&id={ids[1]}", {"id": ids})
    for key in ("other", "staff"):
        venue = Venue.objects.get(pk=venues[key].pk)
        assert venue.name == venues[key].name
    # Its own venue has both links.
    own = venues["own"]
    assert listing.select(f"a[href='{edit_url(own)}']")
    assert listing.select(f"a[href='{delete_url(own)}']")


def test_partner_changes_and_deletes_its_own_venue(client, partner_a, partner_b, venues):
    _partner, user = partner_a
    own = venues["own"]
    client.force_login(user)
    for view in ("edit", "usage", "history"):
        assert client.get(f"{LIST}{view}/{own.pk}/").status_code == 200, view
    response = client.post(edit_url(own), venue_data(name="Bottega Alfa, retro"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Bottega Alfa, retro"
    # Another editor of the same partner may too; the other partner may not.
    colleague = User.objects.create_user("collega", "collega@example.org", "x")
    colleague.groups.add(partner_a[0].group)
    client.force_login(colleague)
    assert client.get(edit_url(own)).status_code == 200
    client.force_login(partner_b[1])
    assert client.get(edit_url(own)).status_code in (302, 403)

    client.force_login(user)
    assert client.post(delete_url(own)).status_code == 302
    assert not Venue.objects.filter(pk=own.pk).exists()


def test_staff_change_every_venue_and_add_venues_of_their_own(client, staff_user, venues):
    client.force_login(staff_user)
    listing = BeautifulSoup(client.get(LIST).content, "html.parser")
    for key, venue in venues.items():
        assert listing.select(f"a[href='{edit_url(venue)}']"), key
        # The form shows staff who keeps the venue, and sends it back.
        owner = venue.added_by_group_id or ""
        response = client.post(
            edit_url(venue), venue_data(name=f"Rivista {key}", added_by_group=owner)
        )
        assert response.status_code == 302, key
        venue.refresh_from_db()
        assert venue.name == f"Rivista {key}"
        assert venue.added_by_group_id == venues[key].added_by_group_id  # unchanged
    client.post(ADD, venue_data(name="Sala consiliare"))
    assert Venue.objects.get(name="Sala consiliare").added_by_group is None
    assert client.post(delete_url(venues["other"])).status_code == 302
    assert not Venue.objects.filter(pk=venues["other"].pk).exists()


def test_staff_hand_a_venue_to_the_partner_who_runs_it(client, partner_a, staff_user, venues):
    """A venue staff added for a partner (or the demo's) was the staff's for
    good: now staff choose the partner who keeps it, and that partner's
    editors change it; a partner cannot choose, nor take another's."""
    partner, partner_user = partner_a
    library = venues["staff"]
    client.force_login(staff_user)
    form = BeautifulSoup(client.get(edit_url(library)).content, "html.parser")
    choices = [option.get_text(strip=True) for option in form.select("#id_added_by_group option")]
    assert choices == [
        "Lo staff dell'Accademia",
        "Partner: Officina Beta",
        "Partner: Sartoria Alfa",
    ]
    response = client.post(edit_url(library), venue_data(added_by_group=partner.group.pk))
    assert response.status_code == 302
    library.refresh_from_db()
    assert library.added_by_group == partner.group

    client.force_login(partner_user)
    form = BeautifulSoup(client.get(edit_url(library)).content, "html.parser")
    assert form.select_one("#id_added_by_group") is None
    other_group = venues["other"].added_by_group
    response = client.post(edit_url(library), venue_data(added_by_group=other_group.pk))
    assert response.status_code == 302
    library.refresh_from_db()
    assert library.added_by_group == partner.group  # the field is not theirs
    client.post(ADD, venue_data(name="Bottega nuova", added_by_group=other_group.pk))
    assert Venue.objects.get(name="Bottega nuova").added_by_group == partner.group


def test_a_venue_with_sessions_is_never_deleted(client, partner_a, staff_user, venues):
    """The foreign key protects sessions; the admin says why, in Italian,
    whether the session is live or still in a draft."""
    partner, user = partner_a
    own = venues["own"]
    course = CoursePageFactory(parent=partner, slug="cucito")
    session = CourseSessionFactory(page=course, venue=own)
    course.save_revision().publish()
    drafted = VenueFactory(name="Sala in bozza", added_by_group=partner.group)
    course.refresh_from_db()
    draft = course.get_latest_revision_as_object()
    draft.sessions.add(CourseSessionFactory.build(page=draft, venue=drafted))
    draft.save_revision()

    for reader in (user, staff_user):
        client.force_login(reader)
        for venue in (own, drafted):
            response = client.post(delete_url(venue), follow=True)
            assert "non può essere eliminata" in messages_of(response), venue
            assert Venue.objects.filter(pk=venue.pk).exists()
        bulk = reverse("wagtail_bulk_action", args=["courses", "venue", "delete"])
        response = client.post(
            f"{bulk}?id={own.pk}&id={drafted.pk}", {"id": [own.pk, drafted.pk]}, follow=True
        )
        assert "non può essere eliminata" in messages_of(response)
        assert Venue.objects.filter(pk__in=[own.pk, drafted.pk]).count() == 2
    assert CourseSession.objects.filter(pk=session.pk, venue=own).exists()


def test_the_policy_lists_what_each_user_may_change(partner_a, staff_user, venues):
    from courses.venue_admin import venue_permission_policy as policy

    _partner, user = partner_a
    assert set(policy.instances_user_has_permission_for(user, "change")) == {venues["own"]}
    assert set(policy.instances_user_has_permission_for(staff_user, "delete")) == set(
        venues.values()
    )
    owners = policy.users_with_permission_for_instance("change", venues["own"])
    assert user in owners and staff_user in owners
    assert user not in policy.users_with_permission_for_instance("change", venues["staff"])


def test_the_migration_lets_existing_partners_add_venues(partner_a):
    """Partners onboarded before venues were theirs get the right too."""
    from django.apps import apps

    partner, _user = partner_a
    add_venue = Permission.objects.get(content_type__app_label="courses", codename="add_venue")
    partner.group.permissions.remove(add_venue)
    readers = Group.objects.create(name="Lettori")
    migration = importlib.import_module("partners.migrations.0010_partners_add_venues")
    migration.forwards(apps, None)
    assert partner.group.permissions.filter(pk=add_venue.pk).exists()
    assert not readers.permissions.exists()


def usage_url(venue, **query):
    suffix = "?describe_on_delete=1" if query.get("on_delete") else ""
    return f"{LIST}usage/{venue.pk}/{suffix}"


def test_where_a_venue_is_used_names_only_the_courses_the_reader_may_edit(
    client, partner_a, partner_b, staff_user, venues
):
    """Any partner may hold sessions at any venue: where its own venue is
    used (the usage page, also as the delete confirmation's list; the
    refused deletion; the chooser) a partner sees its own courses and only a
    count of the others', drafts included: no title, no link, no row. Staff
    see them all."""
    own = venues["own"]
    mine = CoursePageFactory(parent=partner_a[0], slug="cucito", title="Cucito di Alfa")
    CourseSessionFactory(page=mine, venue=own)
    mine.save_revision().publish()
    theirs = CoursePageFactory(parent=partner_b[0], slug="saldatura", title="Saldatura di Beta")
    CourseSessionFactory(page=theirs, venue=own)
    theirs.save_revision().publish()
    draft = CoursePageFactory(
        parent=partner_b[0], slug="bozza", title="Bozza segreta di Beta", live=False
    )
    CourseSessionFactory(page=draft, venue=own)
    draft.save_revision()
    secrets = ("Saldatura di Beta", "Bozza segreta di Beta")

    client.force_login(partner_a[1])
    for url in (usage_url(own), usage_url(own, on_delete=True)):
        page = BeautifulSoup(client.get(url).content, "html.parser")
        rows = page.select("table.listing tbody tr")
        assert [row.select_one("td.title").get_text(strip=True) for row in rows] == [
            "Cucito di Alfa"
        ], url
        assert page.select(f"a[href^='/admin/pages/{mine.pk}/edit/']")
        for course in (theirs, draft):
            assert not page.select(f"a[href*='/admin/pages/{course.pk}/']"), url
        text = page.get_text(" ", strip=True)
        assert not any(secret in text for secret in secrets), url
        assert "2 corsi di altri partner usano anche questa sede" in text, url
    # Asked to delete it, the admin says why not, and names no course.
    response = client.get(delete_url(own), follow=True)
    assert "non può essere eliminata" in messages_of(response)
    assert not any(secret in response.content.decode() for secret in secrets)
    chooser = json.loads(client.get(CHOOSE).content)["html"]
    assert not any(secret in chooser for secret in secrets)

    client.force_login(staff_user)
    page = BeautifulSoup(client.get(usage_url(own)).content, "html.parser")
    titles = {row.select_one("td.title").get_text(strip=True) for row in page.select("tbody tr")}
    assert titles == {"Cucito di Alfa", *secrets}
    for course in (mine, theirs, draft):
        assert page.select(f"a[href^='/admin/pages/{course.pk}/edit/']")
    assert not page.select("[data-venue-usage-hidden]")

"""What partner users may do, through the admin's own URLs."""

import json

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, WorkflowState

from home.demo import translate
from partners.moderation import STAFF_GROUP_NAME

from .opportunity_factories import OpportunityPageFactory

pytestmark = pytest.mark.django_db


def edit_form_data(client, page):
    """The edit form as the browser would send it back."""
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.select_one("form[data-edit-form]")
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            value = field.get_text()
        elif field.name == "select":
            selected = field.select("option[selected]")
            value = (
                [o.get("value", "") for o in selected]
                if field.has_attr("multiple")
                else (selected[0].get("value", "") if selected else "")
            )
        elif field.get("type") in ("checkbox", "radio"):
            if not field.has_attr("checked"):
                continue
            data.setdefault(name, []).append(field.get("value", "on"))
            continue
        elif field.get("type") in ("submit", "button", "file"):
            continue
        else:
            value = field.get("value", "")
        data[name] = value
    return data


def test_partner_edits_own_profile_and_it_waits_for_staff(client, partner_a, staff_user):
    partner, user = partner_a
    client.force_login(user)
    data = edit_form_data(client, partner)
    data["short_description"] = "Cuciamo e insegniamo a cucire."
    response = client.post(f"/admin/pages/{partner.pk}/edit/", {**data, "action-submit": "1"})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.short_description != "Cuciamo e insegniamo a cucire."  # live version
    assert partner.has_unpublished_changes
    state = WorkflowState.objects.get(object_id=str(partner.pk), status="in_progress")
    assert state.current_task_state.task.name == "Approval by Academy staff"

    # The partner's dashboard shows its section and the page waiting.
    dashboard = BeautifulSoup(client.get("/admin/").content, "html.parser")
    panel = dashboard.select_one("#partner-section") or dashboard
    assert f"/admin/pages/{partner.pk}/edit/" in str(panel)
    assert "In attesa di approvazione" in panel.get_text()

    # The partner cannot publish, even by asking for it.
    client.post(f"/admin/pages/{partner.pk}/edit/", {**data, "action-publish": "1"})
    partner.refresh_from_db()
    assert partner.short_description != "Cuciamo e insegniamo a cucire."

    # Staff approve through the workflow: now it is live.
    client.force_login(staff_user)
    response = client.post(
        f"/admin/pages/workflow/action/{partner.pk}/approve/{state.current_task_state.pk}/",
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    partner.refresh_from_db()
    assert partner.short_description == "Cuciamo e insegniamo a cucire."
    assert not partner.has_unpublished_changes
    state.refresh_from_db()
    assert state.status == "approved"


def test_staff_publish_directly(client, partner_a, staff_user):
    partner, _user = partner_a
    client.force_login(staff_user)
    data = edit_form_data(client, partner)
    data["short_description"] = "Pubblicato dallo staff."
    response = client.post(f"/admin/pages/{partner.pk}/edit/", {**data, "action-publish": "1"})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.short_description == "Pubblicato dallo staff."


def test_partner_cannot_touch_another_partners_page(client, partner_a, partner_b, directory):
    _own, user = partner_a
    other, _other_user = partner_b
    client.force_login(user)
    before = other.get_latest_revision().pk
    urls = [
        f"/admin/pages/{other.pk}/edit/",
        f"/admin/pages/{other.pk}/delete/",
        f"/admin/pages/{other.pk}/unpublish/",
        f"/admin/pages/{other.pk}/move/",
    ]
    # (Wagtail shows the move confirmation to anyone; the move itself is refused.)
    response = client.post(f"/admin/pages/{other.pk}/move/{directory.pk}/confirm/")
    assert response.status_code in (302, 403)
    for url in urls:
        assert client.get(url).status_code in (302, 403), url
        assert client.post(url, {"action-publish": "1", "title": "Preso"}).status_code in (
            302,
            403,
        ), url
    other.refresh_from_db()
    assert other.live and other.title == "Officina Beta"
    assert other.get_latest_revision().pk == before
    # Nor add pages under it, nor move its own page elsewhere.
    assert client.get(f"/admin/pages/add/wagtailcore/page/{other.pk}/").status_code in (302, 403)
    own = partner_a[0]
    response = client.post(f"/admin/pages/{own.pk}/move/{other.pk}/confirm/")
    assert response.status_code in (302, 403)
    own.refresh_from_db()
    assert own.get_parent().pk == directory.pk
    # Nor delete its own published profile.
    client.post(f"/admin/pages/{own.pk}/delete/")
    own.refresh_from_db()
    assert own.live


def test_partner_sees_only_its_own_images_and_documents(client, partner_a, partner_b):
    (own, user), (other, _other_user) = partner_a, partner_b
    image_model, document_model = get_image_model(), get_document_model()
    foreign_image = wagtail_factories.ImageFactory(title="Foto Beta", collection=other.collection)
    foreign_doc = document_model.objects.create(
        title="Listino Beta",
        collection=other.collection,
        file=SimpleUploadedFile("beta.txt", b"listino"),
    )
    client.force_login(user)
    # Upload through the admin: only its own collection is offered.
    upload = client.get("/admin/images/add/").content.decode()
    assert f'value="{own.collection_id}"' in upload or "collection" not in upload
    jpeg = wagtail_factories.ImageFactory.build().file.read()
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Foto Alfa",
            "collection": own.collection_id,
            "file": SimpleUploadedFile("alfa.jpg", jpeg, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(
        ".error-message"
    )
    own_image = image_model.objects.get(title="Foto Alfa")
    assert own_image.collection_id == own.collection_id
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Listino Alfa",
            "collection": own.collection_id,
            "file": SimpleUploadedFile("alfa.txt", b"prezzi"),
        },
    )
    assert response.status_code == 302
    own_doc = document_model.objects.get(title="Listino Alfa")

    images = client.get("/admin/images/").content.decode()
    assert "Foto Alfa" in images and "Foto Beta" not in images
    documents = client.get("/admin/documents/").content.decode()
    assert "Listino Alfa" in documents and "Listino Beta" not in documents
    assert client.get(f"/admin/images/{own_image.pk}/").status_code == 200
    assert client.get(f"/admin/documents/edit/{own_doc.pk}/").status_code == 200
    assert client.get(f"/admin/images/{foreign_image.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/documents/edit/{foreign_doc.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/images/{foreign_image.pk}/delete/").status_code in (302, 403)
    assert image_model.objects.filter(pk=foreign_image.pk).exists()


def test_moderation_emails_name_workflow_and_task_in_the_readers_language(
    client, partner_a, staff_user, mailoutbox
):
    from wagtail.users.models import UserProfile

    partner, user = partner_a
    english_staff = User.objects.create_user("staff-en", "staff-en@example.org", "x")
    english_staff.groups.add(Group.objects.get(name=STAFF_GROUP_NAME))
    profile = UserProfile.get_for_user(english_staff)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    data = edit_form_data(client, partner)
    response = client.post(f"/admin/pages/{partner.pk}/edit/", {**data, "action-submit": "1"})
    assert response.status_code == 302
    by_recipient = {message.to[0]: message for message in mailoutbox}
    italian = by_recipient["staff-test@example.org"]
    assert "Approvazione da parte dello staff dell’Accademia" in italian.subject + italian.body
    assert "Approval by Academy staff" not in italian.subject + italian.body
    english = by_recipient["staff-en@example.org"]
    assert "Approval by Academy staff" in english.subject + english.body


def test_staff_translate_pages_and_keep_venues_and_topics(
    client, partner_a, staff_user, home_en, english
):
    """wagtail-localize's "Translate" asks for its own permission, and the
    course snippets for theirs: the Academy staff hold them. Partners only
    add venues (and keep their own: tests/courses/test_venue_permissions.py)."""
    own, partner_user = partner_a
    submit = f"/admin/localize/submit/page/{own.pk}/"
    client.force_login(partner_user)
    assert client.get(submit).status_code in (302, 403)
    assert client.get("/admin/snippets/courses/venue/add/").status_code == 200
    for url in ("/admin/snippets/courses/topic/", "/admin/snippets/courses/topic/add/"):
        assert client.get(url).status_code in (302, 403), url

    client.force_login(staff_user)
    for url in ("/admin/snippets/courses/venue/add/", "/admin/snippets/courses/topic/"):
        assert client.get(url).status_code == 200, url
    assert client.get(submit).status_code == 200
    response = client.post(submit, {"locales": [english.pk]})
    assert response.status_code == 302
    assert own.get_translations().filter(locale=english).exists()


def test_a_profile_translated_in_the_admin_stays_the_partners_to_edit(
    client, partner_a, staff_user, home_en, english
):
    """Staff translate a partner's profile with wagtail-localize: the new
    English page belongs to the partner's section too (its group edits it),
    without anyone calling `grant_section_permissions` by hand."""
    own, partner_user = partner_a
    client.force_login(staff_user)
    client.post(f"/admin/localize/submit/page/{own.pk}/", {"locales": [english.pk]})
    translation = own.get_translation(english)
    client.force_login(partner_user)
    assert client.get(f"/admin/pages/{translation.pk}/edit/").status_code == 200


def test_a_copied_profile_is_not_the_copied_partners_section(
    client, partner_a, staff_user, directory
):
    """Staff copy a partner's profile as a model for a new partner: the copy
    kept the partner's group and collection, so that partner's editors saw
    the sign-ups and applications of whatever lived under the copy, and a
    person invited to the copy joined their group (their whole section)."""
    from partners.applications import visible_applications
    from partners.models import PartnerPage
    from partners.onboarding import InvitationError, invite_partner, partners_of

    own, partner_user = partner_a
    client.force_login(staff_user)
    form = {"new_title": "Nuovo partner", "new_slug": "nuovo-partner"}
    response = client.post(
        f"/admin/pages/{own.pk}/copy/", {**form, "new_parent_page": directory.pk}
    )
    assert response.status_code == 302
    copy = PartnerPage.objects.get(slug="nuovo-partner")
    assert copy.group is None and copy.collection is None
    assert list(partners_of(partner_user)) == [own]
    assert not visible_applications(partner_user).filter(challenge__path__startswith=copy.path)
    # Publishing the copy's revision does not bring the group back.
    copy.get_latest_revision().publish()
    copy.refresh_from_db()
    assert copy.group is None and copy.collection is None
    with pytest.raises(InvitationError):
        invite_partner("nuova@example.org", partner=copy, send_email=False)
    # The partner's own profile keeps them.
    own.refresh_from_db()
    assert own.group and own.collection


def test_profiles_copied_before_the_fix_leave_the_partners_group(
    client, partner_a, partner_b, staff_user, directory, home_en, english
):
    """Copies made before `on_new_partner_page` kept the partner's group and
    collection; migration partners/0009 takes them away from the copies
    only: the partner's own profile and its translation keep them."""
    import importlib

    from django.apps import apps

    from partners.models import PartnerPage

    own, _partner_user = partner_a
    other, _other_user = partner_b
    client.force_login(staff_user)
    client.post(f"/admin/localize/submit/page/{own.pk}/", {"locales": [english.pk]})
    translation = own.get_translation(english)
    form = {"new_title": "Vecchia copia", "new_slug": "vecchia-copia"}
    client.post(f"/admin/pages/{own.pk}/copy/", {**form, "new_parent_page": directory.pk})
    copy = PartnerPage.objects.get(slug="vecchia-copia")
    # As an old copy was left.
    PartnerPage.objects.filter(pk=copy.pk).update(group=own.group, collection=own.collection)

    migration = importlib.import_module(
        "partners.migrations.0009_old_copies_leave_the_partners_group"
    )
    migration.copies_leave_the_group(apps, None)

    copy.refresh_from_db()
    assert copy.group is None and copy.collection is None
    for page, partner in [(own, own), (translation, own), (other, other)]:
        page.refresh_from_db()
        assert (page.group_id, page.collection_id) == (partner.group_id, partner.collection_id)
        assert page.group_id is not None


def test_the_submit_button_names_the_workflow_in_the_users_language(client, partner_a):
    """The workflow and its task are stored with English names; the button
    an Italian partner presses read "Invia a Academy staff approval"."""
    from wagtail.users.models import UserProfile

    partner, user = partner_a
    client.force_login(user)

    def buttons():
        soup = BeautifulSoup(client.get(f"/admin/pages/{partner.pk}/edit/").content, "html.parser")
        return " ".join(b.get_text(" ", strip=True) for b in soup.select("footer button"))

    italian = buttons()
    assert "Invia a Approvazione dello staff dell’Accademia" in italian
    assert "Academy staff approval" not in italian
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    assert "Submit to Academy staff approval" in buttons()


PAGE_TYPES_REPORT = "/admin/reports/page-types-usage/"
TRANSLATIONS_REPORT = "/admin/localize/reports/translations/"


def test_partners_get_neither_site_wide_page_report(
    client, directory, partner_a, partner_b, staff_user, admin_user, english
):
    """Wagtail's "Page types usage" and wagtail-localize's "Translations"
    reports list the whole site's pages, drafts included: a partner read
    other partners' page titles there. Staff keep both reports."""
    other, _other_user = partner_b
    draft = OpportunityPageFactory(parent=other, title="Bozza segreta di Beta", live=False)
    draft.save_revision()
    translate(directory, {}, english)
    translate(other, {}, english)
    reports = [
        (PAGE_TYPES_REPORT, "Bozza segreta di Beta"),
        (PAGE_TYPES_REPORT + "results/", "Bozza segreta di Beta"),
        (TRANSLATIONS_REPORT, "Officina Beta"),
        (TRANSLATIONS_REPORT + "results/", "Officina Beta"),
    ]

    for reader in (staff_user, admin_user):
        client.force_login(reader)
        menu = client.get("/admin/").content.decode()
        assert PAGE_TYPES_REPORT in menu and TRANSLATIONS_REPORT in menu
        for url, secret in reports:
            response = client.get(url)
            assert response.status_code == 200, url
            assert secret in response.content.decode(), url

    _own, user = partner_a
    client.force_login(user)
    menu = client.get("/admin/").content.decode()
    assert PAGE_TYPES_REPORT not in menu and TRANSLATIONS_REPORT not in menu
    assert "/admin/reports/site-history/" in menu  # the other reports stay
    for url, secret in reports:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/", url
        assert secret not in client.get(url, follow=True).content.decode(), url
        ajax = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
        assert ajax.status_code == 403, url


def test_partner_dashboard_says_a_page_waits_or_was_sent_back(client, partner_a, staff_user):
    """The "Your section" status column read "Bozza" (draft) for a page sent
    for approval, and again when staff asked for changes, with nothing to say
    so or what to change."""
    partner, user = partner_a
    client.force_login(user)
    data = edit_form_data(client, partner)
    data["short_description"] = "Cuciamo e insegniamo a cucire."
    client.post(f"/admin/pages/{partner.pk}/edit/", {**data, "action-submit": "1"})

    def row_status():
        panel = BeautifulSoup(client.get("/admin/").content, "html.parser")
        link = panel.select_one(f"td.title a[href='/admin/pages/{partner.pk}/edit/']")
        return link.find_parent("tr").select("td")[1].get_text(strip=True), panel.get_text()

    status, _text = row_status()
    assert status == "In attesa di approvazione"

    state = WorkflowState.objects.get(object_id=str(partner.pk), status="in_progress")
    client.force_login(staff_user)
    client.post(
        f"/admin/pages/workflow/action/{partner.pk}/reject/{state.current_task_state.pk}/",
        {"comment": "Aggiungete il numero di telefono."},
    )
    state.refresh_from_db()
    assert state.status == "needs_changes"

    client.force_login(user)
    status, text = row_status()
    assert status == "Lo staff chiede modifiche"
    assert "Lo staff dell'Accademia chiede modifiche" in text
    assert "Aggiungete il numero di telefono." in text


def test_partner_dashboard_offers_open_section_only_where_there_is_one(client, partner_a):
    """Each course row had an "Apri la sezione" button that opened an empty
    list (a course has no pages under it). The profile keeps it, even with
    nothing under it yet: that is where a new partner adds its first course."""
    from .opportunity_factories import OpportunityPageFactory

    partner, user = partner_a
    client.force_login(user)
    panel = BeautifulSoup(client.get("/admin/").content, "html.parser")
    assert panel.select(f"a[href='/admin/pages/{partner.pk}/']")
    leaf = OpportunityPageFactory(parent=partner, title="Tirocinio")
    panel = BeautifulSoup(client.get("/admin/").content, "html.parser")
    explore_links = {a["href"] for a in panel.select("a[href^='/admin/pages/']")}
    assert f"/admin/pages/{partner.pk}/" in explore_links
    assert f"/admin/pages/{leaf.pk}/edit/" in explore_links
    assert f"/admin/pages/{leaf.pk}/" not in explore_links


def test_a_partners_group_holds_no_other_model_permission(partner_a, partner_b):
    """Model-wide, a partner's group may open the admin and add venues:
    nothing else (its pages, images and documents are granted on its own
    section and collection only). Its users cannot change or delete venues
    model-wide, nor touch topics, labour needs, users or settings."""
    for partner, user in (partner_a, partner_b):
        assert {
            (p.content_type.app_label, p.codename) for p in partner.group.permissions.all()
        } == {("wagtailadmin", "access_admin"), ("courses", "add_venue")}
        assert user.get_all_permissions() == {"wagtailadmin.access_admin", "courses.add_venue"}
        for permission in (
            "courses.change_venue",
            "courses.delete_venue",
            "courses.add_topic",
            "partners.add_labourneed",
            "auth.change_user",
            "wagtailcore.change_site",
        ):
            assert not user.has_perm(permission), permission


def test_a_partners_dashboard_counts_its_own_pages(
    client, directory, english, partner_a, partner_b, staff_user
):
    """Wagtail's page count is every page under the user's explorable root:
    for a partner with an English section too, the whole site's count,
    linking to the tree's root."""
    from .opportunity_factories import OpportunityPageFactory

    partner, user = partner_a
    OpportunityPageFactory(parent=partner, title="Tirocinio")
    OpportunityPageFactory(parent=partner_b[0], title="Apprendistato")
    translate(directory, {}, english)
    translate(partner, {}, english)
    client.force_login(user)
    summary = BeautifulSoup(client.get("/admin/").content, "html.parser")
    link = summary.select_one("a[href*='/admin/pages/'] .w-sr-only").parent
    assert link["href"] == f"/admin/pages/{partner.pk}/"
    assert link.get_text(" ", strip=True).startswith("2 Pagine")
    client.force_login(staff_user)
    summary = BeautifulSoup(client.get("/admin/").content, "html.parser")
    link = summary.select_one("a[href*='/admin/pages/'] .w-sr-only").parent
    total = Page.objects.filter(depth__gt=1).count()
    assert link.get_text(" ", strip=True).startswith(f"{total} Pagine")


def test_a_partners_pages_menu_opens_its_section(client, directory, english, partner_a, staff_user):
    """The menu's "Pages" opened the tree's root for a partner with an
    English section: two home pages, and a warning that pages created there
    cannot be reached."""
    partner, user = partner_a
    translate(directory, {}, english)
    translate(partner, {}, english)

    def explorer(response):
        props = BeautifulSoup(response.content, "html.parser").select_one("#wagtail-sidebar-props")
        found = []

        def walk(node):
            if isinstance(node, dict):
                if node.get("_type") == "wagtail.sidebar.PageExplorerMenuItem":
                    found.append(node["_args"])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(json.loads(props.string))
        (args,) = found
        return args

    client.force_login(user)
    args = explorer(client.get("/admin/"))
    assert args[-1] == partner.pk
    assert f"/admin/pages/{partner.pk}/" in json.dumps(args)
    client.force_login(staff_user)
    assert explorer(client.get("/admin/"))[-1] != partner.pk

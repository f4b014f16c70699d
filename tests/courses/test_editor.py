"""The editor's course form, through the admin's URLs."""

import datetime
import re

import pytest

from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from courses.models import CoursePage, CourseSession

from .factories import (
    CoursePageFactory,
    CourseSessionFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    TopicFactory,
    VenueFactory,
)


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def course(home):
    directory = PartnerIndexPageFactory(parent=home)
    partner = PartnerPageFactory(parent=directory)
    course = CoursePageFactory(parent=partner, slug="sartoria")
    CourseSessionFactory(page=course)
    course.save_revision().publish()
    return course


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def course_form_data(page, sessions, initial=0):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": page.intro,
            "listing_summary": "",
            "description": streamfield([]),
            "learning_outcomes": "",
            "audiences": page.audiences,
            "prerequisites": "",
            "level": page.level,
            "languages": page.languages,
            "hours": "",
            "is_free": "on",
            "price": "",
            "price_note": "",
            "certificate": page.certificate,
            "certificate_note": "",
            "area": page.area,
            "signup_mode": page.signup_mode,
            "contact_name": "",
            "contact_email": "",
            "contact_phone": "",
            "accessibility_notes": "",
            "documents": streamfield([]),
            "sessions": inline_formset(sessions, initial=initial),
            "signup_questions": inline_formset([]),  # sign-ups branch
            "comments": inline_formset([]),
        }
    )


def _session_row(venue, **extra):
    start = timezone.now() + datetime.timedelta(days=10)
    return {
        "start": _local(start),
        "end": _local(start + datetime.timedelta(hours=2)),
        "format": "in_person",
        "venue": venue.pk,
        "online_notes": "",
        "capacity": "10",
        "signup_deadline": "",
        "status": "scheduled",
        "note": "",
        **extra,
    }


@pytest.mark.django_db
def test_editor_adds_a_session_on_the_italian_page(admin_client, course):
    venue = VenueFactory()
    existing = course.sessions.get()
    rows = [
        {
            "id": existing.pk,
            **_session_row(existing.venue, start=_local(existing.start), end=_local(existing.end)),
        },
        _session_row(venue),
    ]
    url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    response = admin_client.post(
        url, {**course_form_data(course, rows, initial=1), "action-publish": "1"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sessions = CourseSession.objects.filter(page=course).order_by("start")
    assert [s.uid for s in sessions][0] == existing.uid
    assert sessions.count() == 2


@pytest.mark.django_db
def test_editor_cannot_add_sessions_to_a_translation(admin_client, course, english, home_en):
    partner = course.get_parent()
    partner.get_parent().copy_for_translation(english)
    partner.copy_for_translation(english)
    translation = course.copy_for_translation(english)
    translation.save_revision().publish()
    translation = CoursePage.objects.get(pk=translation.pk)
    url = reverse("wagtailadmin_pages:edit", args=[translation.pk])
    data = course_form_data(translation, [_session_row(VenueFactory())])
    response = admin_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert "Gli incontri si inseriscono nella pagina italiana" in response.content.decode()
    assert not CourseSession.objects.filter(page=translation).exists()
    # Without sessions the same form saves.
    response = admin_client.post(url, {**course_form_data(translation, []), "action-publish": "1"})
    assert response.status_code == 302


def test_venue_help_says_where_partners_add_a_venue():
    """Partners add a missing venue themselves, from the chooser's "New
    venue" tab (courses/venue_admin.py), no longer by writing to staff."""
    from django.utils import translation

    help_text = CourseSession._meta.get_field("venue").help_text
    with translation.override("it"):
        assert "«Nuova sede»" in str(help_text)
        assert "staff" not in str(help_text)


def test_status_help_says_how_to_cancel_a_session():
    """The help read "Annulla un incontro invece di cancellarlo", "cancel
    instead of cancelling" to a partner: it now names the choice to make and
    the editor's own word for deleting ("Elimina")."""
    from django.utils import translation

    help_text = CourseSession._meta.get_field("status").help_text
    with translation.override("it"):
        assert "scegli «Annullato» invece di eliminarlo" in str(help_text)


def test_labour_needs_and_area_help_speak_plainly():
    """An artisan read "Bisogni rilevati dagli osservatori" and "A quale delle
    quattro aree del progetto": the help now says what to tick in everyday
    words, naming the observatories and the areas only to explain them."""
    from django.utils import translation

    from courses.models import CoursePage

    needs = CoursePage._meta.get_field("labour_needs").help_text
    area = CoursePage._meta.get_field("area").help_text
    with translation.override("it"):
        assert str(needs).startswith("Spunta i bisogni a cui il tuo corso risponde: figure e")
        assert "(gli Osservatori Civici sul Lavoro)" in str(needs)
        assert "se non sei sicuro, lascia questa scelta" in str(area)
        assert "«Laboratori di work design e Academy»" in str(area)
    with translation.override("en"):
        assert str(needs).startswith("Tick what your course helps with: workers and skills")
        assert "not sure, leave it" in str(area)


@pytest.mark.django_db
def test_the_course_editor_shows_the_plain_help(admin_client, course):
    url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    html = admin_client.get(url).content.decode()
    assert "figure e competenze che le imprese della zona non trovano" in html
    assert "dagli osservatori" not in html


@pytest.mark.django_db
def test_course_form_offers_topics_needs_and_partners_of_the_page_language(
    admin_client, course, english, home_en
):
    """The Italian course form listed every topic, labour need and partner
    twice, once in Italian and once in English ("Tailoring and textiles"
    beside "Sartoria e tessile"), and the course's own partner as a possible
    co-organiser. It offers those of the page's language, and keeps any
    already chosen."""
    from tests.partners.factories import LabourNeedFactory

    partner = course.get_parent().specific
    other = PartnerPageFactory(parent=partner.get_parent(), title="Forno di Segrate")
    partner.get_parent().copy_for_translation(english)
    other.copy_for_translation(english)
    topic = TopicFactory(name="Sartoria e tessile", slug="sartoria")
    topic_en = topic.copy_for_translation(english)
    topic_en.name = "Tailoring and textiles"
    topic_en.save()
    need = LabourNeedFactory(title="Sarte per riparazioni")
    need_en = need.copy_for_translation(english)
    need_en.title = "Tailors for repairs"
    need_en.save()
    old_choice = TopicFactory(name="Old topic", slug="old", locale=english)
    course.topics.add(old_choice)
    course.save_revision()

    for url in (
        reverse("wagtailadmin_pages:add", args=["courses", "coursepage", partner.pk]),
        reverse("wagtailadmin_pages:edit", args=[course.pk]),
    ):
        form = admin_client.get(url).context["form"]
        assert "Sartoria e tessile" in [t.name for t in form.fields["topics"].queryset]
        assert "Tailoring and textiles" not in [t.name for t in form.fields["topics"].queryset]
        assert [n.title for n in form.fields["labour_needs"].queryset] == ["Sarte per riparazioni"]
        assert [p.title for p in form.fields["co_organisers"].queryset] == ["Forno di Segrate"]
    # On the edit form, a topic chosen before stays offered (and ticked).
    assert old_choice in form.fields["topics"].queryset


@pytest.mark.django_db
def test_tick_lists_have_capitalised_labels(admin_client, course):
    """The lists to tick (ChoiceListField) were labelled in lower case in the
    editor, "lingua del corso", "a chi si rivolge", "dove operate", beside
    "Livello" and "Ore totali"."""
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content
    html = html.decode()
    assert "Lingua del corso" in html and "lingua del corso" not in html
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[course.get_parent().pk]))
    assert "Dove operate" in html.content.decode()


@pytest.mark.django_db
def test_session_form_has_one_status_label_and_start_and_end_on_one_line(admin_client, course):
    """The session's status sat under a heading "Stato" above its own label
    "Stato"; the end's input sat a line higher than the start's, which alone
    had a help text."""
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content
    html = html.decode()
    session = html[html.index('id="inline_child_sessions-0"') :]
    session = session[: session.index("sessions-__prefix__")]  # the empty form's template
    assert re.search(r'<h3 class="w-field__label">\s*Stato\s*<', session) is None
    assert len(re.findall(r"<label[^>]*>\s*Stato<", session)) == 1
    assert "Data e ora, ora italiana." in session  # the start's help
    assert "Quando finisce, ora italiana." in session  # the end's


@pytest.mark.django_db
def test_editor_refuses_a_new_session_in_the_past_or_without_seats(admin_client, course):
    """A partner could save a new session dated last year (a wrong year
    typed) or with 0 seats, and nothing said so: the course went live with
    a session nobody could sign up for. Sessions already held stay."""
    venue = VenueFactory()
    existing = course.sessions.get()
    CourseSession.objects.filter(pk=existing.pk).update(
        start=existing.start - datetime.timedelta(days=60),
        end=existing.end - datetime.timedelta(days=60),
    )
    existing.refresh_from_db()
    held = {
        "id": existing.pk,
        **_session_row(existing.venue, start=_local(existing.start), end=_local(existing.end)),
    }
    url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    last_year = timezone.now() - datetime.timedelta(days=300)
    past = _session_row(
        venue, start=_local(last_year), end=_local(last_year + datetime.timedelta(hours=2))
    )
    for row, message in (
        (past, "Questa data è già passata"),
        (_session_row(venue, capacity="0"), "Un incontro ha almeno un posto"),
    ):
        data = course_form_data(course, [held, row], initial=1)
        response = admin_client.post(url, {**data, "action-publish": "1"})
        assert response.status_code == 200
        assert message in response.content.decode()
        assert CourseSession.objects.filter(page=course).count() == 1
    # The session held two months ago does not stop the page from saving.
    data = course_form_data(course, [held, _session_row(venue)], initial=1)
    response = admin_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 302
    assert CourseSession.objects.filter(page=course).count() == 2


@pytest.mark.django_db
def test_editor_refuses_a_price_on_a_free_course_and_a_price_of_zero(admin_client, course):
    """'Gratuito' is ticked by default: a partner who typed 40 euro and left
    it ticked published a paid course as free, without a word. A price of 0
    or less on a paid course was accepted too."""
    existing = course.sessions.get()
    row = {
        "id": existing.pk,
        **_session_row(existing.venue, start=_local(existing.start), end=_local(existing.end)),
    }
    url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    data = course_form_data(course, [row], initial=1)
    for changes, message in (
        ({"price": "40"}, "Il corso è segnato come gratuito"),
        ({"is_free": "", "price": "0"}, "Il prezzo deve essere più di 0 euro"),
        ({"is_free": "", "price": "-5"}, "Il prezzo deve essere più di 0 euro"),
    ):
        response = admin_client.post(url, {**data, **changes, "action-publish": "1"})
        assert response.status_code == 200
        assert message in response.content.decode()
    response = admin_client.post(url, {**data, "is_free": "", "price": "40", "action-publish": "1"})
    assert response.status_code == 302
    course.refresh_from_db()
    assert not course.is_free and course.price == 40


@pytest.mark.django_db
def test_editor_refuses_zero_or_negative_total_hours(admin_client, course):
    """'Ore totali' took -5 or 0 and showed it on the course page."""
    existing = course.sessions.get()
    row = {
        "id": existing.pk,
        **_session_row(existing.venue, start=_local(existing.start), end=_local(existing.end)),
    }
    url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    data = course_form_data(course, [row], initial=1)
    for hours in ("0", "-5"):
        response = admin_client.post(url, {**data, "hours": hours, "action-publish": "1"})
        assert response.status_code == 200
        assert "Scrivi le ore di tutti gli incontri insieme" in response.content.decode()
    response = admin_client.post(url, {**data, "hours": "24", "action-publish": "1"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_topics_needs_and_co_organisers_are_boxes_to_tick(admin_client, course):
    """They were multiple-choice list boxes: choosing two topics needed
    Ctrl+click, and a plain click on the second silently dropped the first."""
    from bs4 import BeautifulSoup

    TopicFactory(name="Sartoria e tessile", slug="sartoria")
    url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", course.get_parent().pk])
    soup = BeautifulSoup(admin_client.get(url).content, "html.parser")
    for name in ("topics", "labour_needs", "co_organisers"):
        assert not soup.select(f"select[name={name}]"), name
    assert soup.select("input[type=checkbox][name=topics]")


@pytest.mark.django_db
def test_editor_keeps_line_breaks_as_the_translation_knows_them(admin_client, course):
    """A browser sends a textarea's line breaks as CR LF: the editor stored
    them, the Italian text no longer matched what wagtail-localize had
    translated, and the next sync lost the English of every line."""
    course.learning_outcomes = "Cucire a macchina\nPrendere le misure"
    course.save_revision().publish()
    existing = course.sessions.get()
    row = {
        "id": existing.pk,
        **_session_row(existing.venue, start=_local(existing.start), end=_local(existing.end)),
    }
    url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    data = course_form_data(course, [row], initial=1)
    data["learning_outcomes"] = "Cucire a macchina\r\nPrendere le misure"
    data["prerequisites"] = "Nessuno\r\n"
    response = admin_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 302
    course = CoursePage.objects.get(pk=course.pk)
    assert course.learning_outcomes == "Cucire a macchina\nPrendere le misure"
    assert "\r" not in course.prerequisites
    assert course.get_latest_revision().content["learning_outcomes"] == course.learning_outcomes

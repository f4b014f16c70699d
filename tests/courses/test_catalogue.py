"""The catalogue through HTTP: every filter, combinations, search, sort,
pagination, the archive, bad input and the empty result."""

import datetime
from unittest import mock

import pytest
from bs4 import BeautifulSoup

from django.utils import timezone, translation

from courses.catalogue import date_range
from courses.choices import SessionStatus
from courses.forms import CatalogueFilterForm
from home.demo import translate

from .conftest import local, publish
from .factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    CourseSessionFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)
from .test_course_page import translate_section

URL = "/it/corsi/"


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".course-card h3 a")]


def get(client, query=""):
    response = client.get(URL + ("?" + query if query else ""))
    assert response.status_code == 200, response.content.decode()[:500]
    return response


@pytest.mark.django_db
def test_upcoming_courses_first_without_past_drafts_or_private(client, world):
    assert titles(get(client)) == [
        "Sartoria per ricominciare",
        "Saldatura a filo",
        "Excel per il lavoro",
    ]


FILTERS = [
    ("topic=sartoria", {"Sartoria per ricominciare"}),
    ("topic=digitale", {"Excel per il lavoro"}),
    ("area=enterprise_labs", {"Excel per il lavoro"}),
    ("partner_type=artisan", {"Excel per il lavoro", "Saldatura a filo"}),
    ("partner_type=third_sector", {"Sartoria per ricominciare"}),
    # A partner's courses include those it co-organises.
    ("partner={coop}", {"Sartoria per ricominciare", "Saldatura a filo"}),
    ("partner={artisan}", {"Excel per il lavoro", "Saldatura a filo"}),
    ("comune=rodano", {"Saldatura a filo"}),
    ("comune=pioltello", {"Sartoria per ricominciare"}),
    ("comune=segrate", set()),
    ("format=online", {"Excel per il lavoro"}),
    ("format=blended", {"Saldatura a filo"}),
    ("format=in_person", {"Sartoria per ricominciare"}),
    ("free=on", {"Sartoria per ricominciare", "Saldatura a filo"}),
    ("when=week", {"Sartoria per ricominciare"}),
    ("when=month", {"Sartoria per ricominciare"}),
    ("date_from={in34}&date_to={in36}", {"Saldatura a filo"}),
    ("date_from={in36}", {"Excel per il lavoro"}),
    ("date_to={in30}", {"Sartoria per ricominciare"}),
    # "Everyone" courses fit every audience.
    ("audience=unemployed", {"Excel per il lavoro", "Saldatura a filo"}),
    ("audience=women_returning", {"Sartoria per ricominciare", "Excel per il lavoro"}),
    ("language=en", {"Excel per il lavoro"}),
    ("q=saldare", {"Saldatura a filo"}),
    # Combinations.
    ("partner_type=artisan&free=on", {"Saldatura a filo"}),
    ("comune=pioltello&format=in_person&audience=women_returning", {"Sartoria per ricominciare"}),
    ("topic=digitale&language=en&area=enterprise_labs", {"Excel per il lavoro"}),
    ("partner={coop}&comune=rodano&format=blended", {"Saldatura a filo"}),
    ("topic=sartoria&comune=rodano", set()),
    ("free=on&language=en", set()),
]


def fill(query, world):
    today = timezone.localdate()

    def day(n):
        return (today + datetime.timedelta(days=n)).isoformat()

    return query.format(
        coop=world.coop.pk,
        artisan=world.artisan.pk,
        in30=day(30),
        in34=day(34),
        in36=day(36),
    )


@pytest.mark.django_db
def test_every_filter_and_combinations(client, world):
    # One world for all the cases (building it is the slow part); every
    # case that fails is reported.
    wrong = {}
    for query, expected in FILTERS:
        found = set(titles(get(client, fill(query, world))))
        if found != expected:
            wrong[query] = (found, expected)
    assert wrong == {}


@pytest.mark.django_db
def test_empty_result_says_which_filter_to_relax(client, world):
    response = get(client, "topic=sartoria&comune=rodano")
    soup = BeautifulSoup(response.content, "html.parser")
    hints = {a.get_text(" ", strip=True): a["href"] for a in soup.select(".empty-result li a")}
    assert len(hints) == 2
    topic_hint = next(text for text in hints if "Argomento" in text or "Topic" in text)
    assert topic_hint.endswith("1 corso") or topic_hint.endswith("1 course")
    assert "topic=" not in hints[topic_hint] and "comune=rodano" in hints[topic_hint]
    # Following the hint shows the course.
    assert titles(get(client, hints[topic_hint].lstrip("?"))) == ["Saldatura a filo"]


@pytest.mark.django_db
def test_archive_lists_past_courses_with_filters(client, world):
    assert titles(get(client, "archive=1")) == ["Corso passato"]
    assert titles(get(client, f"archive=1&partner={world.coop.pk}")) == ["Corso passato"]
    assert titles(get(client, f"archive=1&partner={world.artisan.pk}")) == []
    assert "passato" not in " ".join(titles(get(client)))


@pytest.mark.django_db
def test_a_course_is_past_only_when_every_date_is_over(client, world, english, home_en):
    """Past courses are found as one set for the whole query
    (`catalogue.past_keys`): by the Italian page's dates, cancelled ones
    counted (a date moved ahead keeps its course listed), and a course
    without dates yet is never past, in either language."""
    today = timezone.localdate()
    undated = CoursePageFactory(parent=world.coop, title="Date in arrivo", slug="date-in-arrivo")
    publish(undated)
    moved = CoursePageFactory(parent=world.coop, title="Rinviato", slug="rinviato")
    CourseSessionFactory(page=moved, start=local(today - datetime.timedelta(days=10), 9))
    CourseSessionFactory(
        page=moved,
        start=local(today + datetime.timedelta(days=10), 9),
        status=SessionStatus.CANCELLED,
    )
    publish(moved)
    # In English the past course's translation is past by its Italian dates.
    translate_section(world, english)
    translate(world.past, {"Corso passato": "Past course", "passato": "past"}, english)

    listed = titles(get(client))
    assert listed[:3] == ["Sartoria per ricominciare", "Saldatura a filo", "Excel per il lavoro"]
    # No date ahead: after the dated courses, by title.
    assert listed[3:] == ["Date in arrivo", "Rinviato"]
    assert titles(get(client, "archive=1")) == ["Corso passato"]
    english_archive = client.get("/en/courses/?archive=1")
    assert titles(english_archive) == ["Past course"]
    assert "Past course" not in titles(client.get("/en/courses/"))


@pytest.mark.django_db
def test_sort_by_newest(client, world):
    newest = CoursePageFactory(parent=world.coop, title="Ultimo arrivato", slug="ultimo")
    CourseSessionFactory(page=newest, start=timezone.now() + datetime.timedelta(days=80))
    publish(newest)
    assert titles(get(client))[-1] == "Ultimo arrivato"
    assert titles(get(client, "sort=newest"))[0] == "Ultimo arrivato"


@pytest.mark.django_db
def test_pagination(client, world):
    for number in range(12):
        course = CoursePageFactory(parent=world.coop, title=f"Extra {number:02}", slug=f"x{number}")
        CourseSessionFactory(page=course, start=timezone.now() + datetime.timedelta(days=60))
        publish(course)
    first, second = get(client), get(client, "page=2")
    assert len(titles(first)) == 12 and len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))
    assert b'rel="next"' in first.content
    # Out of range or nonsense page numbers fall back instead of failing.
    assert titles(get(client, "page=99")) == titles(second)
    assert titles(get(client, "page=abc")) == titles(first)
    # Filters are kept in the pagination links.
    filtered = get(client, f"partner={world.coop.pk}")
    assert f"partner={world.coop.pk}&amp;page=2".encode() in filtered.content


BAD_QUERIES = [
    "topic=nope",
    "partner=abc",
    "partner=999999",
    "comune=milano",
    "format=teleport",
    "date_from=2026-13-45",
    "date_from=2020-02-01&date_to=2020-01-01",
    "when=century",
    "sort=random",
    "audience=martians",
    "language=xx",
    "area=moon",
    "partner_type=alien",
]


@pytest.mark.django_db
def test_bad_filter_values_get_a_friendly_error_not_a_500(client, world):
    wrong = []
    for query in BAD_QUERIES:
        response = client.get(URL + "?" + query)
        soup = BeautifulSoup(response.content, "html.parser")
        alert = soup.select_one(".catalogue-filters [role=alert]")
        # The error is shown and the courses still are.
        if response.status_code != 400 or alert is None or len(titles(response)) != 3:
            wrong.append(query)
    assert wrong == []


@pytest.mark.django_db
def test_bad_filter_is_ignored_while_the_good_ones_apply(client, world):
    response = client.get(URL + "?comune=milano&topic=sartoria")
    assert response.status_code == 400
    assert titles(response) == ["Sartoria per ricominciare"]


def test_date_ranges_cover_the_next_7_and_30_days():
    wednesday = datetime.date(2026, 3, 25)
    start, end = date_range({"when": "week"}, today=wednesday)
    assert (start.date(), end.date()) == (wednesday, datetime.date(2026, 4, 1))
    assert end.utcoffset() == datetime.timedelta(hours=2)  # summer time from 29 March
    # On a Sunday too: seven days, not Sunday alone.
    sunday = datetime.date(2026, 12, 6)
    start, end = date_range({"when": "week"}, today=sunday)
    assert (start.date(), end.date()) == (sunday, datetime.date(2026, 12, 13))
    # "month" is the next 30 days: on the 31st too, not the 31st alone.
    start, end = date_range({"when": "month"}, today=datetime.date(2026, 12, 31))
    assert (start.date(), end.date()) == (datetime.date(2026, 12, 31), datetime.date(2027, 1, 30))
    start, end = date_range(
        {"date_from": datetime.date(2026, 5, 1), "date_to": datetime.date(2026, 5, 1)}
    )
    assert end - start == datetime.timedelta(days=1)


@pytest.mark.django_db
def test_the_for_filter_tells_no_filter_from_the_everyone_audience(client, world):
    """The empty choice of "For" read "Anyone" ("Chiunque") beside the
    audience "Everyone" ("Tutti"); it now reads like the opportunity index's."""
    soup = BeautifulSoup(get(client).content, "html.parser")
    labels = [o.get_text(strip=True) for o in soup.select("select[name=audience] option")]
    assert labels[0] == "Qualsiasi destinatario"
    assert "Tutti" in labels[1:]
    assert len({label.casefold() for label in labels}) == len(labels)
    with translation.override("en"):
        choices = dict(CatalogueFilterForm().fields["audience"].choices)
        assert (str(choices[""]), str(choices["everyone"])) == ("Any audience", "Everyone")


@pytest.mark.django_db
def test_next_7_days_on_a_sunday_covers_the_week_ahead(client, home):
    """The "This week" filter (when=week) ended on Monday at midnight: on a
    Sunday it showed only that day's courses. Old links keep working."""
    CourseIndexPageFactory(parent=home)
    partner = PartnerPageFactory(parent=PartnerIndexPageFactory(parent=home))
    today = timezone.localdate()
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    for title, days in [("Domenica", 0), ("Martedi", 2), ("Sabato", 6), ("Domenica dopo", 7)]:
        course = CoursePageFactory(parent=partner, title=title)
        start = local(sunday + datetime.timedelta(days=days), 18)
        CourseSessionFactory(page=course, start=start, end=start + datetime.timedelta(hours=2))
        publish(course)
    with mock.patch("django.utils.timezone.now", return_value=local(sunday, 9)):
        response = get(client, "when=week")
    assert titles(response) == ["Domenica", "Martedi", "Sabato"]
    soup = BeautifulSoup(response.content, "html.parser")
    chosen = soup.select_one("select[name=when] option[selected]")
    assert chosen.get_text(strip=True) == "Prossimi 7 giorni"


@pytest.mark.django_db
def test_dates_in_use_read_as_people_write_them(client, world):
    """The filters in use showed the dates as the form sends them,
    "Dal: 2026-12-01"; they read "Dal: 1 dicembre 2026" (in English
    "From: 1 December 2026", as the course pages write dates)."""
    soup = BeautifulSoup(get(client, "date_from=2026-12-01").content, "html.parser")
    shown = [li.get_text(strip=True) for li in soup.select(".active-filters li")]
    assert shown == ["Dal: 1 dicembre 2026"]
    with translation.override("en"):
        form = CatalogueFilterForm({"date_from": "2026-12-01", "date_to": "2027-01-31"})
        assert form.is_valid()
        shown = [label for _name, label in form.active_filters(form.cleaned_data)]
    assert shown == ["From: 1 December 2026", "To: 31 January 2027"]

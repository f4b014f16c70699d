"""How people type, on the demo data: the course they mean comes first."""

import pytest
from bs4 import BeautifulSoup

from django.urls import reverse

pytestmark = pytest.mark.django_db

EXPECTED = {
    "corso cucito gratis pioltello": "Cucito creativo e riuso tessile",
    "saldatore": "Saldatura a filo e a elettrodo",
    "excel serale": "Excel da zero",
    "lavoro over 50": "Curriculum e colloquio di lavoro",
    # A typo, and words without their accents.
    "salsdatura": "Saldatura a filo e a elettrodo",
    "contabilita": "Contabilità semplice per piccole imprese",
}


def first_course(client, query):
    response = client.get(reverse("search"), {"query": query})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    group = page.select_one("#group-course")
    assert group is not None, f"no course for {query!r}"
    return group.find_parent("section").select_one(".result h3").get_text(" ", strip=True)


def test_typical_queries_find_the_expected_course_first(client, demo_site):
    found = {query: first_course(client, query) for query in EXPECTED}
    assert found == EXPECTED
    # "sarta" (a tailor) and the tailoring courses meet, whatever the stemmer.
    assert first_course(client, "sarta") in {
        "Sartoria di base: dal cartamodello al capo finito",
        "Riparazioni sartoriali e orli",
    }

"""ATOMIC_REQUESTS puts every view in a transaction but page views that only
read (home.views.serve) and the health check: a transaction there took
SQLite's write lock (`BEGIN IMMEDIATE`) for every page shown and cost
PostgreSQL two round trips. Forms sent to pages stay all or nothing
(tests/partners/test_challenge_apply.py)."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def statements(client, method, url):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url)
    return response, [q["sql"] for q in queries]


def transaction_statements(sql):
    # Inside the test's own transaction, an atomic block is a savepoint.
    return [s for s in sql if s.startswith(("SAVEPOINT", "BEGIN", "RELEASE SAVEPOINT"))]


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_page_shown_opens_no_transaction(client, home, method):
    page = StandardPageFactory(parent=home, title="Chi siamo", slug="chi-siamo")
    client.get(page.url)
    response, sql = statements(client, method, page.url)
    assert response.status_code == 200
    assert transaction_statements(sql) == []


def test_a_form_sent_to_a_page_is_served_in_a_transaction(client, home):
    page = StandardPageFactory(parent=home, title="Chi siamo", slug="chi-siamo")
    _response, sql = statements(client, "post", page.url)
    assert transaction_statements(sql)[0].startswith("SAVEPOINT")


def test_the_health_check_touches_no_database(client):
    response, sql = statements(client, "get", "/healthz")
    assert response.status_code == 200
    assert sql == []

"""Open data: Wagtail API v2 and the CSV/JSON downloads of the catalogue."""

import csv
import io

import pytest

from django.utils import timezone

from .conftest import publish


@pytest.mark.django_db
def test_api_lists_only_live_public_courses_with_their_sessions(client, world):
    response = client.get("/api/v2/courses/?limit=20")
    assert response.status_code == 200
    items = response.json()["items"]
    titles = {item["title"] for item in items}
    assert titles == {
        "Sartoria per ricominciare",
        "Excel per il lavoro",
        "Saldatura a filo",
        "Corso passato",
    }
    sartoria = next(item for item in items if item["title"] == "Sartoria per ricominciare")
    sessions = sartoria["sessions"]
    assert [s["uid"] for s in sessions] == [
        str(s.uid) for s in world.sartoria.sessions.order_by("start")
    ]
    assert sessions[0]["venue"]["comune"] == "pioltello"
    assert sessions[0]["start"].endswith(("+01:00", "+02:00"))


@pytest.mark.django_db
def test_api_detail_hides_drafts_private_and_other_pages(client, world):
    detail = client.get(f"/api/v2/courses/{world.excel.pk}/?fields=*")
    assert detail.status_code == 200
    data = detail.json()
    assert data["is_free"] is False and data["price"] == "50.00"
    assert data["topics"] == ["digitale"]
    assert data["languages"] == ["it", "en"]
    assert data["partner"]["title"] == "Bottega Due"
    # (Django's LocaleMiddleware sends a 404 outside /it/ through a redirect.)
    for page in (world.draft, world.private, world.coop, world.catalogue):
        assert client.get(f"/api/v2/courses/{page.pk}/", follow=True).status_code == 404
    world.excel.unpublish()
    assert client.get(f"/api/v2/courses/{world.excel.pk}/", follow=True).status_code == 404


@pytest.mark.django_db
def test_api_is_read_only(client, world):
    assert client.post("/api/v2/courses/", {"title": "x"}).status_code == 405


@pytest.mark.django_db
def test_csv_export_has_one_row_per_session_and_respects_filters(client, world):
    response = client.get("/it/corsi/export/csv/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["course"] for row in rows] == [
        "Sartoria per ricominciare",
        "Sartoria per ricominciare",
        "Saldatura a filo",
        "Excel per il lavoro",
    ]
    first = world.sartoria.sessions.order_by("start").first()
    assert rows[0]["session_uid"] == str(first.uid)
    assert rows[0]["start"] == timezone.localtime(first.start).isoformat()
    assert rows[0]["partner"] == "Cooperativa Uno"
    filtered = client.get("/it/corsi/export/csv/?comune=rodano")
    rows = list(csv.DictReader(io.StringIO(filtered.content.decode())))
    assert [row["course"] for row in rows] == ["Saldatura a filo"]


@pytest.mark.django_db
def test_json_export_and_its_errors(client, world):
    data = client.get("/it/corsi/export/json/?archive=1").json()
    assert data["count"] == 1
    assert data["courses"][0]["title"] == "Corso passato"
    assert data["courses"][0]["sessions"][0]["comune"] == "pioltello"
    bad = client.get("/it/corsi/export/json/?comune=milano")
    assert bad.status_code == 400
    assert "comune" in bad.json()["errors"]
    assert client.get("/it/corsi/export/csv/?date_from=nope").status_code == 400


@pytest.mark.django_db
def test_catalogue_links_to_the_filtered_downloads(client, world):
    content = client.get("/it/corsi/?comune=rodano").content.decode()
    assert 'href="/it/corsi/export/csv/?comune=rodano"' in content
    assert 'type="application/json" href="/it/corsi/export/json/?comune=rodano"' in content
    publish(world.catalogue)

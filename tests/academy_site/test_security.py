"""Security headers on public pages, throttled admin log-ins, pinned versions."""

import pytest
from packaging.version import Version

import django
from django.contrib.auth import get_user_model

import wagtail

pytestmark = pytest.mark.django_db


def test_public_pages_forbid_inline_scripts_and_framing(client):
    response = client.get("/it/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_public_pages_have_no_inline_scripts(client):
    html = client.get("/it/").content.decode()
    assert "<script>" not in html
    assert "onclick=" not in html


def test_admin_keeps_its_own_policy(client):
    response = client.get("/admin/login/")
    assert "Content-Security-Policy" not in response


def test_admin_login_is_throttled_after_repeated_failures(client):
    get_user_model().objects.create_user("staff", "staff@example.org", "right-password")
    for _ in range(10):
        response = client.post("/admin/login/", {"username": "staff", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "staff", "password": "right-password"})
    assert response.status_code == 429
    assert "Retry-After" in response


def test_versions_carry_this_years_security_fixes():
    # Django 5.2.19 and Wagtail 8.0.1 are the releases with the 2026 security
    # fixes on these branches; never go below them.
    assert Version(django.__version__) >= Version("5.2.19")
    assert Version(wagtail.__version__) >= Version("8.0.1")


def test_the_admin_sends_no_e_mail_hash_to_gravatar(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "x")
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"gravatar" not in response.content


def test_the_editors_preview_panel_may_show_the_page(home):
    """Wagtail renders a preview (editor's panel, moderation, revisions) by
    running the page through the middleware with a dummy request for its
    public URL: the public pages' policy, `frame-ancestors 'none'`, came
    along, and the browser left the partner's preview panel blank."""
    response = home.make_preview_request()
    assert response.status_code == 200
    assert "frame-ancestors 'none'" not in response.get("Content-Security-Policy", "")

"""How the site's database connections are set up (docs/decisions.md, "No JIT
on PostgreSQL, and seats counted per session")."""

import pytest

from django.db import connection

pytestmark = pytest.mark.django_db


def test_postgresql_connections_run_without_jit():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_a_database_urls_own_options_are_kept(monkeypatch):
    import importlib

    from academy_site.settings import base

    monkeypatch.setenv(
        "DATABASE_URL", "postgres://u@localhost/db?options=-c%20statement_timeout%3D5000"
    )
    try:
        settings = importlib.reload(base)
        assert settings.DATABASES["default"]["OPTIONS"]["options"] == "-c statement_timeout=5000"
        monkeypatch.setenv("DATABASE_URL", "postgres://u@localhost/db")
        settings = importlib.reload(base)
        assert settings.DATABASES["default"]["OPTIONS"]["options"] == (
            "-c jit=off -c plan_cache_mode=force_generic_plan"
        )
    finally:
        monkeypatch.undo()
        importlib.reload(base)

"""TASKS_BACKEND: tasks queued in the database for the worker in
production, run at once in development and tests."""

import pytest

from django.core.exceptions import ImproperlyConfigured

from academy_site.settings.base import tasks_setting

from .test_configuration import PRODUCTION_ENV, run_manage

DATABASE = "django_tasks_db.DatabaseBackend"
IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
SHOW = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"
DEV = {"DJANGO_SETTINGS_MODULE": "academy_site.settings.dev"}


def backend(env):
    result = run_manage("shell", "-c", SHOW, env={"TASKS_BACKEND": "", **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (PRODUCTION_ENV, DATABASE),
        ({**PRODUCTION_ENV, "TASKS_BACKEND": "immediate"}, IMMEDIATE),
        (DEV, IMMEDIATE),
        ({**DEV, "TASKS_BACKEND": "database"}, DATABASE),
    ],
    ids=["production", "production-immediate", "dev", "dev-database"],
)
def test_tasks_backend_by_environment(env, expected):
    assert backend(env) == expected


def test_an_unknown_tasks_backend_stops_start_up():
    result = run_manage("check", env={**PRODUCTION_ENV, "TASKS_BACKEND": "celery"})
    assert result.returncode != 0
    assert "TASKS_BACKEND='celery' is not one of: database, immediate." in result.stderr


def test_tests_run_tasks_at_once(settings):
    assert settings.TASKS["default"]["BACKEND"] == IMMEDIATE
    with pytest.raises(ImproperlyConfigured):
        tasks_setting("")

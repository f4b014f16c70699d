"""The "a course you asked for" e-mail through the task queue, as in
production: it may run long after the course was published, and twice
for one request (two publications, two workers), yet goes out once."""

import threading

import pytest
from django_tasks_db.models import DBTaskResult

from django.core import mail
from django.db import DatabaseError, connection, connections, transaction

from search import demand
from search.models import CourseRequest
from search.notify import send_course_available

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def request_waiting(task_queue, world):
    task_queue()  # what building the world queued (search and reference index)
    DBTaskResult.objects.all().delete()
    mail.outbox.clear()
    return demand.create_request(
        wish="Vorrei imparare a cucire",
        comune="pioltello",
        topic=world.topic_sartoria,
        email="anna@example.org",
        consent=True,
        language="it",
        source="catalogue",
    )


def test_a_request_queued_twice_is_told_once(task_queue, world, request_waiting):
    send_course_available.enqueue(request_waiting.pk, world.sartoria.pk)
    send_course_available.enqueue(request_waiting.pk, world.sartoria.pk)

    task_queue()

    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    request_waiting.refresh_from_db()
    assert request_waiting.notified_at is not None and request_waiting.email == ""


def test_a_course_unpublished_before_the_worker_runs_tells_nobody(
    task_queue, world, request_waiting
):
    send_course_available.enqueue(request_waiting.pk, world.sartoria.pk)
    world.sartoria.unpublish()

    task_queue()

    assert mail.outbox == []
    request_waiting.refresh_from_db()
    assert request_waiting.notified_at is None and request_waiting.email == "anna@example.org"


@pytest.mark.postgres
def test_the_request_stays_locked_while_its_email_is_sent(
    task_queue, world, request_waiting, monkeypatch
):
    """A second worker running the same task meanwhile would have to wait
    for the row, then find it told (PostgreSQL row locks)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: set DATABASE_URL=postgres://…")
    seen_by_another_worker = []

    def try_to_lock():
        try:
            with transaction.atomic():
                CourseRequest.objects.select_for_update(nowait=True).get(pk=request_waiting.pk)
            seen_by_another_worker.append("free")
        except DatabaseError:
            seen_by_another_worker.append("locked")
        finally:
            connections.close_all()

    send = mail.EmailMessage.send

    def send_while_another_worker_looks(message, *args, **kwargs):
        other = threading.Thread(target=try_to_lock)
        other.start()
        other.join()
        return send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", send_while_another_worker_looks)
    send_course_available.enqueue(request_waiting.pk, world.sartoria.pk)

    task_queue()

    assert seen_by_another_worker == ["locked"]
    assert len(mail.outbox) == 1

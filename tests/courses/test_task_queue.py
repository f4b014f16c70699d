"""Sign-up e-mails through the task queue, as in production: the request
stores a task in the database (django-tasks-db), the worker
(`manage.py db_worker`) sends it later, and an e-mail that no longer
applies by then is not sent."""

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from django.core import mail

from courses import booking
from courses.models import SignupStatus
from home.cache import content_generation
from home.models import HomePage

from .signup_factories import make_course, make_partner

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session(task_queue):
    home = HomePage.objects.get(locale__language_code="it", depth=2)
    _course, (session,) = make_course(make_partner(home), capacity=1, title="Cucito creativo")
    task_queue()  # what publishing the course queued (search and reference index)
    DBTaskResult.objects.all().delete()
    return session


def sign_up(session, name):
    return booking.sign_up(
        session, first_name=name, last_name="Rossi", email=f"{name}@example.org", comune="other"
    ).signup


def sent():
    return [(message.to, message.subject) for message in mail.outbox]


def test_a_sign_up_queues_one_email_that_the_worker_sends(task_queue, session):
    mail.outbox.clear()
    signup = sign_up(session, "anna")

    # The request sent nothing: one task waits in the database.
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "courses.emails.send_signup_email"
    assert queued.args_kwargs == {"args": [signup.pk, "confirm_address"], "kwargs": {}}

    generation = content_generation()
    task_queue()

    assert sent() == [
        (["anna@example.org"], "Conferma il tuo indirizzo e-mail: Cucito creativo"),
    ]
    body = mail.outbox[0].body
    assert 'ti abbiamo prenotato un posto a "Cucito creativo"' in body
    assert "http://testserver/it/signup/confirm/" in body
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    # The task's own rows (claimed, finished) changed nothing the public sees.
    assert content_generation() == generation

    task_queue()  # an empty queue: nothing more
    assert len(mail.outbox) == 1


def test_a_cancelled_sign_up_gets_no_confirmation(task_queue, session):
    mail.outbox.clear()
    signup = sign_up(session, "anna")
    booking.cancel(signup.pk)
    assert DBTaskResult.objects.count() == 2  # "confirm your address", then "cancelled"

    task_queue()

    assert sent() == [(["anna@example.org"], "La tua iscrizione è annullata: Cucito creativo")]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2


def test_a_place_on_the_waiting_list_that_became_a_seat_gets_the_seat_email(task_queue, session):
    mail.outbox.clear()
    anna = sign_up(session, "anna")  # the one seat
    bruno = sign_up(session, "bruno")  # waiting list
    booking.confirm_email(bruno.pk)  # "you are on the waiting list"
    booking.cancel(anna.pk)  # bruno moves up: "a seat is free for you"
    bruno.refresh_from_db()
    assert bruno.status == SignupStatus.CONFIRMED

    task_queue()

    # Anna: only that her sign-up is cancelled. Bruno: only the seat; his
    # "confirm your address" and "waiting list" e-mails were overtaken.
    assert sorted(sent()) == [
        (["anna@example.org"], "La tua iscrizione è annullata: Cucito creativo"),
        (["bruno@example.org"], "Si è liberato un posto per te: Cucito creativo"),
    ]

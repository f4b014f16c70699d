"""Sign-up benchmark: concurrent sign-ups per second on PostgreSQL, with the
seats given checked against capacity afterwards.

    python bench/signups.py [--workers 4] [--duration 10] [--sessions 20] [--capacity 40]
                            [--drain-workers 2]

Each worker is a separate process with its own database connection calling
courses.booking.sign_up (participant, row lock on the session, seat count,
waiting list; then, after the commit, the e-mail rendered and sent to
Django's in-memory outbox by the immediate task backend, as in a request)
in a loop for `duration` seconds, in two rounds: spread over `sessions`
sessions, then all on one session (every sign-up waits for the same row
lock). Prints sign-ups per second and whether any session was overbooked;
then the same rounds without the e-mail, to show the booking alone; then
the same rounds with the e-mail queued in the database (the django-tasks-db
backend, TASKS_BACKEND=database as in production), after which
`--drain-workers` worker processes run `manage.py db_worker --batch` until
the queue is empty: e-mails sent per second, and whether every queued
sign-up got its one e-mail.

Needs PostgreSQL: BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/accademia_bench_signups (dropped and
rebuilt).
"""

import argparse
import multiprocessing
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def worker(session_ids, deadline, seed, results, email):
    """`email`: True (sent after the commit, immediate backend), False (none)
    or "queued" (database backend, for the worker)."""
    from django.db import connections

    from courses import booking
    from courses.models import CourseSession

    if not email:
        booking._notify = lambda *args, **kwargs: None
    elif email == "queued":
        use_task_queue()

    rng = random.Random(seed)
    sessions = list(CourseSession.objects.filter(pk__in=session_ids).select_related("page"))
    done = errors = 0
    while time.time() < deadline:
        session = rng.choice(sessions)
        try:
            booking.sign_up(
                session,
                first_name="Persona",
                last_name=f"{seed}-{done}",
                email=f"p{seed}-{done}-{rng.random():.12f}@example.org",
                comune="pioltello",
            )
            done += 1
        except booking.BookingError:
            errors += 1
    connections.close_all()
    results.put((done, errors))


def use_task_queue():
    """In this process, tasks go to the database queue, as in production."""
    from django.test import override_settings

    from academy_site.settings.base import tasks_setting

    override_settings(TASKS=tasks_setting("database")).enable()


SEEDS = {True: 8, False: 7, "queued": 9}  # each round its own e-mail addresses


def run_round(label, session_ids, workers, duration, email=True):
    from django.db import connections

    connections.close_all()  # no connection is shared with the children
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    deadline = time.time() + duration + 1
    processes = [
        context.Process(
            target=worker,
            args=(session_ids, deadline, n * 1000 + SEEDS[email], results, email),
        )
        for n in range(workers)
    ]
    started = time.time()
    for process in processes:
        process.start()
    totals = [results.get() for _ in processes]
    for process in processes:
        process.join()
    elapsed = time.time() - started - 1  # the first second is the workers' start-up
    done = sum(t[0] for t in totals)
    refused = sum(t[1] for t in totals)
    overbooked = check(session_ids)
    print(
        f"{label:<28} {done:>8} {done / max(elapsed, 0.001):>10.0f} {refused:>8} "
        f"{overbooked or 'none'}"
    )
    return done


def drainer(results):
    """One worker process: `db_worker --batch`, then the e-mails it sent."""
    from django.core import mail
    from django.core.management import call_command
    from django.db import connections

    use_task_queue()
    mail.outbox = []
    call_command(
        "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
    )
    connections.close_all()
    results.put(len(mail.outbox))


def drain(workers, queued):
    """Run the task worker in `workers` processes until the queue is empty;
    print e-mails per second and check one e-mail per queued sign-up."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from django.db import connections
    from django.db.models import Count

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    processes = [context.Process(target=drainer, args=(results,)) for _ in range(workers)]
    started = time.time()
    for process in processes:
        process.start()
    sent = sum(results.get() for _ in processes)
    for process in processes:
        process.join()
    elapsed = time.time() - started
    by_status = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")).order_by())
    max_age = connections["default"].settings_dict["CONN_MAX_AGE"]
    print(
        f"worker, {workers} processes, DATABASE_CONN_MAX_AGE={max_age}: {waiting} tasks, "
        f"{sent} e-mails in {elapsed:.1f} s, "
        f"{sent / max(elapsed, 0.001):.0f} e-mails/s; tasks by status {by_status}; "
        f"e-mails {'==' if sent == queued else '!='} queued sign-ups ({queued})"
    )


def check(session_ids):
    """Sessions whose seats given exceed their capacity."""
    from django.db.models import Count, Q

    from courses.models import CourseSession
    from courses.models.bookings import SEAT_STATUSES

    rows = CourseSession.objects.filter(pk__in=session_ids).annotate(
        given=Count("signups", filter=Q(signups__status__in=SEAT_STATUSES))
    )
    return [(row.pk, row.given, row.capacity) for row in rows if row.given > row.capacity]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--capacity", type=int, default=40)
    parser.add_argument("--drain-workers", type=int, default=2)
    args = parser.parse_args()
    database = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/accademia_bench_signups"
    )
    name = database.rsplit("/", 1)[-1]
    admin_url = database.rsplit("/", 1)[0] + "/postgres"
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin_url, "-qc", sql], check=True)  # noqa: S603, S607
    os.environ["DATABASE_URL"] = database
    os.environ["DJANGO_SETTINGS_MODULE"] = "academy_site.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from home.models import HomePage
    from tests.conftest import build_site
    from tests.courses.signup_factories import make_course, make_partner

    build_site()
    home = HomePage.objects.get(locale__language_code="it", depth=2)
    partner = make_partner(home)
    _course, sessions = make_course(partner, capacity=args.capacity, sessions=args.sessions)
    _course, (hot,) = make_course(partner, capacity=args.capacity, title="Corso affollato")
    print(
        f"PostgreSQL, {args.workers} worker processes, {args.duration} s per round, "
        f"capacity {args.capacity} per session"
    )
    print(f"{'round':<28} {'sign-ups':>8} {'per s':>10} {'refused':>8} overbooked")
    run_round(
        f"spread over {args.sessions} sessions",
        [s.pk for s in sessions],
        args.workers,
        args.duration,
    )
    run_round("all on one session", [hot.pk], args.workers, args.duration)
    _course, quiet = make_course(partner, capacity=args.capacity, sessions=args.sessions)
    _course, (quiet_hot,) = make_course(partner, capacity=args.capacity, title="Corso muto")
    run_round("spread, no e-mail", [s.pk for s in quiet], args.workers, args.duration, email=False)
    run_round("one session, no e-mail", [quiet_hot.pk], args.workers, args.duration, email=False)
    _course, queued = make_course(partner, capacity=args.capacity, sessions=args.sessions)
    _course, (queued_hot,) = make_course(partner, capacity=args.capacity, title="Corso in coda")
    rounds = [
        ("spread, e-mail queued", [s.pk for s in queued]),
        ("one session, e-mail queued", [queued_hot.pk]),
    ]
    signed_up = sum(
        run_round(label, ids, args.workers, args.duration, email="queued") for label, ids in rounds
    )
    drain(args.drain_workers, signed_up)


if __name__ == "__main__":
    main()

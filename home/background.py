"""Background tasks queued when the current transaction commits.

Every e-mail the portal sends to a person (sign-ups, applications,
enquiries, receipts) is a django-tasks task, queued by `enqueue_on_commit`:
the request stores the task (one row with the database backend) and the
worker (`manage.py db_worker`) sends it, so a slow or broken mail server
never slows down a request nor turns into an error page after what the
person sent is already stored. Queuing on commit means a transaction that
rolls back queues nothing, and a task never runs before the rows it reads
are visible to the worker.

The tasks take ids, never objects, and read their rows fresh: by the time
the worker runs one, the row may have changed or been erased.
"""

import logging

from django_tasks.base import TaskResultStatus

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args):
    """Queue `task(*args)` once the current transaction commits (at once
    outside a transaction). A failure to queue, or a failure of a task run
    at once by the immediate backend, is logged with its traceback; it
    never reaches the request."""

    def enqueue():
        try:
            result = task.enqueue(*args)
        except Exception:
            logger.exception("Task %s%r could not be queued", task.module_path, args)
            return
        # The immediate backend runs the task here and keeps its error in
        # the result: say so in the log rather than lose the e-mail silently.
        if result.status == TaskResultStatus.FAILED:
            logger.error(
                "Task %s%r failed:\n%s",
                task.module_path,
                args,
                "\n".join(error.traceback for error in result.errors),
            )

    enqueue.__qualname__ = f"enqueue {task.module_path}"  # Django logs callbacks by it
    transaction.on_commit(enqueue, robust=True)

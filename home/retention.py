"""Retention of personal data across apps.

`purge_personal_data` (courses/management/commands) erases what has been
kept long enough; apps other than courses add their own part by connecting
a receiver to `purge_requested`, which is sent with `now` and returns a
line for the command's report. So the command needs no import of them.
"""

from django.dispatch import Signal

purge_requested = Signal()

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from courses import booking


class Command(BaseCommand):
    help = (
        "E-mail a reminder, with 'still coming' / 'can't come' links, to everyone holding a "
        "confirmed seat in a session starting soon (for a series sign-up, before each of its "
        "dates). Safe to run every few minutes: each person gets it once per date. Also "
        "lapses unconfirmed reservations."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=None,
            help="How long before each session (default: SIGNUP_REMINDER_HOURS, 24).",
        )

    def handle(self, *args, hours=None, **options):
        lapsed = booking.lapse_expired()
        hours = hours if hours is not None else booking.reminder_hours()
        sent = booking.send_reminders(within=datetime.timedelta(hours=hours), now=timezone.now())
        self.stdout.write(f"Reminders sent: {sent}. Lapsed reservations: {lapsed}.")

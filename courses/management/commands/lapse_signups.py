from django.core.management.base import BaseCommand

from courses import booking


class Command(BaseCommand):
    help = (
        "End reservations whose e-mail was not confirmed in time (SIGNUP_CONFIRMATION_HOURS, "
        "default 48) and pass their seats to the waiting list. Run every few minutes."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Lapsed reservations: {booking.lapse_expired()}.")

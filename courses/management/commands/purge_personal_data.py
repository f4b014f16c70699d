from django.core.management.base import BaseCommand

from courses import booking


class Command(BaseCommand):
    help = (
        "Anonymise sign-ups of sessions that ended more than SIGNUP_RETENTION_MONTHS "
        "(default 12) ago, keeping statuses and counts for statistics. Run daily."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Sign-ups anonymised: {booking.purge_personal_data()}.")

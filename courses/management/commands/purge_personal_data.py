from django.core.management.base import BaseCommand
from django.utils import timezone

from courses import booking
from home.retention import purge_requested


class Command(BaseCommand):
    help = (
        "Anonymise sign-ups of sessions that ended more than SIGNUP_RETENTION_MONTHS "
        "(default 12) ago, keeping statuses and counts for statistics, and what other "
        "apps keep past their retention (e.g. e-mails of course requests). Run daily."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        self.stdout.write(f"Sign-ups anonymised: {booking.purge_personal_data(now)}.")
        for _receiver, line in purge_requested.send(sender=self.__class__, now=now):
            if line:
                self.stdout.write(str(line))

from django.core.management.base import BaseCommand, CommandError

from partners.enquiries import RETENTION_MONTHS, anonymise_older_than


class Command(BaseCommand):
    help = (
        "Anonymise enquiries older than the retention period (default 12 months): "
        "names, e-mails, phones and messages are blanked, dates and opportunities kept. "
        "Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=RETENTION_MONTHS,
            help=f"Keep enquiries for this many months (default {RETENTION_MONTHS}).",
        )

    def handle(self, *args, months, **options):
        if months < 1:
            raise CommandError("--months must be at least 1.")
        count = anonymise_older_than(months)
        self.stdout.write(f"Anonymised {count} enquiries older than {months} months.")

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import F
from django.utils import timezone

from donations import receipts
from donations.models import Payment


class Command(BaseCommand):
    help = (
        "Send the receipts that could not be sent when their payment arrived (the mail "
        "server was down): each one at most once. Run every 15 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=10,
            help="Leave payments younger than this to the task the webhook queued.",
        )

    def handle(self, *args, min_age_minutes, **options):
        waiting = (
            Payment.objects.filter(
                receipt_sent_at__isnull=True,
                paid_at__lte=timezone.now() - timedelta(minutes=min_age_minutes),
                # A gift wholly refunded is no gift: it gets no receipt.
                refunded_cents__lt=F("amount_cents"),
            )
            .order_by("paid_at")
            .values_list("pk", flat=True)
        )
        sent = failed = 0
        for payment_id in waiting:
            if receipts.send_receipt(payment_id):
                sent += 1
            elif Payment.objects.filter(pk=payment_id, receipt_sent_at__isnull=True).exists():
                failed += 1
        self.stdout.write(f"Receipts sent: {sent}.")
        if failed:
            self.stderr.write(f"Receipts that still could not be sent: {failed}.")

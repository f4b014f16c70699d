from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from donations import receipts, renewals
from donations.models import Payment


class Command(BaseCommand):
    help = (
        "Send the receipts, and the notices of failed monthly payments, that could not be "
        "sent when Stripe's event arrived (the mail server was down): each one at most "
        "once. Run every 15 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=10,
            help="Leave payments and failures younger than this to the task the webhook queued.",
        )

    def handle(self, *args, min_age_minutes, **options):
        before = timezone.now() - timedelta(minutes=min_age_minutes)
        self.send_receipts(before)
        self.send_renewal_notices(before)

    def send_receipts(self, before):
        waiting = (
            Payment.objects.alias(net=Payment.net_expression())
            # A gift wholly refunded (or taken back by a lost dispute) is no
            # gift: it gets no receipt.
            .filter(receipt_sent_at__isnull=True, paid_at__lte=before, net__gt=0)
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

    def send_renewal_notices(self, before):
        waiting = (
            renewals.unsent()
            .filter(failed_at__lte=before)
            .order_by("failed_at")
            .values_list("pk", flat=True)
        )
        sent = failed = 0
        for failure_id in waiting:
            if renewals.send_notice(failure_id):
                sent += 1
            elif renewals.unsent().filter(pk=failure_id).exists():
                failed += 1
        self.stdout.write(f"Notices of failed monthly payments sent: {sent}.")
        if failed:
            self.stderr.write(f"Notices of failed monthly payments not sent: {failed}.")

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
        unsent = Payment.objects.filter(receipt_sent_at__isnull=True)
        self.send_each(waiting, receipts.send_receipt, unsent, "Receipts")

    def send_renewal_notices(self, before):
        waiting = (
            renewals.unsent()
            .filter(failed_at__lte=before)
            .order_by("failed_at")
            .values_list("pk", flat=True)
        )
        self.send_each(
            waiting, renewals.send_notice, renewals.unsent(), "Notices of failed monthly payments"
        )

    def send_each(self, waiting, send, unsent, what):
        """`send` each id of `waiting`; one `send` declined is counted as
        failed only if it is still `unsent` (another run may have sent it)."""
        sent = failed = 0
        for pk in waiting:
            if send(pk):
                sent += 1
            elif unsent.filter(pk=pk).exists():
                failed += 1
        self.stdout.write(f"{what} sent: {sent}.")
        if failed:
            self.stderr.write(f"{what} that still could not be sent: {failed}.")

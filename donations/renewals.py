"""Monthly gifts whose instalment Stripe could not collect: the donor is
told once per failed invoice, in their language, what happened, whether
and when Stripe tries again, and how to pay or stop the gift. Sent from
the worker after the webhook commits (as receipts are); what the mail
server refused, `send_donation_receipts` sends later, once."""

from decimal import Decimal

from django_tasks import task

from django.db import transaction

from .models import RenewalFailure
from .receipts import manage_url, page_for, send_and_mark


def unsent():
    """Failures whose donor has not been told yet and still needs to be:
    the gift was not paid since nor stopped."""
    return RenewalFailure.objects.filter(
        notice_sent_at__isnull=True,
        resolved_at__isnull=True,
        donation__cancelled_at__isnull=True,
    )


def notice_context(failure):
    donation = failure.donation
    return {
        "failure": failure,
        "donation": donation,
        "page": page_for(donation),
        "amount": Decimal(failure.amount_cents) / 100,
        "next_attempt": failure.next_attempt_at,
        "invoice_url": failure.hosted_invoice_url,
        # Stripe's customer portal (change the card, stop the gift) needs
        # the customer; without it the donor replies to the e-mail.
        "manage_url": manage_url(donation) if donation.stripe_customer_id else "",
    }


@task()
def email_renewal_failed(failure_id):
    """Tell the donor from the worker (queued by the webhook once the
    failure is stored; `send_notice` sends it at most once)."""
    send_notice(failure_id)


def send_notice(failure_id):
    with transaction.atomic():
        failure = (
            unsent().select_for_update().select_related("donation").filter(pk=failure_id).first()
        )
        if failure is None:
            return False
        return send_and_mark(
            failure, "notice_sent_at", "renewal_failed", notice_context(failure), failure.donation
        )

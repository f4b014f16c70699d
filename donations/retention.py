"""How long the data of a gift that never happened are kept.

Someone who filled in the form and left Stripe's page without paying (or
whose bank debit failed) gave their name, codice fiscale, address and
e-mail "only for this gift and its receipt": there is no gift and no
receipt, so after `ABANDONED_DAYS` the record goes. Gifts with a payment
are kept (receipts, accounts); a bank debit still pending is left alone.
`purge_personal_data` (daily cron) runs this through `home.retention`."""

from datetime import timedelta

from .choices import DonationStatus
from .models import Donation

ABANDONED_DAYS = 30


def purge_abandoned(now):
    gone, _ = (
        Donation.objects.filter(
            created_at__lt=now - timedelta(days=ABANDONED_DAYS),
            status__in=[DonationStatus.STARTED, DonationStatus.EXPIRED, DonationStatus.FAILED],
            payments__isnull=True,
        )
        .distinct()
        .delete()
    )
    return gone


def purge_requested_receiver(sender, now=None, **kwargs):
    return (
        f"Donations never paid, older than {ABANDONED_DAYS} days, erased: {purge_abandoned(now)}."
    )

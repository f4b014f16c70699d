"""Receipts: a progressive number per year, and an e-mail per payment (each
monthly instalment too) with what an Italian receipt for a deductible gift
needs, in the donor's language, as plain text and HTML."""

import logging

from django_tasks import task

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .choices import Frequency
from .models import DonationPage, Payment, ReceiptSequence

logger = logging.getLogger(__name__)


@transaction.atomic
def next_number(year):
    """The next receipt number of `year`, with the year's row locked until
    the (caller's) transaction ends, so two payments never share a number."""
    ReceiptSequence.objects.get_or_create(year=year)
    sequence = ReceiptSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def page_for(donation):
    pages = DonationPage.objects.filter(translation_key=donation.fund).select_related("locale")
    by_language = {page.locale.language_code: page for page in pages}
    return by_language.get(donation.language) or next(iter(by_language.values()), None)


def manage_url(donation):
    return settings.WAGTAILADMIN_BASE_URL + reverse("donations:manage", args=[donation.uuid])


def receipt_context(payment):
    donation = payment.donation
    page = page_for(donation)
    instalment = None
    if donation.frequency == Frequency.MONTHLY:
        instalment = donation.payments.filter(paid_at__lte=payment.paid_at).count()
    return {
        "payment": payment,
        "donation": donation,
        "page": page,
        "paid_on": timezone.localtime(payment.paid_at).date(),
        "instalment": instalment,
        "manage_url": manage_url(donation) if donation.frequency == Frequency.MONTHLY else "",
    }


def donor_email(name, context, donation):
    """The e-mail `donations/email/<name>` (subject, text and HTML) to the
    donor, rendered in the language active (the caller sets the donor's)."""
    subject = render_to_string(f"donations/email/{name}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"donations/email/{name}.txt", context),
        to=[donation.email],
    )
    message.attach_alternative(
        render_to_string(f"donations/email/{name}.html", context), "text/html"
    )
    return message


@task()
def email_receipt(payment_id):
    """Send the payment's receipt from the worker (queued by the webhook
    once the payment is stored; `send_receipt` sends it at most once)."""
    send_receipt(payment_id)


def send_receipt(payment_id):
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .select_related("donation")
            .filter(pk=payment_id, receipt_sent_at__isnull=True)
            .first()
        )
        if payment is None:
            return False
        return send_and_mark(
            payment, "receipt_sent_at", "receipt", receipt_context(payment), payment.donation
        )


def send_and_mark(record, sent_field, kind, context, donation):
    """E-mail the donor `kind` in their language and, once the mail server
    took it, stamp `record`'s `sent_field`; a refusal leaves it unstamped
    for `send_donation_receipts` to try again. Called with `record` locked
    (select_for_update) and unstamped, so each e-mail goes at most once."""
    with translation.override(donation.language):
        message = donor_email(kind, context, donation)
    try:
        message.send()
    except OSError:
        logger.exception("The %s e-mail for %r could not be sent", kind, record)
        return False
    setattr(record, sent_field, timezone.now())
    record.save(update_fields=[sent_field])
    return True

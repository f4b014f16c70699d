from collections import defaultdict

from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import timezone, translation

from donations.models import Payment


class Command(BaseCommand):
    help = (
        "E-mail every donor a summary of the gifts received in a year (net of refunds), "
        "for the tax return. Run once in January for the year before."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=timezone.localdate().year - 1)

    def handle(self, *args, year, **options):
        donors = defaultdict(list)
        payments = (
            Payment.objects.filter(receipt_year=year).select_related("donation").order_by("paid_at")
        )
        for payment in payments:
            if payment.net_cents > 0:
                donation = payment.donation
                donors[(donation.email.lower(), donation.tax_code)].append(payment)
        for (email, _tax_code), gifts in donors.items():
            donation = gifts[-1].donation
            with translation.override(donation.language):
                context = {
                    "year": year,
                    "donation": donation,
                    "payments": gifts,
                    "total": sum(p.net_cents for p in gifts) / 100,
                }
                subject = render_to_string("donations/email/summary_subject.txt", context)
                body = render_to_string("donations/email/summary.txt", context)
            send_mail(" ".join(subject.split()), body, None, [email])
        self.stdout.write(f"Sent {len(donors)} yearly summaries for {year}.")

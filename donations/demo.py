"""Demo data: the Fondo Solidale page (Italian and English) and some gifts
already confirmed, as if Stripe's webhooks had brought them. Idempotent."""

import datetime
import uuid

from django.utils import timezone

from home.demo import add_child, demo_image, translate

from . import progress, receipts
from .choices import DonationStatus, DonorType, Frequency
from .models import Donation, DonationPage, Payment

STORY_IT = (
    "<p>Il Fondo Solidale «Cittadinanza al lavoro» sostiene chi sta cercando di rientrare "
    "nel mondo del lavoro: un abbonamento per i mezzi per andare ai colloqui, il materiale "
    "per un corso, una piccola attrezzatura per ripartire con un mestiere.</p>"
    "<p>È partito con 40.000 euro del Distretto Sociale 3 Est Milano, raddoppiati dalla "
    "Fondazione di Comunità Milano. Ogni donazione, di persone, imprese e associazioni, "
    "si aggiunge a questa base ed è rendicontata pubblicamente.</p>"
)
STORY_EN = (
    "<p>The Solidarity Fund “Cittadinanza al lavoro” supports people trying to get back "
    "into work: a travel pass to get to interviews, the materials for a course, a small "
    "set of tools to start again with a trade.</p>"
    "<p>It started with 40,000 euros from the Distretto Sociale 3 Est Milano, doubled by "
    "the Fondazione di Comunità Milano. Every gift from people, companies and associations "
    "adds to it and is publicly accounted for.</p>"
)
INTRO_IT = "Un fondo del territorio per chi cerca lavoro: ogni euro è contato una volta sola."
INTRO_EN = "A local fund for people looking for work: every euro is counted once."
THANKS_IT = "<p>Grazie: con il tuo aiuto una persona in più può ripartire.</p>"
THANKS_EN = "<p>Thank you: with your help one more person can start again.</p>"
BANK_IT = (
    "Intestatario: Libera Compagnia di Arti & Mestieri Sociali\n"
    "IBAN: IT60 X054 2811 1010 0000 0123 456\n"
    "Causale: Fondo Solidale Cittadinanza al lavoro"
)
BANK_EN = (
    "Account holder: Libera Compagnia di Arti & Mestieri Sociali\n"
    "IBAN: IT60 X054 2811 1010 0000 0123 456\n"
    "Reason for payment: Fondo Solidale Cittadinanza al lavoro"
)
TAX_IT = (
    "Erogazione liberale detraibile o deducibile ai sensi dell'art. 83 del D.Lgs. 117/2017 "
    "(Codice del Terzo settore), se effettuata con mezzi tracciabili."
)
TAX_EN = (
    "Gift deductible under art. 83 of Legislative Decree 117/2017 (Third Sector Code), "
    "when made by traceable means."
)

# (first name, last name or company, type, frequency, euros, instalments, wall name, message)
GIFTS = [
    (
        "Maria",
        "Colombo",
        DonorType.INDIVIDUAL,
        Frequency.ONE_OFF,
        50,
        1,
        "Maria da Segrate",
        "Per chi riparte, in bocca al lupo!",
    ),
    ("Giovanni", "Brambilla", DonorType.INDIVIDUAL, Frequency.MONTHLY, 10, 3, "Giovanni B.", ""),
    (
        "",
        "Falegnameria Ferrari Srl",
        DonorType.COMPANY,
        Frequency.ONE_OFF,
        1000,
        1,
        "Falegnameria Ferrari",
        "Il lavoro è dignità.",
    ),
    ("Lucia", "Esposito", DonorType.INDIVIDUAL, Frequency.ONE_OFF, 25, 1, "", ""),
    (
        "",
        "Associazione Genitori Pioltello",
        DonorType.ORGANISATION,
        Frequency.ONE_OFF,
        300,
        1,
        "Associazione Genitori Pioltello",
        "",
    ),
    (
        "Ahmed",
        "Benali",
        DonorType.INDIVIDUAL,
        Frequency.MONTHLY,
        25,
        2,
        "Ahmed",
        "Grazie a chi mi ha aiutato.",
    ),
]
TAX_CODES = {
    DonorType.INDIVIDUAL: "RSSMRA85T10A562S",
    DonorType.COMPANY: "12345678903",
    DonorType.ORGANISATION: "00743110157",
}


def load(context):
    home = context.home()
    image = demo_image(
        "Fondo Solidale: mani che si stringono", "#b23a20", 8, description="Il Fondo Solidale"
    )
    page = add_child(
        context,
        home,
        DonationPage(
            title="Fondo Solidale",
            slug="fondo-solidale",
            show_in_menus=True,
            intro=INTRO_IT,
            story=[("paragraph", STORY_IT)],
            listing_summary=INTRO_IT,
            listing_image=image,
            thank_you_text=THANKS_IT,
            bank_transfer_details=BANK_IT,
            receipt_issuer=(
                "Libera Compagnia di Arti & Mestieri Sociali, società cooperativa sociale\n"
                "Via Carlo Cattaneo 1, 20096 Pioltello (MI)\nC.F. e P.IVA 12345678903"
            ),
            receipt_tax_note=TAX_IT,
        ),
    )
    english = context.english
    if not page.has_translation(english):
        strings = {
            "Fondo Solidale": "Solidarity Fund",
            "fondo-solidale": "solidarity-fund",
            INTRO_IT: INTRO_EN,
            STORY_IT: STORY_EN,
            THANKS_IT: THANKS_EN,
            BANK_IT: BANK_EN,
            TAX_IT: TAX_EN,
        }
        translate(page, strings, english)
    _demo_gifts(context, page)


def _demo_gifts(context, page):
    now = timezone.now()
    created = 0
    for n, (first, last, donor_type, frequency, euros, instalments, wall, message) in enumerate(
        GIFTS * context.scale
    ):
        reference = uuid.uuid5(uuid.NAMESPACE_URL, f"accademia-demo-gift-{n}")
        if Donation.objects.filter(uuid=reference).exists():
            continue
        individual = donor_type == DonorType.INDIVIDUAL
        donation = Donation.objects.create(
            uuid=reference,
            fund=page.translation_key,
            language="it",
            frequency=frequency,
            amount_cents=euros * 100,
            donor_type=donor_type,
            first_name=first if individual else "",
            last_name=last if individual else "",
            organisation_name="" if individual else last,
            tax_code=TAX_CODES[donor_type],
            street="Via Roma 1",
            postcode="20096",
            city="Pioltello",
            province="MI",
            email=f"demo{n}@cittadinanzalavoro.example",
            public_name=wall,
            public_message=message,
            show_on_wall=bool(wall),
            privacy_consent_at=now,
            stripe_checkout_session_id=f"cs_demo_{n}",
            stripe_subscription_id=f"sub_demo_{n}" if frequency == Frequency.MONTHLY else None,
            checkout_completed_at=now,
            status=DonationStatus.STARTED,
        )
        for month in range(instalments):
            paid_at = now - datetime.timedelta(days=30 * (instalments - month - 1) + n)
            Payment.objects.create(
                donation=donation,
                amount_cents=euros * 100,
                paid_at=paid_at,
                stripe_payment_intent_id=f"pi_demo_{n}_{month}",
                stripe_invoice_id=f"in_demo_{n}_{month}"
                if frequency == Frequency.MONTHLY
                else None,
                receipt_year=paid_at.year,
                receipt_number=receipts.next_number(paid_at.year),
                receipt_sent_at=paid_at,
            )
        donation.refresh_status()
        created += 1
    progress.forget(page.translation_key)
    context.log(f"Solidarity Fund ready ({created} new demo gifts).")

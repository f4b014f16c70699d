"""Demo data for the challenge calls: the index (/it/sfide/, /en/challenges/),
three challenges from partners of different types (one closed) with
questions, FAQ and applications. Called at the end of partners/demo.py.
Running it twice changes nothing."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from home.demo import add_child, child_by_slug, demo_image, translate

from .choices import DISTRICT, ApplicationStatus, Eligibility, Offer, Sector
from .models import (
    ChallengeApplication,
    ChallengeIndexPage,
    ChallengePage,
    ChallengeQuestion,
    PartnerPage,
)

ROME = ZoneInfo("Europe/Rome")

# (partner slug, slug, title IT, title EN, summary IT, summary EN, problem IT,
#  problem EN, offers, eligibility, sector, comuni, days from opening to today,
#  days from today to the deadline (negative: closed), colour,
#  [(question IT, question EN)])
CHALLENGES = [
    (
        "segrate-logistica-hub",
        "riparare-i-resi",
        "Un servizio di riparazione per i nostri resi",
        "A repair service for our returned goods",
        "Ogni mese tornano al magazzino centinaia di piccoli elettrodomestici quasi "
        "nuovi: cerchiamo chi li ripari e dia loro una seconda vita.",
        "Every month hundreds of nearly new small appliances come back to our warehouse: "
        "we look for people to repair them and give them a second life.",
        "Riceviamo ogni mese circa 800 resi di piccoli elettrodomestici con difetti "
        "minori. Oggi finiscono al macero. Cerchiamo un'idea d'impresa che li ripari, "
        "li certifichi e li rimetta in vendita sul territorio.",
        "Every month we receive about 800 returns of small appliances with minor "
        "faults. Today they are scrapped. We look for a business idea that repairs, "
        "certifies and sells them again locally.",
        [Offer.PAID_PILOT, Offer.SPACE, Offer.MENTORING],
        [Eligibility.INDIVIDUAL, Eligibility.TEAM, Eligibility.NEW_BUSINESS],
        Sector.CRAFTS,
        ["segrate"],
        20,
        45,
        "#5b3f8c",
        [
            (
                "Quali competenze tecniche ha il tuo gruppo?",
                "What technical skills does your team have?",
            ),
            (
                "Come venderesti i prodotti riparati?",
                "How would you sell the repaired goods?",
            ),
        ],
    ),
    (
        "comune-di-pioltello",
        "anziani-soli",
        "Come raggiungiamo gli anziani che vivono soli?",
        "How do we reach elderly people who live alone?",
        "A Pioltello più di 1.200 persone sopra i 75 anni vivono sole. Molte non "
        "conoscono i servizi che potrebbero aiutarle.",
        "In Pioltello more than 1,200 people over 75 live alone. Many do not know the "
        "services that could help them.",
        "I servizi sociali faticano a raggiungere chi non usa internet e non esce di "
        "casa. Cerchiamo progetti, anche di piccole imprese o cooperative nascenti, "
        "per intercettare questi bisogni e portare i servizi a domicilio.",
        "Social services struggle to reach people who do not use the internet and do "
        "not leave home. We look for projects, including from small businesses or new "
        "cooperatives, to find these needs and bring services to people's homes.",
        [Offer.PRIZE, Offer.MENTORING],
        [Eligibility.TEAM, Eligibility.NEW_BUSINESS],
        Sector.CARE,
        ["pioltello"],
        10,
        25,
        "#8a3b12",
        [("Chi farebbe parte del servizio?", "Who would be part of the service?")],
    ),
    (
        "libera-compagnia",
        "tessuti-di-recupero",
        "Una seconda vita per i tessuti di recupero",
        "A second life for reclaimed fabrics",
        "Abbiamo quintali di scampoli donati dalle aziende tessili: quali prodotti e "
        "quale lavoro possono nascerne?",
        "We have tonnes of offcuts donated by textile companies: what products and "
        "which jobs can come from them?",
        "Il laboratorio di sartoria riceve ogni anno scampoli e rimanenze di magazzino. "
        "Cercavamo idee per trasformarli in prodotti vendibili e in posti di lavoro.",
        "The tailoring workshop receives offcuts and surplus stock every year. We were "
        "looking for ideas to turn them into products that sell and into jobs.",
        [Offer.SPACE, Offer.MATERIALS, Offer.MENTORING],
        [Eligibility.INDIVIDUAL, Eligibility.TEAM],
        Sector.TAILORING,
        [DISTRICT],
        90,
        -30,
        "#0b5d57",
        [("Che prodotto immagini?", "What product do you have in mind?")],
    ),
]

FAQ_IT = (
    "Posso candidarmi se sono disoccupato/a?",
    "<p>Sì: le sfide sono pensate proprio per chi vuole rimettersi in gioco.</p>",
)
FAQ_EN = (
    "Can I apply if I am unemployed?",
    "<p>Yes: the challenges are designed for people who want to get back into work.</p>",
)
TIMELINE_IT = (
    "<p>Dopo la scadenza: selezione entro tre settimane, colloqui, avvio del progetto.</p>"
)
TIMELINE_EN = "<p>After the deadline: shortlist within three weeks, interviews, project start.</p>"
CRITERIA_IT = "<p>Fattibilità, impatto sul territorio, coinvolgimento di persone disoccupate.</p>"
CRITERIA_EN = "<p>Feasibility, local impact, involvement of unemployed people.</p>"

# (challenge slug, reference, name, e-mail, type, organisation, status, language)
APPLICATIONS = [
    (
        "riparare-i-resi",
        "SF-DEMO-0001",
        "Marco Rinaldi",
        "marco.rinaldi@example.org",
        Eligibility.TEAM,
        "RiGenera",
        ApplicationStatus.SHORTLISTED,
        "it",
    ),
    (
        "riparare-i-resi",
        "SF-DEMO-0002",
        "Amina Diallo",
        "amina.diallo@example.org",
        Eligibility.INDIVIDUAL,
        "",
        ApplicationStatus.RECEIVED,
        "en",
    ),
    (
        "anziani-soli",
        "SF-DEMO-0003",
        "Giulia Ferri",
        "giulia.ferri@example.org",
        Eligibility.NEW_BUSINESS,
        "Vicini di Casa coop",
        ApplicationStatus.RECEIVED,
        "it",
    ),
    (
        "tessuti-di-recupero",
        "SF-DEMO-0004",
        "Lucia Bianchi",
        "lucia.bianchi@example.org",
        Eligibility.TEAM,
        "Scampoli Felici",
        ApplicationStatus.SELECTED,
        "it",
    ),
    (
        "tessuti-di-recupero",
        "SF-DEMO-0005",
        "Paolo Conti",
        "paolo.conti@example.org",
        Eligibility.INDIVIDUAL,
        "",
        ApplicationStatus.NOT_SELECTED,
        "it",
    ),
]


def _at_noon(day):
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=ROME)


def ensure_index(context, home):
    english = context.english
    index = add_child(
        context,
        home,
        ChallengeIndexPage(
            title="Sfide",
            slug="sfide",
            show_in_menus=True,
            intro=(
                "Imprese ed enti del territorio propongono un problema: porta la tua idea, "
                "da solo o in squadra, e falla crescere nei laboratori d'impresa."
            ),
            listing_summary="Le sfide proposte dalla rete per i laboratori d'impresa.",
        ),
    )
    if not index.has_translation(english):
        translate(
            index,
            {
                "Sfide": "Challenges",
                "sfide": "challenges",
                index.intro: (
                    "Local companies and bodies pose a problem: bring your idea, alone or "
                    "as a team, and grow it in the enterprise labs."
                ),
                index.listing_summary: (
                    "The challenges posed by the network for the enterprise labs."
                ),
            },
            english,
        )
    return index


def ensure_challenge(context, row):
    (
        partner_slug,
        slug,
        title_it,
        title_en,
        summary_it,
        summary_en,
        problem_it,
        problem_en,
        offers,
        eligibility,
        sector,
        comuni,
        opened_days,
        deadline_days,
        colour,
        questions,
    ) = row
    italian, english = context.italian, context.english
    partner = PartnerPage.objects.filter(slug=partner_slug, locale=italian).first()
    if partner is None:
        return None
    existing = child_by_slug(partner, slug)
    if existing is not None:
        return existing
    today = timezone.localdate()
    page = ChallengePage(
        title=title_it,
        slug=slug,
        listing_summary=summary_it,
        listing_image=demo_image(title_it, colour, len(slug), collection=partner.collection),
        problem=f"<p>{problem_it}</p>",
        offers=offers,
        eligibility=eligibility,
        evaluation_criteria=CRITERIA_IT,
        timeline=TIMELINE_IT,
        opens_at=_at_noon(today - datetime.timedelta(days=opened_days)),
        closes_at=_at_noon(today + datetime.timedelta(days=deadline_days)),
        sector=sector,
        comuni=comuni,
        faq=[
            (
                "faq",
                {
                    "heading": "Domande frequenti",
                    "items": [{"question": FAQ_IT[0], "answer": FAQ_IT[1]}],
                },
            )
        ],
        questions=[
            ChallengeQuestion(label=question_it, locale=italian)
            for question_it, _question_en in questions
        ],
    )
    page = add_child(context, partner, page)
    if partner.has_translation(english):
        strings = {
            title_it: title_en,
            slug: slug,
            summary_it: summary_en,
            f"<p>{problem_it}</p>": f"<p>{problem_en}</p>",
            CRITERIA_IT: CRITERIA_EN,
            TIMELINE_IT: TIMELINE_EN,
            "Domande frequenti": "Frequently asked questions",
            FAQ_IT[0]: FAQ_EN[0],
            FAQ_IT[1]: FAQ_EN[1],
            **dict(questions),
        }
        translate(page, strings, english)
    return page


def ensure_applications(context, challenges):
    by_slug = {page.slug: page for page in challenges if page is not None}
    for slug, reference, name, email, kind, organisation, status, language in APPLICATIONS:
        challenge = by_slug.get(slug)
        if challenge is None or ChallengeApplication.objects.filter(reference=reference).exists():
            continue
        received = min(challenge.closes_at, timezone.now()) - datetime.timedelta(days=3)
        questions = list(challenge.questions.all())
        ChallengeApplication.objects.create(
            challenge=challenge,
            reference=reference,
            language=language,
            applicant_type=kind,
            name=name,
            email=email,
            organisation=organisation,
            team_members="Sara Colombo — progettazione\nLuca Ricci — vendite"
            if kind != Eligibility.INDIVIDUAL
            else "",
            answers=[
                {"position": number, "question": question.label, "answer": "Esempio di risposta."}
                for number, question in enumerate(questions, start=1)
            ],
            idea=(
                "Un laboratorio di quartiere che coinvolge persone disoccupate, con un "
                "piano di vendita locale e un anno di prova."
            ),
            status=status,
            status_changed_at=received if status != ApplicationStatus.RECEIVED else None,
            privacy_consent_at=received,
            sharing_consent_at=received,
            created_at=received,
        )
        context.created += 1


def load(context):
    home = context.home()
    ensure_index(context, home)
    challenges = [ensure_challenge(context, row) for row in CHALLENGES]
    ensure_applications(context, challenges)
    context.log(f"Challenges ready: {len([c for c in challenges if c])} calls with applications.")

"""Demo data for the network's opportunities: the index page (Italian and
English) and a handful of opportunities from different kinds of partner,
one of them already closed, some translated. Called at the end of
partners.demo.load; running it twice changes nothing."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from wagtail.models import Page

from home.demo import add_child, child_by_slug, translate

from .choices import DISTRICT, ApplyMethod, Audience, OpportunityKind
from .models import OpportunityIndexPage, OpportunityPage, OpportunityRelatedPage, PartnerPage

ROME = ZoneInfo("Europe/Rome")


def _deadline(days, hour=12):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=ROME)


# (partner slug, fields, English strings keyed by the Italian text, or None)
OPPORTUNITIES = [
    (
        "segrate-logistica-hub",
        {
            "title": "Tirocinio in magazzino e carrellisti",
            "slug": "tirocinio-magazzino",
            "kind": OpportunityKind.INTERNSHIP,
            "intro": "Sei mesi in un grande polo logistico di Segrate, con patentino "
            "del muletto pagato dall'azienda.",
            "description": "<p>Affiancherai i capi turno nel ricevimento merci, nella "
            "preparazione degli ordini e nella gestione del magazzino.</p>",
            "requirements": "<ul><li>Maggiore età</li><li>Disponibilità su due turni</li></ul>",
            "audiences": [Audience.UNEMPLOYED, Audience.NEET],
            "comune": "segrate",
            "days": 24,
            "value": "€ 600 al mese di indennità",
            "apply_method": ApplyMethod.FORM,
        },
        {
            "Tirocinio in magazzino e carrellisti": "Warehouse and forklift internship",
            "tirocinio-magazzino": "warehouse-internship",
            "Sei mesi in un grande polo logistico di Segrate, con patentino del muletto "
            "pagato dall'azienda.": "Six months in a large logistics centre in Segrate, "
            "with the forklift licence paid by the company.",
            "Affiancherai i capi turno nel ricevimento merci, nella preparazione degli "
            "ordini e nella gestione del magazzino.": "You will work alongside the shift "
            "leaders receiving goods, picking orders and running the warehouse.",
            "Maggiore età": "Aged 18 or over",
            "Disponibilità su due turni": "Available for two shifts",
            "€ 600 al mese di indennità": "€600 a month allowance",
        },
    ),
    (
        "libera-compagnia",
        {
            "title": "Micro-contributo del Fondo Solidale per avviare un'attività",
            "slug": "micro-contributo-fondo-solidale",
            "kind": OpportunityKind.FUNDING,
            "intro": "Un contributo a fondo perduto per chi, dopo un laboratorio "
            "dell'Accademia, vuole mettersi in proprio.",
            "description": "<p>Il Fondo Solidale sostiene attrezzature, primo affitto o "
            "iscrizioni necessarie per partire. Una commissione del progetto valuta le "
            "richieste ogni mese.</p>",
            "requirements": "<ul><li>Residenza nel distretto</li><li>Un'idea di attività "
            "scritta, anche breve</li></ul>",
            "audiences": [Audience.EVERYONE],
            "comune": DISTRICT,
            "days": 45,
            "value": "fino a € 2.000",
            "apply_method": ApplyMethod.FORM,
        },
        {
            "Micro-contributo del Fondo Solidale per avviare un'attività": "Solidarity "
            "Fund micro-grant to start a business",
            "micro-contributo-fondo-solidale": "solidarity-fund-micro-grant",
            "Un contributo a fondo perduto per chi, dopo un laboratorio dell'Accademia, "
            "vuole mettersi in proprio.": "A grant for people who, after an Academy "
            "workshop, want to become self-employed.",
            "Il Fondo Solidale sostiene attrezzature, primo affitto o iscrizioni "
            "necessarie per partire. Una commissione del progetto valuta le richieste "
            "ogni mese.": "The Solidarity Fund pays for equipment, the first rent or the "
            "registrations needed to start. A project committee reviews requests every month.",
            "Residenza nel distretto": "Living in the district",
            "Un'idea di attività scritta, anche breve": "A written business idea, even a short one",
            "fino a € 2.000": "up to €2,000",
        },
    ),
    (
        "artigiani-martesana",
        {
            "title": "Consulenza legale gratuita per nuove imprese",
            "slug": "consulenza-legale-nuove-imprese",
            "kind": OpportunityKind.SERVICE,
            "intro": "Un'ora con un avvocato per scegliere la forma d'impresa, leggere "
            "un contratto d'affitto o aprire la partita IVA.",
            "description": "<p>Lo sportello è aperto il martedì pomeriggio nella sede "
            "dell'associazione. Porta i documenti che hai.</p>",
            "requirements": "",
            "audiences": [Audience.EVERYONE],
            "comune": DISTRICT,
            "days": None,
            "value": "Gratuito",
            "apply_method": ApplyMethod.EMAIL,
            "apply_email": "sportello@artigiani-martesana.example",
        },
        {
            "Consulenza legale gratuita per nuove imprese": "Free legal advice for new businesses",
            "consulenza-legale-nuove-imprese": "free-legal-advice-new-businesses",
            "Un'ora con un avvocato per scegliere la forma d'impresa, leggere un "
            "contratto d'affitto o aprire la partita IVA.": "An hour with a lawyer to "
            "choose the legal form of your business, read a lease or register for VAT.",
            "Lo sportello è aperto il martedì pomeriggio nella sede dell'associazione. "
            "Porta i documenti che hai.": "The desk is open on Tuesday afternoons at the "
            "association's office. Bring the documents you have.",
            "Gratuito": "Free",
        },
    ),
    (
        "officina-brambilla",
        {
            "title": "Cercasi saldatore o saldatrice",
            "slug": "saldatore-saldatrice",
            "kind": OpportunityKind.JOB,
            "intro": "Assunzione a tempo pieno in officina a Vimodrone, dopo un mese "
            "di prova in affiancamento.",
            "description": "<p>Lavoriamo carpenteria leggera per le imprese della "
            "zona. Ti insegniamo le nostre procedure.</p>",
            "requirements": "<ul><li>Saldatura a filo, anche di base</li></ul>",
            "audiences": [Audience.UNEMPLOYED, Audience.OVER_50, Audience.FOREIGNERS],
            "comune": "vimodrone",
            "days": 6,
            "value": "Contratto metalmeccanico artigiano",
            "apply_method": ApplyMethod.FORM,
        },
        {
            "Cercasi saldatore o saldatrice": "Welder wanted",
            "saldatore-saldatrice": "welder-wanted",
            "Assunzione a tempo pieno in officina a Vimodrone, dopo un mese di prova in "
            "affiancamento.": "A full-time job in our workshop in Vimodrone, after a "
            "month's trial working alongside us.",
            "<p>Lavoriamo carpenteria leggera per le imprese della zona. Ti insegniamo le "
            "nostre procedure.</p>": "<p>We do light metalwork for local companies. We will "
            "teach you how we work.</p>",
            "<ul><li>Saldatura a filo, anche di base</li></ul>": (
                "<ul><li>Wire welding, even basic</li></ul>"
            ),
            "Contratto metalmeccanico artigiano": "Artisan metalworkers' contract",
        },
    ),
    (
        "studio-digitale-milano-est",
        {
            "title": "Mentoring digitale per chi rientra al lavoro",
            "slug": "mentoring-digitale",
            "kind": OpportunityKind.MENTORING,
            "intro": "Un'ora a settimana con una professionista del digitale per "
            "preparare curriculum, profilo LinkedIn e colloqui online.",
            "description": "<p>Il percorso dura tre mesi, in studio a Segrate o in "
            "videochiamata.</p>",
            "requirements": "",
            "audiences": [Audience.WOMEN_RETURNING],
            "comune": "segrate",
            "days": None,
            "value": "Gratuito",
            "apply_method": ApplyMethod.FORM,
        },
        None,
    ),
    (
        "comune-di-pioltello",
        {
            "title": "Bando Dote Lavoro comunale",
            "slug": "bando-dote-lavoro",
            "kind": OpportunityKind.CALL,
            "intro": "Un contributo per i costi di formazione e trasporto di chi cerca "
            "lavoro ed è residente a Pioltello.",
            "description": "<p>Il bando è chiuso: una nuova edizione è prevista per "
            "l'anno prossimo.</p>",
            "requirements": "<ul><li>Residenza a Pioltello</li></ul>",
            "audiences": [Audience.UNEMPLOYED],
            "comune": "pioltello",
            "days": -20,
            "value": "fino a € 800",
            "apply_method": ApplyMethod.LINK,
            "apply_url": "https://comune-di-pioltello.example/dote-lavoro",
        },
        {
            "Bando Dote Lavoro comunale": "Comune job grant call",
            "bando-dote-lavoro": "job-grant-call",
            "Un contributo per i costi di formazione e trasporto di chi cerca lavoro ed è "
            "residente a Pioltello.": "A contribution to the training and travel costs of "
            "job seekers living in Pioltello.",
            "Il bando è chiuso: una nuova edizione è prevista per l'anno prossimo.": "The "
            "call is closed: a new edition is planned for next year.",
            "Residenza a Pioltello": "Living in Pioltello",
            "fino a € 800": "up to €800",
        },
    ),
]


def ensure_index(context, home):
    index = add_child(
        context,
        home,
        OpportunityIndexPage(
            title="Opportunità della rete",
            slug="opportunita",
            show_in_menus=True,
            intro=(
                "Tirocini, offerte di lavoro, contributi, mentoring e servizi gratuiti "
                "offerti dai partner della rete territoriale."
            ),
            listing_summary="Tirocini, lavoro, contributi e servizi dei partner della rete.",
        ),
    )
    if not index.has_translation(context.english):
        translate(
            index,
            {
                "Opportunità della rete": "Opportunities in the network",
                "opportunita": "opportunities",
                index.intro: (
                    "Internships, job openings, grants, mentoring and free services offered "
                    "by the partners of the territorial network."
                ),
                index.listing_summary: (
                    "Internships, jobs, grants and services from the network's partners."
                ),
            },
            context.english,
        )
    return index


def load(context):
    english = context.english
    ensure_index(context, context.home())
    for partner_slug, fields, strings in OPPORTUNITIES:
        partner = PartnerPage.objects.filter(slug=partner_slug, locale=context.italian).first()
        if partner is None:
            continue
        fields = dict(fields)
        days = fields.pop("days")
        if child_by_slug(partner, fields["slug"]) is not None:
            continue
        page = add_child(
            context,
            partner,
            OpportunityPage(
                **fields,
                deadline=_deadline(days) if days is not None else None,
                ongoing=days is None,
            ),
        )
        if strings and partner.has_translation(english) and not page.has_translation(english):
            translate(page, strings, english)
    context.log(f"Opportunities ready: {len(OPPORTUNITIES)} in the network.")


# Opportunities that follow a course ("after this course"): opportunity slug →
# course slugs. Courses are loaded after the partners, so the courses demo
# calls `link_courses` once they exist.
AFTER_COURSES = {
    "tirocinio-magazzino": ["patentino-muletto"],
    "saldatore-saldatrice": ["saldatura"],
    "micro-contributo-fondo-solidale": ["digital-marketing-artigiani"],
}


def link_courses(context):
    """Link the opportunities to their courses, then sync their English
    translations, which copy the links (a synchronised field): the English
    course pages show them too."""
    linked = 0
    strings = {fields["slug"]: strings for _partner, fields, strings in OPPORTUNITIES}
    for opportunity_slug, course_slugs in AFTER_COURSES.items():
        opportunity = OpportunityPage.objects.filter(
            slug=opportunity_slug, locale=context.italian
        ).first()
        if opportunity is None:
            continue
        new = 0
        for slug in course_slugs:
            course = Page.objects.filter(slug=slug, locale=context.italian).first()
            if course is None or opportunity.related_pages.filter(page=course).exists():
                continue
            OpportunityRelatedPage.objects.create(opportunity=opportunity, page=course)
            new += 1
        if new and opportunity.has_translation(context.english):
            translate(opportunity, strings[opportunity_slug], context.english)
        linked += new
    context.log(f"Opportunities linked to {linked} courses.")

# ruff: noqa: E501 - the course table reads best one course per line
"""Demo data: the course catalogue, topics, venues in the four comuni and
about thirty courses from partners of every type over the next three
months (some full, one cancelled session, some past, a few in English).

Courses are looked up by slug, so running the loader twice changes nothing.
Partners come from partners/demo.py when it has run; otherwise a few are
created here under the directory `rete`, with the same slugs.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from wagtail.coreutils import find_available_slug

from courses import demo_signups
from home.demo import add_child, child_by_slug, demo_image, translate
from partners import demo_opportunities
from partners.choices import PartnerType
from partners.models import LabourNeed, PartnerIndexPage, PartnerPage

from .choices import Certificate, Format, SessionStatus, TopicIcon
from .models import CourseIndexPage, CoursePage, CourseSession, Topic, Venue

# slug, Italian name, English name, icon
TOPICS = [
    ("sartoria", "Sartoria e tessile", "Tailoring and textiles", TopicIcon.NEEDLE),
    ("meccanica", "Meccanica e saldatura", "Mechanics and welding", TopicIcon.FLAME),
    ("alimentare", "Cucina e alimentare", "Food and cooking", TopicIcon.COOKING),
    ("digitale", "Competenze digitali", "Digital skills", TopicIcon.COMPUTER),
    ("lingue", "Italiano e lingue", "Italian and languages", TopicIcon.SPEECH),
    ("cura", "Cura della persona", "Care work", TopicIcon.HEART),
    ("logistica", "Logistica e magazzino", "Logistics and warehousing", TopicIcon.TRUCK),
    ("verde", "Verde e ambiente", "Green jobs", TopicIcon.LEAF),
    ("lavoro", "Cercare lavoro", "Finding a job", TopicIcon.BRIEFCASE),
    ("impresa", "Fare impresa", "Starting a business", TopicIcon.SHOP),
]

# key, name, address, comune, accessibility, latitude, longitude
VENUES = [
    (
        "laboratorio-libera",
        "Laboratorio Arti & Mestieri",
        "Via Roma 48, 20096 Pioltello",
        "pioltello",
        "Ingresso senza gradini, bagno accessibile. Fermata bus Z402 a 100 m.",
        "45.499100",
        "9.326400",
    ),
    (
        "biblioteca-pioltello",
        "Biblioteca comunale di Pioltello",
        "Piazza dei Popoli 1, 20096 Pioltello",
        "pioltello",
        "Ascensore per la sala corsi al primo piano. Stazione Pioltello-Limito a 10 minuti.",
        "45.497700",
        "9.329300",
    ),
    (
        "sala-civica-rodano",
        "Sala civica di Rodano",
        "Via Turati 9, 20053 Rodano",
        "rodano",
        "Sala al piano terra, parcheggio riservato davanti all'ingresso.",
        "45.474600",
        "9.354900",
    ),
    (
        "sartoria-fili",
        "Sartoria Fili",
        "Via Risorgimento 12, 20053 Rodano",
        "rodano",
        "Un gradino all'ingresso (rampa mobile su richiesta).",
        None,
        None,
    ),
    (
        "centro-segrate",
        "Centro civico Verdi",
        "Via XXV Aprile 20, 20054 Segrate",
        "segrate",
        "Tutto al piano terra, bagno accessibile, fermata bus a 50 m.",
        "45.490300",
        "9.295500",
    ),
    (
        "hub-segrate",
        "Segrate Logistica Hub – aula formazione",
        "Via Cassanese 210, 20054 Segrate",
        "segrate",
        "Aula al primo piano con ascensore. Scarpe chiuse obbligatorie in magazzino.",
        "45.484800",
        "9.312900",
    ),
    (
        "officina-vimodrone",
        "Officina Brambilla",
        "Via Piave 31, 20055 Vimodrone",
        "vimodrone",
        "Officina al piano terra; dispositivi di protezione forniti. Metro M2 Cascina Burrona.",
        "45.513700",
        "9.284000",
    ),
    (
        "sportello-vimodrone",
        "Sportello Lavoro Vimodrone",
        "Via Cesare Battisti 56, 20055 Vimodrone",
        "vimodrone",
        "Ingresso accessibile, sportello al piano terra.",
        "45.515200",
        "9.286900",
    ),
]

# The partners the courses come from (slugs as in partners/demo.py), with
# what is needed to create them when the partners' demo has not run.
PARTNERS = [
    ("libera-compagnia", "Libera Compagnia di Arti & Mestieri Sociali", PartnerType.THIRD_SECTOR),
    ("cooperativa-ripari", "Cooperativa sociale Ripari", PartnerType.THIRD_SECTOR),
    ("comune-di-pioltello", "Comune di Pioltello", PartnerType.PUBLIC_SERVICE),
    ("sartoria-fili-di-rodano", "Sartoria Fili di Rodano", PartnerType.ARTISAN),
    ("officina-brambilla", "Officina Meccanica Brambilla", PartnerType.ARTISAN),
    ("forno-di-segrate", "Forno di Segrate", PartnerType.ARTISAN),
    (
        "artigiani-martesana",
        "Associazione Artigiani della Martesana",
        PartnerType.TRADE_ASSOCIATION,
    ),
    ("segrate-logistica-hub", "Segrate Logistica Hub", PartnerType.COMPANY),
    ("studio-digitale-milano-est", "Studio Digitale Milano Est", PartnerType.COMPANY),
    ("cfp-martesana", "Centro di Formazione Professionale Martesana", PartnerType.TRAINING_BODY),
    ("sportello-lavoro-vimodrone", "Sportello Lavoro Vimodrone", PartnerType.PUBLIC_SERVICE),
]

# title, slug, partner, topic, venue key (None: online), format, first day
# from today (negative: past), number of meetings, days between them, start
# hour, hours each, capacity, price (None: free), audiences, sector of the
# labour need it answers, certificate, English title (translated) or None.
# fmt: off
COURSES = [
    ('Sartoria di base: dal cartamodello al capo finito', 'sartoria-di-base', 'sartoria-fili-di-rodano', 'sartoria', 'sartoria-fili', Format.IN_PERSON, 6, 8, 7, 9, 3, 10, None, ['unemployed', 'women_returning'], 'tailoring', Certificate.ATTENDANCE, 'Basic tailoring: from pattern to finished garment'),
    ('Riparazioni sartoriali e orli', 'riparazioni-sartoriali', 'libera-compagnia', 'sartoria', 'laboratorio-libera', Format.IN_PERSON, 12, 4, 7, 14, 3, 8, None, ['everyone'], 'tailoring', Certificate.ATTENDANCE, None),
    ('Saldatura a filo e a elettrodo', 'saldatura', 'officina-brambilla', 'meccanica', 'officina-vimodrone', Format.IN_PERSON, 9, 10, 3, 8, 4, 6, '120.00', ['unemployed', 'neet'], 'mechanics', Certificate.SKILLS, 'Wire and stick welding'),
    ('Manutenzione di biciclette', 'manutenzione-biciclette', 'cooperativa-ripari', 'meccanica', 'laboratorio-libera', Format.IN_PERSON, 20, 3, 7, 15, 3, 10, None, ['neet', 'everyone'], 'crafts', Certificate.NONE, None),
    ('HACCP per addetti alimentari', 'haccp-addetti-alimentari', 'forno-di-segrate', 'alimentare', 'centro-segrate', Format.IN_PERSON, 4, 1, 0, 9, 4, 20, None, ['unemployed', 'foreigners'], 'food', Certificate.QUALIFICATION, 'HACCP food hygiene for food workers'),
    ('Panificazione e lievitati', 'panificazione', 'forno-di-segrate', 'alimentare', 'centro-segrate', Format.IN_PERSON, 30, 6, 7, 6, 4, 8, '80.00', ['everyone'], 'food', Certificate.ATTENDANCE, None),
    ('Excel da zero', 'excel-da-zero', 'studio-digitale-milano-est', 'digitale', 'centro-segrate', Format.IN_PERSON, 3, 5, 2, 18, 2, 14, None, ['unemployed', 'over_50'], 'digital', Certificate.ATTENDANCE, 'Excel from scratch'),
    ('Excel avanzato: tabelle pivot e grafici', 'excel-avanzato', 'cfp-martesana', 'digitale', None, Format.ONLINE, 40, 4, 7, 18, 2, 25, None, ['everyone'], 'digital', Certificate.ATTENDANCE, None),
    ('Curriculum e colloquio di lavoro', 'curriculum-e-colloquio', 'sportello-lavoro-vimodrone', 'lavoro', 'sportello-vimodrone', Format.IN_PERSON, 2, 1, 0, 10, 3, 12, None, ['unemployed', 'neet', 'over_50'], None, Certificate.NONE, 'CV and job interview'),
    ('Cercare lavoro online: LinkedIn e portali', 'cercare-lavoro-online', 'sportello-lavoro-vimodrone', 'lavoro', None, Format.ONLINE, 10, 2, 7, 17, 2, 30, None, ['unemployed', 'women_returning'], 'digital', Certificate.NONE, None),
    ('Italiano per stranieri – livello A2', 'italiano-per-stranieri-a2', 'comune-di-pioltello', 'lingue', 'biblioteca-pioltello', Format.IN_PERSON, 1, 12, 3, 18, 2, 18, None, ['foreigners'], 'languages', Certificate.ATTENDANCE, 'Italian for foreigners – level A2'),
    ('Italiano per il lavoro', 'italiano-per-il-lavoro', 'libera-compagnia', 'lingue', 'laboratorio-libera', Format.BLENDED, 15, 8, 7, 18, 2, 15, None, ['foreigners', 'unemployed'], 'languages', Certificate.ATTENDANCE, None),
    ('Digital marketing per artigiani', 'digital-marketing-artigiani', 'artigiani-martesana', 'digitale', 'centro-segrate', Format.BLENDED, 14, 4, 7, 19, 2, 20, '60.00', ['everyone'], 'enterprise', Certificate.ATTENDANCE, 'Digital marketing for artisans'),
    ('Patentino del muletto', 'patentino-muletto', 'segrate-logistica-hub', 'logistica', 'hub-segrate', Format.IN_PERSON, 8, 2, 1, 8, 6, 8, None, ['unemployed', 'neet'], 'logistics', Certificate.QUALIFICATION, 'Forklift licence'),
    ('Addetto al magazzino e gestione scorte', 'addetto-magazzino', 'segrate-logistica-hub', 'logistica', 'hub-segrate', Format.IN_PERSON, 25, 5, 2, 9, 4, 12, None, ['unemployed', 'over_50'], 'logistics', Certificate.SKILLS, None),
    ('Assistenza familiare: diventare badante', 'assistenza-familiare', 'cooperativa-ripari', 'cura', 'sala-civica-rodano', Format.IN_PERSON, 5, 10, 3, 14, 3, 15, None, ['women_returning', 'foreigners', 'over_50'], 'care', Certificate.QUALIFICATION, 'Home care: becoming a family carer'),
    ('Primo soccorso per chi assiste anziani', 'primo-soccorso-anziani', 'comune-di-pioltello', 'cura', 'biblioteca-pioltello', Format.IN_PERSON, 18, 2, 7, 9, 3, 20, None, ['everyone'], 'care', Certificate.ATTENDANCE, None),
    ('Giardinaggio e cura del verde', 'giardinaggio', 'cooperativa-ripari', 'verde', 'sala-civica-rodano', Format.IN_PERSON, 22, 6, 7, 9, 4, 10, None, ['neet', 'unemployed'], 'green', Certificate.ATTENDANCE, None),
    ('Orto urbano e compostaggio', 'orto-urbano', 'libera-compagnia', 'verde', 'laboratorio-libera', Format.IN_PERSON, 60, 3, 7, 10, 2, 16, None, ['everyone'], 'green', Certificate.NONE, None),
    ("Avviare un'attività artigiana", 'avviare-attivita-artigiana', 'artigiani-martesana', 'impresa', 'sala-civica-rodano', Format.IN_PERSON, 16, 4, 7, 18, 2, 25, None, ['unemployed', 'women_returning'], 'enterprise', Certificate.NONE, 'Starting a craft business'),
    ('Contabilità semplice per piccole imprese', 'contabilita-semplice', 'cfp-martesana', 'impresa', None, Format.ONLINE, 35, 4, 7, 18, 2, 40, '45.00', ['everyone'], 'enterprise', Certificate.ATTENDANCE, None),
    ('Computer e smartphone per over 50', 'computer-smartphone-over-50', 'comune-di-pioltello', 'digitale', 'biblioteca-pioltello', Format.IN_PERSON, 7, 6, 7, 10, 2, 12, None, ['over_50'], 'digital', Certificate.NONE, None),
    ('SPID, PEC e servizi pubblici online', 'spid-pec-servizi-online', 'sportello-lavoro-vimodrone', 'digitale', 'sportello-vimodrone', Format.IN_PERSON, 11, 1, 0, 15, 2, 10, None, ['everyone', 'foreigners'], 'digital', Certificate.NONE, None),
    ('Cucito creativo e riuso tessile', 'cucito-creativo', 'libera-compagnia', 'sartoria', 'laboratorio-libera', Format.IN_PERSON, 45, 5, 7, 15, 3, 10, None, ['women_returning', 'everyone'], 'tailoring', Certificate.NONE, None),
    ('Aiuto cuoco: le basi della cucina professionale', 'aiuto-cuoco', 'cfp-martesana', 'alimentare', 'centro-segrate', Format.IN_PERSON, 50, 10, 2, 9, 5, 12, None, ['neet', 'unemployed'], 'food', Certificate.SKILLS, None),
    ('Sicurezza sul lavoro: formazione generale', 'sicurezza-sul-lavoro', 'cfp-martesana', 'lavoro', None, Format.ONLINE, 13, 1, 0, 9, 4, 50, None, ['everyone'], None, Certificate.QUALIFICATION, None),
    ("Inglese per l'accoglienza e il commercio", 'inglese-commercio', 'cfp-martesana', 'lingue', 'centro-segrate', Format.IN_PERSON, 28, 8, 7, 18, 2, 16, '90.00', ['everyone'], 'retail', Certificate.ATTENDANCE, None),
    ('Piccole riparazioni domestiche', 'piccole-riparazioni', 'officina-brambilla', 'meccanica', 'officina-vimodrone', Format.IN_PERSON, 70, 3, 7, 9, 3, 8, None, ['everyone'], 'construction', Certificate.NONE, None),
    # Past courses, for the archive.
    ('Sartoria: la giacca su misura', 'sartoria-giacca', 'sartoria-fili-di-rodano', 'sartoria', 'sartoria-fili', Format.IN_PERSON, -40, 4, 7, 9, 3, 8, None, ['everyone'], 'tailoring', Certificate.ATTENDANCE, None),
    ('Word e posta elettronica', 'word-e-posta', 'studio-digitale-milano-est', 'digitale', 'centro-segrate', Format.IN_PERSON, -25, 3, 2, 18, 2, 14, None, ['over_50'], 'digital', Certificate.NONE, None),
]
# fmt: on

# Courses whose first sessions are full, and the one with a cancelled date.
FULL = {"sartoria-di-base", "patentino-muletto", "haccp-addetti-alimentari", "excel-da-zero"}
CANCELLED = "curriculum-e-colloquio"


def ensure_topics(context):
    english = context.english
    topics = {}
    for slug, name_it, name_en, icon in TOPICS:
        topic, created = Topic.objects.get_or_create(
            slug=slug, locale=context.italian, defaults={"name": name_it, "icon": icon}
        )
        context.created += created
        if not topic.has_translation(english):
            translated = topic.copy_for_translation(english)
            translated.name = name_en
            translated.save()
        topics[slug] = topic
    return topics


def ensure_venues(context):
    venues = {}
    for key, name, address, comune, access, lat, lon in VENUES:
        venue, created = Venue.objects.get_or_create(
            name=name,
            defaults={
                "address": address,
                "comune": comune,
                "accessibility": access,
                "latitude": Decimal(lat) if lat else None,
                "longitude": Decimal(lon) if lon else None,
            },
        )
        context.created += created
        venues[key] = venue
    return venues


# The partners' own workshops are theirs to keep up to date
# (courses/venue_admin.py): the demo's partner logins can edit theirs.
WORKSHOPS = {
    "laboratorio-libera": "libera-compagnia",
    "sartoria-fili": "sartoria-fili-di-rodano",
    "officina-vimodrone": "officina-brambilla",
    "hub-segrate": "segrate-logistica-hub",
}


def hand_workshops(venues, partners):
    """Each workshop to its partner's editors' group, if it has one and the
    venue is still the staff's."""
    for key, slug in WORKSHOPS.items():
        venue, group_id = venues[key], partners[slug].group_id
        if group_id and venue.added_by_group_id is None:
            Venue.objects.filter(pk=venue.pk).update(added_by_group_id=group_id)


def ensure_partners(context, home):
    """The partners' pages, from partners/demo.py or minimal ones made here."""
    partners = {}
    index = PartnerIndexPage.objects.filter(locale=context.italian).first()
    for slug, name, partner_type in PARTNERS:
        partner = PartnerPage.objects.filter(slug=slug, locale=context.italian).first()
        if partner is None:
            if index is None:
                index = add_child(
                    context,
                    home,
                    PartnerIndexPage(title="La rete", slug="rete", show_in_menus=True),
                )
                translate(index, {"La rete": "The network", "rete": "network"}, context.english)
            partner = add_child(
                context,
                index,
                PartnerPage(
                    title=name,
                    slug=slug,
                    partner_type=partner_type,
                    short_description=f"{name}: partner dell'Accademia Territoriale.",
                    comuni=["district"],
                ),
            )
            # A plain copy: the partners' own demo translates them properly.
            partner.copy_for_translation(context.english).save_revision().publish()
        partners[slug] = partner
    return partners


def ensure_catalogue(context, home):
    catalogue = add_child(
        context,
        home,
        CourseIndexPage(
            title="Corsi",
            slug="corsi",
            show_in_menus=True,
            intro=(
                "Corsi gratuiti o a prezzo ridotto offerti dalla rete dell'Accademia a "
                "Pioltello, Rodano, Segrate e Vimodrone. Filtra per argomento, comune e data."
            ),
            empty_text=(
                "Non trovi quello che cerchi? Chiedi allo Sportello Lavoro del tuo comune: "
                "raccogliamo le richieste per i prossimi corsi."
            ),
            listing_summary="Tutti i corsi dell'Accademia Territoriale.",
        ),
    )
    if not catalogue.has_translation(context.english):
        translate(
            catalogue,
            {
                "Corsi": "Courses",
                "corsi": "courses",
                catalogue.intro: (
                    "Free or low-cost courses offered by the Academy's network in Pioltello, "
                    "Rodano, Segrate and Vimodrone. Filter by topic, comune and date."
                ),
                catalogue.empty_text: (
                    "Can't find what you need? Ask the job centre of your comune: we collect "
                    "requests for the next courses."
                ),
                catalogue.listing_summary: "All the courses of the Territorial Academy.",
            },
            context.english,
        )
    return catalogue


def _sessions(row, venues, today, slug):
    (_t, _s, _p, _topic, venue_key, fmt, first, count, gap, hour, hours, capacity) = row[:12]
    sessions = []
    for number in range(count):
        day = today + datetime.timedelta(days=first + number * gap)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        status = SessionStatus.SCHEDULED
        if slug in FULL and number == 0:
            status = SessionStatus.FULL
        if slug == CANCELLED and number == 0:
            status = SessionStatus.CANCELLED
        sessions.append(
            CourseSession(
                start=start,
                end=start + datetime.timedelta(hours=hours),
                format=fmt,
                venue=venues.get(venue_key) if venue_key else None,
                online_notes=(
                    "Il collegamento arriva per e-mail il giorno prima, su Zoom o Meet."
                    if fmt != Format.IN_PERSON
                    else ""
                ),
                capacity=capacity,
                status=status,
                note="Portare un documento d'identità." if number == 0 else "",
                # As the editor numbers them: without it, the rows a partner
                # leaves untouched keep no order and jump above the dates
                # that were saved, out of date order.
                sort_order=number,
            )
        )
    return sessions


def _course(row, context, partners, topics, venues, today, edition):
    (title, slug, partner_slug, topic_slug, venue_key, fmt, *_dates) = row[:12]
    price, audiences, sector, certificate, _title_en = row[12:]
    if edition > 1:
        title = f"{title} (edizione {edition})"
        slug = f"{slug}-{edition}"
    partner = partners[partner_slug]
    existing = child_by_slug(partner, slug)
    if existing is not None:
        return existing, False
    colour = ["#0b5d57", "#275d8c", "#8a3b12", "#5b3f8c", "#6b5b1e"][len(slug) % 5]
    image = demo_image(f"Corso: {row[0]}", colour, len(slug), description=row[0])
    intro = (
        f"Un percorso pratico con {partners[partner_slug].title}, "
        "in piccoli gruppi e con docenti del mestiere."
    )
    course = CoursePage(
        title=title,
        slug=slug,
        intro=intro,
        listing_image=image,
        description=[
            ("paragraph", "<p>Scopri il corso, le date e come iscriverti.</p>"),
        ],
        learning_outcomes="Le basi del mestiere\nGli strumenti e la sicurezza\nCome presentarsi a un datore di lavoro",
        audiences=audiences,
        prerequisites="Nessuno."
        if fmt != Format.ONLINE
        else "Un computer o uno smartphone con Internet.",
        languages=["it", "en"] if topic_slug == "lingue" and "inglese" in slug else ["it"],
        hours=Decimal(row[7] * row[10]),
        is_free=price is None,
        price=Decimal(price) if price else None,
        price_note="Gratis per chi è iscritto al Centro per l'Impiego." if price else "",
        certificate=certificate,
        contact_name="Segreteria dell'Accademia",
        contact_email=f"corsi@{partner_slug}.example",
        contact_phone="+39 02 0000 0000",
        accessibility_notes=(
            "Se hai bisogno di un interprete LIS o di assistenza, scrivici: ci organizziamo."
        ),
        signup_mode="per_session" if row[7] > 1 and row[8] == 0 else "series",
    )
    course.topics = [topics[topic_slug]]
    if venue_key:
        course.accessibility_notes += " " + venues[venue_key].accessibility
    if sector:
        course.labour_needs = list(
            LabourNeed.objects.filter(sector=sector, locale=context.italian)[:2]
        )
    co = [p for key, p in partners.items() if key != partner_slug and key == "libera-compagnia"]
    if partner_slug in ("cooperativa-ripari", "comune-di-pioltello"):
        course.co_organisers = co
    course.sessions = _sessions(row, venues, today, slug)
    return add_child(context, partner, course), True


def english_slug(course, title_en, context):
    """The English course's slug, made from its English title, so English
    addresses read in English (as an editor would write it when translating):
    free among the English partner page's children, which hold other
    courses, challenges and opportunities."""
    parent = course.get_parent().get_translation(context.english)
    return find_available_slug(parent, slugify(title_en))


def _translate_course(course, row, context):
    title_en = row[16]
    intro = course.intro
    translate(
        course,
        {
            course.title: title_en,
            course.slug: english_slug(course, title_en, context),
            intro: (
                f"A hands-on course with {course.get_parent().title}, in small groups with "
                "teachers who work in the trade."
            ),
            "<p>Scopri il corso, le date e come iscriverti.</p>": (
                "<p>Find out about the course, its dates and how to sign up.</p>"
            ),
            course.learning_outcomes: (
                "The basics of the trade\nTools and safety\nHow to present yourself to an employer"
            ),
            course.prerequisites: "None."
            if course.prerequisites == "Nessuno."
            else ("A computer or smartphone with Internet."),
            course.price_note: "Free for people registered at the job centre.",
            course.accessibility_notes: (
                "If you need a sign-language interpreter or assistance, write to us: we will "
                "arrange it."
            ),
        },
        context.english,
    )


def load(context):
    home = context.home()
    today = timezone.localdate()
    topics = ensure_topics(context)
    venues = ensure_venues(context)
    partners = ensure_partners(context, home)
    hand_workshops(venues, partners)
    ensure_catalogue(context, home)
    english = context.english
    created = 0
    for edition in range(1, max(context.scale, 1) + 1):
        for row in COURSES:
            course, new = _course(row, context, partners, topics, venues, today, edition)
            created += new
            parent = course.get_parent()
            translatable = row[16] and edition == 1 and parent.has_translation(english)
            if translatable and not course.has_translation(english):
                _translate_course(course, row, context)
    total = CoursePage.objects.filter(locale=context.italian).count()
    context.log(f"Course catalogue ready: {total} courses ({created} new).")
    # Sign-ups on the demo sessions (some full, with waiting lists).
    demo_signups.load(context)
    # The network's opportunities that follow these courses.
    demo_opportunities.link_courses(context)

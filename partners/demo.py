"""Demo data for the partner network: the directory, a dozen partners of
every type across the four comuni (each onboarded through
partners.onboarding, so groups and collections exist), two partner logins,
an Academy staff login, and the four civic labour observatories with their
labour needs. Running it twice changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from home.demo import add_child, child_by_slug, demo_image, translate
from home.models import StandardPage

from . import demo_challenges, demo_opportunities
from .choices import DISTRICT, NeedSource, PartnerType, Sector
from .models import LabourNeed, ObservatoryPage, PartnerIndexPage, PartnerPage
from .moderation import STAFF_GROUP_NAME, ensure_staff_and_workflow
from .onboarding import grant_section_permissions, invite_partner

PARTNER_PASSWORD = "accademia-partner"  # noqa: S105 - printed by `make run`, demo only
STAFF_USERNAME = "staff"
STAFF_PASSWORD = "accademia-staff"  # noqa: S105 - printed by `make run`, demo only

# (name, slug, type, comuni, sectors, short description IT, EN or None,
#  about IT, about EN, colour, demo login username or None). Without English
#  the partner stays untranslated (the English site lists it in Italian,
#  marked so), and so do its courses: courses/demo.py translates a course
#  only under a translated partner.
PARTNERS = [
    (
        "Libera Compagnia di Arti & Mestieri Sociali",
        "libera-compagnia",
        PartnerType.THIRD_SECTOR,
        ["pioltello", DISTRICT],
        [Sector.TAILORING, Sector.CRAFTS, Sector.CARE],
        "Cooperativa sociale capofila del progetto: laboratori di sartoria, artigianato "
        "e accompagnamento al lavoro.",
        "Social cooperative leading the project: tailoring and craft workshops and "
        "support into work.",
        "Da anni a Pioltello uniamo mestieri artigiani e inclusione sociale: i nostri "
        "laboratori sono luoghi dove imparare facendo, insieme.",
        "For years in Pioltello we have brought together craft trades and social "
        "inclusion: our workshops are places to learn by doing, together.",
        "#0b5d57",
        "libera",
    ),
    (
        "Cooperativa sociale Ripari",
        "cooperativa-ripari",
        PartnerType.THIRD_SECTOR,
        [DISTRICT],
        [Sector.CARE, Sector.GREEN, Sector.CONSTRUCTION],
        "Cooperativa sociale di inserimento lavorativo: manutenzioni, verde e servizi "
        "alla persona.",
        "Work-integration social cooperative: maintenance, green spaces and care services.",
        "Offriamo percorsi di lavoro vero a chi ne è rimasto fuori, con squadre di "
        "manutenzione e cura del verde in tutto il distretto.",
        "We offer real work paths to people left out of it, with maintenance and "
        "gardening teams across the district.",
        "#275d8c",
        None,
    ),
    (
        "CS&L Consorzio Sociale",
        "csl-consorzio-sociale",
        PartnerType.THIRD_SECTOR,
        [DISTRICT],
        [Sector.CARE, Sector.LOGISTICS, Sector.ENTERPRISE],
        "Consorzio di cooperative sociali dell'Adda Martesana: servizi, formazione e "
        "nuove imprese sociali.",
        "Consortium of social cooperatives of the Adda Martesana: services, training and "
        "new social enterprises.",
        "Mettiamo in rete le cooperative del territorio per creare lavoro e servizi di comunità.",
        "We connect the cooperatives of the area to create jobs and community services.",
        "#5b3f8c",
        None,
    ),
    (
        "Comune di Pioltello",
        "comune-di-pioltello",
        PartnerType.PUBLIC_SERVICE,
        ["pioltello"],
        [Sector.LANGUAGES, Sector.ENTERPRISE],
        "Ente capofila del Distretto Sociale 3 Est Milano e partner del progetto.",
        "Lead body of the Distretto Sociale 3 Est Milano and partner of the project.",
        "I servizi sociali e lo sportello lavoro del Comune accompagnano cittadine e "
        "cittadini verso la formazione e il lavoro.",
        "The Comune's social services and job desk guide citizens towards training and work.",
        "#8a3b12",
        None,
    ),
    (
        "Sartoria Fili di Rodano",
        "sartoria-fili-di-rodano",
        PartnerType.ARTISAN,
        ["rodano"],
        [Sector.TAILORING],
        "Piccola sartoria artigiana: riparazioni, confezione su misura e corsi di cucito.",
        "Small tailoring workshop: repairs, made-to-measure clothes and sewing courses.",
        "Tre sarte, due macchine industriali e tanta pazienza: insegniamo il mestiere a "
        "chi vuole ricominciare.",
        "Three tailors, two industrial machines and lots of patience: we teach the trade "
        "to people starting again.",
        "#b23a20",
        "sartoria",
    ),
    (
        "Officina Meccanica Brambilla",
        "officina-brambilla",
        PartnerType.ARTISAN,
        ["vimodrone"],
        [Sector.MECHANICS],
        "Officina di carpenteria e saldatura a Vimodrone dal 1978.",
        "Metalwork and welding workshop in Vimodrone since 1978.",
        "Cerchiamo saldatori e manutentori: formiamo in officina chi ha voglia di imparare.",
        "We look for welders and maintenance workers: in our workshop we train anyone "
        "keen to learn.",
        "#4c5a5f",
        None,
    ),
    (
        "Forno di Segrate",
        "forno-di-segrate",
        PartnerType.ARTISAN,
        ["segrate"],
        [Sector.FOOD],
        "Panificio artigiano: pane, lievitati e laboratori di panificazione.",
        "Craft bakery: bread, leavened goods and bread-making workshops.",
        "Il nostro laboratorio apre all'alba: chi vuole imparare a fare il pane è benvenuto.",
        "Our bakery opens at dawn: anyone who wants to learn to make bread is welcome.",
        "#c28b2c",
        None,
    ),
    (
        "Associazione Artigiani della Martesana",
        "artigiani-martesana",
        PartnerType.TRADE_ASSOCIATION,
        [DISTRICT],
        [Sector.CRAFTS, Sector.ENTERPRISE, Sector.CONSTRUCTION],
        "Associazione di categoria degli artigiani: consulenza, apprendistato e avvio d'impresa.",
        "Trade association of artisans: advice, apprenticeships and business start-up.",
        "Accompagniamo chi vuole aprire una bottega e mettiamo in contatto giovani e "
        "maestri artigiani.",
        "We support people opening a workshop and connect young people with master craftspeople.",
        "#0b5d57",
        None,
    ),
    (
        "Commercianti Insieme Pioltello",
        "commercianti-insieme",
        PartnerType.TRADE_ASSOCIATION,
        ["pioltello"],
        [Sector.RETAIL],
        "I negozi di vicinato di Pioltello: tirocini nel commercio e nel servizio clienti.",
        None,
        "Ottanta negozi del centro che offrono tirocini e affiancamento.",
        None,
        "#275d8c",
        None,
    ),
    (
        "Segrate Logistica Hub",
        "segrate-logistica-hub",
        PartnerType.COMPANY,
        ["segrate"],
        [Sector.LOGISTICS],
        "Polo logistico vicino a Linate: magazzino, carrellisti e gestione ordini.",
        "Logistics centre near Linate: warehouse, forklift drivers and order handling.",
        "Assumiamo ogni anno magazzinieri e carrellisti formati sul territorio.",
        "Every year we hire warehouse workers and forklift drivers trained locally.",
        "#5b3f8c",
        None,
    ),
    (
        "Studio Digitale Milano Est",
        "studio-digitale-milano-est",
        PartnerType.COMPANY,
        ["segrate", "vimodrone"],
        [Sector.DIGITAL],
        "Agenzia web e servizi informatici per le piccole imprese.",
        "Web agency and IT services for small businesses.",
        "Insegniamo le competenze digitali di base e l'uso degli strumenti d'ufficio.",
        "We teach basic digital skills and how to use office software.",
        "#8a3b12",
        None,
    ),
    (
        "Centro di Formazione Professionale Martesana",
        "cfp-martesana",
        PartnerType.TRAINING_BODY,
        [DISTRICT],
        [Sector.MECHANICS, Sector.FOOD, Sector.DIGITAL],
        "Ente di formazione accreditato: corsi professionali e certificazioni.",
        None,
        "Corsi serali e diurni con attestato riconosciuto dalla Regione Lombardia.",
        None,
        "#4c5a5f",
        None,
    ),
    (
        "Sportello Lavoro Vimodrone",
        "sportello-lavoro-vimodrone",
        PartnerType.PUBLIC_SERVICE,
        ["vimodrone"],
        [Sector.LANGUAGES, Sector.RETAIL],
        "Orientamento, curriculum e incontro tra domanda e offerta di lavoro.",
        "Careers guidance, CVs and matching people who look for work with employers.",
        "Ti aiutiamo a scrivere il curriculum e a trovare il corso giusto.",
        "We help you write your CV and find the right course.",
        "#b23a20",
        None,
    ),
    (
        "Adda Lavoro Agenzia",
        "adda-lavoro",
        PartnerType.TRAINING_BODY,
        ["rodano", "pioltello"],
        [Sector.LOGISTICS, Sector.RETAIL],
        "Agenzia per il lavoro: selezione, tirocini e accompagnamento.",
        None,
        "Facciamo incontrare le imprese del territorio con chi cerca lavoro.",
        None,
        "#0b5d57",
        None,
    ),
]

OBSERVATORIES = {
    "pioltello": (
        "A Pioltello mancano soprattutto figure della logistica e della cura; molte "
        "persone disoccupate hanno competenze artigiane non riconosciute.",
        "In Pioltello the gaps are above all in logistics and care; many unemployed "
        "people have craft skills that are not recognised.",
    ),
    "rodano": (
        "Rodano ha poche imprese ma molte botteghe: serve chi raccolga il testimone "
        "degli artigiani vicini alla pensione.",
        "Rodano has few companies but many workshops: it needs people to take over from "
        "artisans close to retirement.",
    ),
    "segrate": (
        "Segrate, tra aeroporto e uffici, cerca competenze digitali e di magazzino; i "
        "giovani chiedono orientamento.",
        "Segrate, between the airport and offices, looks for digital and warehouse "
        "skills; young people ask for guidance.",
    ),
    "vimodrone": (
        "Le officine di Vimodrone non trovano saldatori e manutentori; le famiglie "
        "chiedono assistenza qualificata.",
        "The workshops of Vimodrone cannot find welders and maintenance workers; "
        "families ask for qualified carers.",
    ),
}

# comune: [(title IT, title EN, sector, source, description IT, description EN, days ago)]
NEEDS = {
    "pioltello": [
        (
            "Magazzinieri con patentino del muletto",
            "Warehouse workers with a forklift licence",
            Sector.LOGISTICS,
            NeedSource.COMPANIES,
            "Le aziende della zona industriale cercano personale con patentino.",
            "Companies in the industrial area look for licensed staff.",
            40,
        ),
        (
            "Assistenti familiari qualificate",
            "Qualified home carers",
            Sector.CARE,
            NeedSource.SERVICES,
            "Famiglie con anziani non autosufficienti chiedono assistenza formata.",
            "Families with dependent elderly people ask for trained carers.",
            70,
        ),
        (
            "Italiano per il lavoro",
            "Italian for work",
            Sector.LANGUAGES,
            NeedSource.WORKERS,
            "Molti lavoratori stranieri chiedono corsi di italiano legati al mestiere.",
            "Many foreign workers ask for Italian courses tied to their trade.",
            25,
        ),
    ],
    "rodano": [
        (
            "Sarte e sarti per riparazioni",
            "Tailors for repairs",
            Sector.TAILORING,
            NeedSource.COMPANIES,
            "Le botteghe non riescono a seguire tutte le richieste di riparazione.",
            "Workshops cannot keep up with repair requests.",
            55,
        ),
        (
            "Giardinieri e manutentori del verde",
            "Gardeners and green-space workers",
            Sector.GREEN,
            NeedSource.SERVICES,
            "Il verde pubblico richiede squadre stabili.",
            "Public green spaces need stable teams.",
            90,
        ),
    ],
    "segrate": [
        (
            "Competenze digitali di base",
            "Basic digital skills",
            Sector.DIGITAL,
            NeedSource.WORKERS,
            "Chi cerca lavoro chiede aiuto con posta elettronica, SPID e curriculum online.",
            "Job seekers ask for help with e-mail, digital identity and online CVs.",
            30,
        ),
        (
            "Addetti all'accoglienza in aeroporto",
            "Airport customer-service staff",
            Sector.RETAIL,
            NeedSource.COMPANIES,
            "Servizi di terra cercano personale con inglese di base.",
            "Ground services look for staff with basic English.",
            60,
        ),
        (
            "Panettieri per il turno di notte",
            "Bakers for the night shift",
            Sector.FOOD,
            NeedSource.COMPANIES,
            "I forni faticano a trovare chi lavori di notte.",
            "Bakeries struggle to find night workers.",
            15,
        ),
    ],
    "vimodrone": [
        (
            "Saldatori",
            "Welders",
            Sector.MECHANICS,
            NeedSource.COMPANIES,
            "Le officine offrono assunzioni dopo un periodo di formazione.",
            "Workshops offer jobs after a training period.",
            45,
        ),
        (
            "Orientamento per giovani senza diploma",
            "Guidance for young people without a diploma",
            Sector.ENTERPRISE,
            NeedSource.SERVICES,
            "I servizi sociali segnalano molti giovani fuori da scuola e lavoro.",
            "Social services report many young people out of school and work.",
            20,
        ),
    ],
}


# The address of the partners in Pioltello, and their accessibility notes.
ADDRESS = "Via Roma 1, 20096 Pioltello (MI)"
ACCESS_IT = "Scale con rampa, bagno accessibile, fermata autobus a 100 metri."
ACCESS_EN = "Ramp at the steps, accessible toilet, bus stop 100 metres away."


def _strings_for_partner(row):
    name, slug, _t, _c, _s, short_it, short_en, about_it, about_en, _colour, _user = row
    strings = {
        name: name,  # names and addresses stay as they are
        ADDRESS: ADDRESS,
        slug: slug,
        short_it: short_en,
        f"<p>{about_it}</p>": f"<p>{about_en}</p>",
        ACCESS_IT: ACCESS_EN,
    }
    return strings


def ensure_directory(context, home):
    english = context.english
    index = add_child(
        context,
        home,
        PartnerIndexPage(
            title="La rete dei partner",
            slug="rete",
            show_in_menus=True,
            intro=(
                "Cooperative, artigiani, associazioni, imprese, enti di formazione e servizi "
                "pubblici che offrono i corsi e le sfide dell'Accademia."
            ),
            listing_summary="Chi offre i corsi e le sfide dell'Accademia nell'Adda Martesana.",
        ),
    )
    if not index.has_translation(english):
        translate(
            index,
            {
                "La rete dei partner": "The partner network",
                "rete": "network",
                index.intro: (
                    "Cooperatives, artisans, associations, companies, training bodies and "
                    "public services offering the Academy's courses and challenges."
                ),
                index.listing_summary: (
                    "Who offers the Academy's courses and challenges in the Adda Martesana."
                ),
            },
            english,
        )
    return index


def ensure_partner(context, index, row):
    name, slug, partner_type, comuni, sectors, short_it, *_rest = row
    about_it, colour, username = row[7], row[9], row[10]
    partner = PartnerPage.objects.filter(slug=slug, locale=index.locale).first()
    if partner is not None:
        return partner, False
    invitation = invite_partner(
        f"referente@{slug}.example",
        name=name,
        partner_type=partner_type,
        short_description=short_it,
        comuni=comuni,
        sectors=sectors,
        username=username,
        first_name="Referente",
        language="it",
        send_email=False,
    )
    partner = invitation.partner
    # invite_partner derives the slug from the name; the demo wants its own.
    partner.slug = slug
    partner.logo = demo_image(f"Logo {name}", colour, len(name), collection=partner.collection)
    partner.description = f"<p>{about_it}</p>"
    partner.address = ADDRESS if "pioltello" in comuni else ""
    partner.website = f"https://{slug}.example"
    partner.email = f"info@{slug}.example"
    partner.phone = "+39 02 0000 0000"
    partner.accessibility_notes = ACCESS_IT
    partner.save_revision().publish()
    context.created += 1
    if username:
        user = invitation.user
        user.set_password(PARTNER_PASSWORD)
        user.save(update_fields=["password"])
    return partner, True


def ensure_staff_user(context):
    user_model = get_user_model()
    user = user_model.objects.filter(username=STAFF_USERNAME).first()
    if user is None:
        user = user_model.objects.create_user(
            STAFF_USERNAME, "staff@cittadinanzalavoro.example", STAFF_PASSWORD
        )
        user.groups.add(Group.objects.get(name=STAFF_GROUP_NAME))
    context.logins.append(("Academy staff (moderator)", STAFF_USERNAME, STAFF_PASSWORD))


def ensure_observatories(context, home):
    english = context.english
    project = child_by_slug(home, "il-progetto")
    parent = child_by_slug(project, "osservatori-civici") if project else None
    if not isinstance(parent, StandardPage):
        parent = home
    pages = []
    for comune, (text_it, text_en) in OBSERVATORIES.items():
        label = comune.capitalize()
        title_it = f"Osservatorio di {label}"
        findings_it = f"<p>{text_it}</p>"
        page = add_child(
            context,
            parent,
            ObservatoryPage(
                title=title_it,
                slug=comune,
                comune=comune,
                intro=f"Che cosa chiedono lavoratori, imprese e servizi a {label}.",
                listing_summary=text_it,
                findings=[
                    ("heading", {"text": "Cosa abbiamo ascoltato", "level": "h3"}),
                    ("paragraph", findings_it),
                ],
            ),
        )
        pages.append(page)
        if not page.has_translation(english):
            translate(
                page,
                {
                    title_it: f"{label} observatory",
                    comune: comune,
                    page.intro: f"What workers, companies and services ask for in {label}.",
                    text_it: text_en,
                    findings_it: f"<p>{text_en}</p>",
                    "Cosa abbiamo ascoltato": "What we heard",
                },
                english,
            )
    today = datetime.date(2026, 11, 1)
    italian = context.italian
    for comune, needs in NEEDS.items():
        for title_it, title_en, sector, source, text_it, text_en, days in needs:
            need, created = LabourNeed.objects.get_or_create(
                title=title_it,
                comune=comune,
                locale=italian,
                defaults={
                    "sector": sector,
                    "expressed_by": source,
                    "description": text_it,
                    "noted_on": today - datetime.timedelta(days=days),
                },
            )
            if not need.has_translation(english):
                translated = need.copy_for_translation(english)
                translated.title = title_en
                translated.description = text_en
                translated.save()
            context.created += created
    return pages


def load(context):
    ensure_staff_and_workflow()
    english = context.english
    home = context.home()
    index = ensure_directory(context, home)
    new_partners = 0
    for row in PARTNERS:
        partner, created = ensure_partner(context, index, row)
        new_partners += created
        if row[6] and not partner.has_translation(english):
            translate(partner, _strings_for_partner(row), english)
            grant_section_permissions(partner)
        if row[10]:
            context.logins.append((f"Partner: {row[0]}", row[10], PARTNER_PASSWORD))
    ensure_staff_user(context)
    ensure_observatories(context, home)
    demo_challenges.load(context)
    context.log(f"Partner network ready: {len(PARTNERS)} partners ({new_partners} new).")
    demo_opportunities.load(context)  # opportunities: partners/demo_opportunities.py

"""Demo data: the building blocks every app's `demo.py` uses, and the
ground floor of the site (locales, home page, the project's pages).

`python manage.py load_demo_data` calls `load(context)` in the `demo` module
of every installed app, in INSTALLED_APPS order. Every step looks for what it
would create first, so running the command twice changes nothing.
"""

import contextlib
import io
import random
from dataclasses import dataclass, field

from modelsearch import index as search_index
from modelsearch import signal_handlers as search_signals
from modelsearch.tasks import insert_or_update_object_task
from PIL import Image as PILImage
from PIL import ImageDraw

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.db.models.signals import post_save

from wagtail import signal_handlers as wagtail_signals
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, ReferenceIndex, Site
from wagtail.tasks import update_reference_index_task
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.strings import StringValue, extract_strings

from . import cache
from .choices import ProjectArea
from .models import HomePage, SiteFooter, StandardPage

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "accademia-demo"  # noqa: S105 - printed by `make run`, demo only
HERO_ALT_IT = "Illustrazione astratta dei laboratori dell'Accademia"


@dataclass
class DemoContext:
    scale: int = 1
    stdout: object = None
    logins: list = field(default_factory=list)
    created: int = 0

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    @property
    def italian(self):
        return Locale.objects.get(language_code="it")

    @property
    def english(self):
        return Locale.objects.get(language_code="en")

    def home(self, locale=None):
        locale = locale or self.italian
        return HomePage.objects.get(locale=locale, depth=2)


@contextlib.contextmanager
def bulk_load():
    """Build the demo in one transaction, doing once at the end what every
    save would otherwise do again: the content and feed generations are
    bumped once, and each object saved is queued once for the search index
    and once for the reference index (the same tasks the save signals
    queue, run at once or by the task worker as TASKS_BACKEND says),
    however many times it was saved. Each page is saved four to six times
    (added, revised, published, translated, translated again). Then the
    database's statistics are gathered (`gather_statistics`)."""
    from courses import feed_signals  # the courses app's calendar feeds

    with (
        transaction.atomic(),
        _deferred(
            search_signals.post_save_signal_handler,
            search_index.get_indexed_models(),
            insert_or_update_object_task,
        ),
        _deferred(
            wagtail_signals.update_reference_index_on_save,
            ReferenceIndex.tracked_models,
            update_reference_index_task,
        ),
        cache.bumps_held_back(),
        feed_signals.bumps_held_back(),
    ):
        yield
    gather_statistics()


def gather_statistics():
    """ANALYZE on PostgreSQL, as after any bulk load. Its planner estimates
    from statistics that a table has none of until it is analyzed
    (autovacuum does it in its own time, and never where it is off): on a
    demo just loaded it guessed one course per locale and ran the
    catalogue's per-course subqueries (a course's sessions, found by
    translation key) through every page of the locale, about 0.5 s each
    for the search page and the catalogue searched at scale 20. SQLite
    plans without statistics, and keeps them only when asked."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@contextlib.contextmanager
def _deferred(handler, models, task):
    """Disconnect `handler` from the post_save of `models` while the block
    runs, then queue `task` once per object it would have been called for."""
    models = [model for model in models if post_save.disconnect(handler, sender=model)]
    saved = {}

    def collect(sender, instance, raw=False, **kwargs):
        if not raw:
            saved[(sender._meta.app_label, sender._meta.model_name, str(instance.pk))] = True

    for model in models:
        post_save.connect(collect, sender=model, weak=False)
    try:
        yield
    finally:
        for model in models:
            post_save.disconnect(collect, sender=model)
            post_save.connect(handler, sender=model)
    by_model = {}
    for app_label, model_name, pk in saved:
        by_model.setdefault((app_label, model_name), []).append(pk)
    for (app_label, model_name), pks in by_model.items():
        model = apps.get_model(app_label, model_name)
        kept = {
            str(pk) for pk in model._default_manager.filter(pk__in=pks).values_list("pk", flat=True)
        }
        for pk in pks:
            if pk in kept:  # not deleted since
                task.enqueue(app_label, model_name, pk)


def child_by_slug(parent, slug):
    return parent.get_children().filter(slug=slug).specific().first()


def add_child(context, parent, page):
    """Add and publish `page` under `parent` unless a page with its slug is there."""
    existing = child_by_slug(parent, page.slug)
    if existing is not None:
        return existing
    parent.add_child(instance=page)
    page.save_revision().publish()
    context.created += 1
    return page


def translate(page, strings, locale):
    """Translate `page` into `locale` the way an editor would with
    wagtail-localize: every source string gets the English text from
    `strings` (keyed by the Italian text, as the field holds it: see
    `as_segments`), then the translation is published. Strings missing from
    `strings` stay in Italian (wagtail-localize's fallback): map a name or
    an address to itself to keep it. Parents must be translated first. An
    existing translation is synced again with the page as it is now, so
    references to pages translated since then, and synchronised fields
    changed since (an opportunity's courses), follow."""
    source, _created = TranslationSource.update_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    segments = as_segments(strings)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = segments.get(entry.msgid, "")
    translation.import_po(po)
    # wagtail-localize would publish on transaction commit; publish the new
    # revision here instead, so the demo data is whole inside a transaction.
    translation.save_target(publish=False)
    target = page.get_translation(locale).specific
    target.get_latest_revision().publish()
    return target


def as_segments(strings):
    """`strings` (Italian text → English text, as the fields hold them) keyed
    the way wagtail-localize offers them to a translator: rich text one
    paragraph, heading or list item at a time, without its tags; a plain
    text field in one piece, HTML-escaped, its line breaks as `<br/>`. The
    texts as given stay keys too (titles, slugs, segments already split)."""
    segments = {}
    for italian, english in strings.items():
        if not italian or not english:
            continue
        plain = StringValue.from_plaintext
        segments[plain(italian).data] = plain(english).data
        if italian.lstrip().startswith("<"):
            parts_it = [string.data for string, _attrs in extract_strings(italian)[1]]
            parts_en = [string.data for string, _attrs in extract_strings(english)[1]]
            if len(parts_it) != len(parts_en):
                raise ValueError(f"{italian!r} and its English differ in paragraphs")
            segments.update(zip(parts_it, parts_en, strict=True))
    segments.update(strings)
    return segments


def demo_image(title, colour, seed, collection=None, description=""):
    """A generated illustration (no downloads): soft shapes on a colour field."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    width, height = 1200, 800
    canvas = PILImage.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(canvas, "RGBA")
    for _ in range(14):
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randrange(60, 260)
        fill = (255, 255, 255, rng.randrange(25, 90))
        if rng.random() < 0.5:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)
        else:
            draw.rectangle((x - radius, y - radius // 2, x + radius, y + radius // 2), fill=fill)
    draw.polygon([(0, height), (width // 2, height * 0.55), (width, height)], fill=(0, 0, 0, 45))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=80)
    slug = "".join(c if c.isalnum() else "-" for c in title.lower())
    image = image_model(
        title=title,
        description=description,
        collection=collection or Collection.get_first_root_node(),
    )
    image.file = ImageFile(buffer, name=f"{slug}.jpg")
    image.save()
    return image


AREAS = [
    (
        ProjectArea.OBSERVATORIES,
        "osservatori-civici",
        "Osservatori Civici sul Lavoro",
        "Quattro think tank territoriali, uno per comune, mappano i bisogni dei lavoratori "
        "e delle imprese e i modi per far incontrare domanda e offerta.",
        "civic-observatories",
        "Civic Labour Observatories",
        "Four local think tanks, one per comune, map the needs of workers and companies "
        "and the ways to bring supply and demand together.",
        "#275d8c",
    ),
    (
        ProjectArea.WORK_DESIGN,
        "laboratori-work-design",
        "Laboratori di work design e Academy",
        "Percorsi che accompagnano le persone disoccupate a ridefinire la propria "
        "professionalità, e l'Academy territoriale con i corsi offerti dalla rete.",
        "work-design-labs",
        "Work-design labs and the Academy",
        "Paths that help unemployed people redefine their skills, and the territorial "
        "Academy with the courses offered by the network.",
        "#0b5d57",
    ),
    (
        ProjectArea.ENTERPRISE_LABS,
        "laboratori-impresa",
        "Laboratori progettuali e d'impresa",
        "Incubazione di idee d'impresa e di progetti professionali, anche a partire da "
        "sfide proposte da imprese e soggetti del territorio.",
        "enterprise-labs",
        "Project and enterprise labs",
        "Incubation of business ideas and professional projects, often starting from "
        "challenges posed by local companies and bodies.",
        "#8a3b12",
    ),
    (
        ProjectArea.NETWORK,
        "rete-territoriale",
        "Rete territoriale",
        "Imprese, servizi pubblici e terzo settore insieme per offrire finanziamenti, "
        "opportunità e servizi ai progetti nati nell'Academy e nei laboratori.",
        "territorial-network",
        "Territorial network",
        "Companies, public services and the third sector together, offering funding, "
        "opportunities and services to the projects born in the Academy and the labs.",
        "#5b3f8c",
    ),
]

PROJECT_TEXT_IT = (
    "<p>Cittadinanza al Lavoro è un progetto biennale per contrastare la disoccupazione "
    "nell'Adda Martesana e favorire il rientro nel mercato del lavoro. Supera l'idea di "
    "lavoro come semplice impiego per farne una risorsa per i bisogni della comunità, "
    "con il contributo di ciascuno secondo le proprie possibilità e i propri talenti.</p>"
)
PROJECT_TEXT_EN = (
    "<p>Cittadinanza al Lavoro is a two-year project against unemployment in the Adda "
    "Martesana, helping people back into work. It goes beyond the idea of work as a mere "
    "job and makes it a resource for the needs of the community, with everyone "
    "contributing according to their means and talents.</p>"
)
PARTNERS_TEXT_IT = (
    "<p>Il progetto è promosso dalla cooperativa sociale Libera Compagnia di Arti &amp; "
    "Mestieri Sociali con il Comune di Pioltello, per il Distretto Sociale 3 Est Milano "
    "(Pioltello, Rodano, Segrate e Vimodrone), la cooperativa sociale Ripari e CS&amp;L "
    "Consorzio Sociale, ed è sostenuto dalla Fondazione di Comunità Milano.</p>"
)
PARTNERS_TEXT_EN = (
    "<p>The project is promoted by the social cooperative Libera Compagnia di Arti &amp; "
    "Mestieri Sociali with the Comune di Pioltello, for the Distretto Sociale 3 Est Milano "
    "(Pioltello, Rodano, Segrate and Vimodrone), the social cooperative Ripari and CS&amp;L "
    "Consorzio Sociale, and is supported by the Fondazione di Comunità Milano.</p>"
)


def _paragraph(html):
    return [("paragraph", html)]


def ensure_locales():
    for code in ("it", "en"):
        Locale.objects.get_or_create(language_code=code)


def ensure_home(context):
    """The Italian home page as the root of the default site."""
    italian = context.italian
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=italian, depth=2).first()
    if home is None:
        # Wagtail's "Welcome" page (and the site pointing at it) make way.
        for page in root.get_children():
            page.delete()
        hero = demo_image(
            "Accademia: laboratorio di sartoria",
            "#0b5d57",
            1,
            description=HERO_ALT_IT,
        )
        home = HomePage(
            title="Accademia Territoriale",
            slug="home",
            locale=italian,
            hero_title="Impara un mestiere, riprogetta il tuo lavoro",
            hero_text=(
                "Corsi gratuiti e laboratori offerti da cooperative, artigiani, associazioni "
                "e imprese di Pioltello, Rodano, Segrate e Vimodrone."
            ),
            hero_image=hero,
            hero_image_alt=HERO_ALT_IT,
            hero_link_label="Scopri il progetto",
            areas_heading="Le quattro aree del progetto",
            seo_title="Accademia Territoriale — Cittadinanza al Lavoro",
            search_description=(
                "L'Academy territoriale del progetto Cittadinanza al Lavoro: corsi, "
                "laboratori e opportunità nell'Adda Martesana."
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "localhost",
                "port": 80,
                "root_page": home,
                "site_name": "Accademia Territoriale",
            },
        )
        context.created += 1
    return home


def load(context):
    ensure_locales()
    home = ensure_home(context)
    project = add_child(
        context,
        home,
        StandardPage(
            title="Il progetto",
            slug="il-progetto",
            show_in_menus=True,
            intro="Cittadinanza al Lavoro: contrastare la disoccupazione nell'Adda Martesana.",
            body=[
                ("paragraph", PROJECT_TEXT_IT),
                ("heading", {"text": "Chi lo promuove", "level": "h2"}),
                ("paragraph", PARTNERS_TEXT_IT),
            ],
            listing_summary="Il progetto biennale contro la disoccupazione nell'Adda Martesana.",
        ),
    )
    area_pages = []
    for area, slug, title, text, _slug_en, _title_en, _text_en, colour in AREAS:
        image = demo_image(title, colour, len(slug), description=title)
        area_pages.append(
            add_child(
                context,
                project,
                StandardPage(
                    title=title,
                    slug=slug,
                    area=area,
                    intro=text,
                    listing_summary=text,
                    listing_image=image,
                    body=_paragraph(f"<p>{text}</p>"),
                ),
            )
        )
    privacy = add_child(
        context,
        home,
        StandardPage(
            title="Informativa sulla privacy",
            slug="privacy",
            intro="Come trattiamo i tuoi dati personali.",
            body=_paragraph(
                "<p>I dati che ci lasci iscrivendoti a un corso, candidandoti a una sfida "
                "o facendo una donazione sono usati solo per quello scopo, visti solo da "
                "chi organizza l'attività e dallo staff dell'Accademia, e cancellati o "
                "resi anonimi dopo 12 mesi. Puoi chiederne copia o cancellazione "
                "scrivendo ai contatti in fondo alla pagina.</p>"
            ),
        ),
    )
    accessibility = add_child(
        context,
        home,
        StandardPage(
            title="Dichiarazione di accessibilità",
            slug="accessibilita",
            intro="Vogliamo che il sito sia usabile da tutte e tutti.",
            body=_paragraph(
                "<p>Il sito segue le linee guida WCAG 2.1 livello AA. Se trovi un "
                "ostacolo, scrivici: ti risponderemo e lo correggeremo.</p>"
            ),
        ),
    )
    if not home.areas:
        home.hero_link = project
        home.areas = [
            ("area", {"area": area, "title": title, "text": text, "page": page})
            for (area, _s, title, text, *_rest), page in zip(AREAS, area_pages, strict=True)
        ]
        home.body = [
            (
                "featured_pages",
                {"heading": "Per cominciare", "pages": [project, *area_pages[:2]]},
            )
        ]
        home.save_revision().publish()
    footer = SiteFooter.load()
    if not footer.contact_email:
        footer.contact_email = "accademia@cittadinanzalavoro.example"
        footer.contact_phone = "+39 02 0000 0000"
        footer.address = "Municipio di Pioltello\nVia Carlo Cattaneo 1, 20096 Pioltello (MI)"
        footer.privacy_page = privacy
        footer.accessibility_page = accessibility
        footer.save()

    english = context.english
    strings = {
        "Accademia Territoriale": "Territorial Academy",
        "home": "home",
        "Impara un mestiere, riprogetta il tuo lavoro": "Learn a trade, redesign your work",
        home.hero_text: (
            "Free courses and workshops offered by cooperatives, artisans, associations "
            "and companies in Pioltello, Rodano, Segrate and Vimodrone."
        ),
        HERO_ALT_IT: "Abstract illustration of the Academy's workshops",
        "Scopri il progetto": "Discover the project",
        "Le quattro aree del progetto": "The four areas of the project",
        "Accademia Territoriale — Cittadinanza al Lavoro": (
            "Territorial Academy — Cittadinanza al Lavoro"
        ),
        home.search_description: (
            "The territorial Academy of the Cittadinanza al Lavoro project: courses, "
            "workshops and opportunities in the Adda Martesana."
        ),
        "Per cominciare": "Where to start",
        "Il progetto": "The project",
        "il-progetto": "the-project",
        project.intro: "Cittadinanza al Lavoro: fighting unemployment in the Adda Martesana.",
        project.listing_summary: "The two-year project against unemployment in the Adda Martesana.",
        PROJECT_TEXT_IT: PROJECT_TEXT_EN,
        "Chi lo promuove": "Who promotes it",
        PARTNERS_TEXT_IT: PARTNERS_TEXT_EN,
        "Informativa sulla privacy": "Privacy notice",
        "privacy": "privacy",
        "Come trattiamo i tuoi dati personali.": "How we handle your personal data.",
        privacy.body[0].value.source: (
            "<p>The data you give us when you sign up for a course, apply to a challenge "
            "or make a donation are used only for that purpose, seen only by the people "
            "who run the activity and by the Academy staff, and deleted or anonymised "
            "after 12 months. You can ask for a copy or for their deletion by writing "
            "to the contacts at the bottom of the page.</p>"
        ),
        "Dichiarazione di accessibilità": "Accessibility statement",
        "accessibilita": "accessibility",
        "Vogliamo che il sito sia usabile da tutte e tutti.": (
            "We want the site to be usable by everyone."
        ),
        accessibility.body[0].value.source: (
            "<p>The site follows the WCAG 2.1 level AA guidelines. If you find a barrier, "
            "write to us: we will answer and fix it.</p>"
        ),
    }
    for _a, slug, title, text, slug_en, title_en, text_en, _c in AREAS:
        strings.update(
            {slug: slug_en, title: title_en, text: text_en, f"<p>{text}</p>": f"<p>{text_en}</p>"}
        )
    pending = [
        page
        for page in [home, project, *area_pages, privacy, accessibility]
        if not page.has_translation(english)
    ]
    for page in pending:
        translate(page, strings, english)
    if pending:
        # Once more for the home page, so that its links point to the English
        # pages that did not exist when it was first translated.
        translate(home, strings, english)
    context.log(f"Site pages ready in Italian and English ({context.created} new).")


def ensure_admin(context):
    user_model = get_user_model()
    if not user_model.objects.filter(username=ADMIN_USERNAME).exists():
        user_model.objects.create_superuser(
            ADMIN_USERNAME, "admin@cittadinanzalavoro.example", ADMIN_PASSWORD
        )
    context.logins.append(("Academy staff (superuser)", ADMIN_USERNAME, ADMIN_PASSWORD))

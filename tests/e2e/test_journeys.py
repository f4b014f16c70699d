"""What people come to do, start to end, in a real browser: find a course on
a phone, sign up and confirm from the e-mail, cancel; a partner publishes a
course through the Academy's moderation; apply to a challenge with a file;
start a gift and reach Stripe; read every page type in both languages."""

import datetime
import json
import re
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.donations import stripe_double as sd

from .conftest import DESKTOP, PHONE, axe_violations, wait_as_a_person_would

pytestmark = pytest.mark.e2e

# Demo courses (courses/demo.py) with seats to spare, one per journey, so
# that the journeys do not depend on each other's sign-ups.
SIGNUP_COURSE = "/it/rete/cfp-martesana/contabilita-semplice/"


def result_count(page):
    return int(re.search(r"\d+", page.locator("#results-heading").inner_text()).group())


# --- The catalogue on a phone -------------------------------------------------


def test_browse_and_filter_the_catalogue_on_a_phone(server, phone):
    phone.goto(server.url + "/it/corsi/")
    total = result_count(phone)
    assert total > 5
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    # The filters are folded away; open them and pick a comune.
    phone.get_by_text("Filtri", exact=True).click()
    phone.get_by_label("Comune", exact=True).select_option("rodano")
    phone.get_by_role("button", name="Mostra i corsi").click()
    phone.wait_for_url(re.compile(r"comune=rodano"))
    in_rodano = result_count(phone)
    assert 0 < in_rodano < total
    cards = phone.locator(".course-grid > li")
    assert 0 < cards.count() <= in_rodano
    for card in cards.all():
        expect(card).to_contain_text("Rodano")
    expect(phone.locator(".active-filters")).to_contain_text("Rodano")

    # A word narrows further; the comune stays.
    phone.get_by_label("Cerca un corso").fill("sartoria")
    phone.get_by_role("button", name="Cerca", exact=True).click()
    phone.wait_for_url(re.compile(r"q=sartoria"))
    assert "comune=rodano" in phone.url
    assert 0 < result_count(phone) <= in_rodano
    expect(phone.locator(".course-grid")).to_contain_text("Sartoria")
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    filtered = result_count(phone)

    # The same filters in English: the switch keeps them.
    phone.get_by_role("link", name="English").first.click()
    phone.wait_for_url(re.compile(r"/en/courses/\?"))
    assert "comune=rodano" in phone.url and "q=sartoria" in phone.url
    assert result_count(phone) == filtered
    phone.go_back()

    # A course card leads to the course, with its calendar subscription.
    phone.locator(".course-grid h3 a").first.click()
    expect(phone.get_by_role("heading", level=2, name="Date")).to_be_visible()
    expect(
        phone.get_by_role("link", name="Iscriviti (calendario del telefono o del computer)")
    ).to_have_attribute("href", re.compile(r"^webcal://"))


def test_calendar_subscribe_links_are_on_the_course_and_the_catalogue(server, phone):
    phone.goto(server.url + SIGNUP_COURSE)
    subscribe = phone.locator(".feed-subscribe")
    expect(subscribe).to_be_visible()
    webcal = subscribe.get_by_role("link", name=re.compile("telefono o del computer"))
    expect(webcal).to_have_attribute("href", re.compile(r"^webcal://.+"))
    download = subscribe.get_by_role("link", name=re.compile(r"\.ics"))
    href = download.get_attribute("href")
    response = phone.request.get(href if "://" in href else server.url + href)
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in response.text()

    phone.goto(server.url + "/it/corsi/?comune=pioltello")
    expect(phone.locator(".catalogue .feed-subscribe a[href^='webcal://']")).to_have_count(1)


# --- Sign up, confirm from the e-mail, cancel -------------------------------


def test_sign_up_confirm_from_the_email_and_cancel(server, phone):
    email = "giulia.e2e@example.org"
    phone.goto(server.url + SIGNUP_COURSE)
    started = time.monotonic()
    title = phone.locator("h1").inner_text()
    form = phone.locator("form.signup-form").first
    form.get_by_role("textbox", name="Nome", exact=True).fill("Giulia")
    form.get_by_role("textbox", name="Cognome", exact=True).fill("Bianchi")
    form.get_by_role("textbox", name="E-mail", exact=True).fill(email)
    form.get_by_role("combobox", name="Dove abiti?").select_option("segrate")
    form.get_by_role("checkbox", name=re.compile("Ho letto l'informativa")).check()
    wait_as_a_person_would(started)
    form.get_by_role("button", name="Iscrivimi").click()
    phone.wait_for_url(re.compile(r"/it/signup/done/"))
    expect(phone.locator("main")).to_contain_text(title)

    mails = server.mails_to(email)
    assert len(mails) == 1
    assert "Conferma" in mails[0]["Subject"]
    # The link only asks (mail scanners open every link); the button confirms.
    phone.goto(server.link_in(mails[0], "/signup/confirm/"))
    expect(phone.locator("h1")).to_have_text("Conferma il tuo indirizzo e-mail")
    expect(phone.locator("main")).to_contain_text(title)
    assert len(server.mails_to(email)) == 1
    button = phone.get_by_role("button", name="Conferma la mia iscrizione")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    button.click()
    expect(phone.locator("h1")).to_have_text("Grazie, il tuo indirizzo e-mail è confermato")
    expect(phone.locator("main")).to_contain_text(title)

    # The confirmation mail carries the self-service links.
    confirmed = server.mails_to(email)[-1]
    assert len(server.mails_to(email)) == 2
    assert any(p.get_content_type() == "text/calendar" for p in confirmed.walk())
    phone.goto(server.link_in(confirmed, "/signup/cancel/"))
    phone.get_by_role("button", name="Sì, annulla la mia iscrizione").click()
    expect(phone.locator("h1")).to_have_text("La tua iscrizione è annullata")
    mails = server.mails_to(email)
    assert len(mails) == 3
    assert "annullata" in mails[-1]["Subject"]

    # "My sign-ups" shows the cancelled sign-up, with no way to cancel it again.
    phone.goto(server.link_in(confirmed, "/signup/mine/"))
    expect(phone.locator("main")).to_contain_text(title)
    expect(phone.get_by_role("link", name="Annulla questa iscrizione")).to_have_count(0)


# --- A partner publishes a course through moderation --------------------------


def log_in(page, url, username, password):
    page.goto(url + "/admin/login/")
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(url + "/admin/")


def test_a_partner_course_goes_through_moderation_to_the_catalogue(server, browser):
    title = "Rammendo visibile E2E"
    partner_context = browser.new_context(viewport=DESKTOP, locale="it-IT")
    partner = partner_context.new_page()
    log_in(partner, server.url, "libera", "accademia-partner")

    # The partner's own section in the explorer, then a new course in it.
    partner.goto(f"{server.url}/admin/pages/{server.page_id('libera-compagnia')}/")
    partner.get_by_role("link", name="Aggiungi pagina figlio").first.click()
    partner.get_by_role("link", name="Corso", exact=True).click()
    partner.wait_for_url(re.compile(r"/admin/pages/add/courses/coursepage/\d+/"))

    partner.locator("#id_title").fill(title)
    partner.locator("#id_intro").fill("Riparare i vestiti lasciando il rammendo in vista.")
    partner.locator("#id_audiences_0").check()
    first = datetime.date.today() + datetime.timedelta(days=60)
    for i, day in enumerate((first, first + datetime.timedelta(days=7))):
        partner.get_by_role("button", name="Aggiungi Incontro").click()
        partner.locator(f"#id_sessions-{i}-start").fill(f"{day} 10:00")
        partner.locator(f"#id_sessions-{i}-end").fill(f"{day} 12:00")
        partner.locator(f"#id_sessions-{i}-format").select_option("online")
        partner.locator(f"#id_sessions-{i}-online_notes").fill("Il link arriva per e-mail.")
        partner.locator(f"#id_sessions-{i}-capacity").fill("12")
    partner.get_by_role("button", name="Altre azioni").click()
    partner.get_by_role("button", name=re.compile("^Invia a")).click()
    expect(partner.locator(".messages")).to_contain_text("inviata per moderazione")
    # Partners cannot publish: nothing is public yet.
    assert partner.request.get(server.url + "/it/corsi/?q=rammendo").text().count(title) == 0
    partner_context.close()

    staff_context = browser.new_context(viewport=DESKTOP, locale="it-IT")
    staff = staff_context.new_page()
    log_in(staff, server.url, "staff", "accademia-staff")
    staff.locator("tr", has_text=title).get_by_role("link", name=title).click()
    staff.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    staff.get_by_role("button", name="Altre azioni").click()
    staff.get_by_role("button", name="Approva e Pubblica").click()
    expect(staff.locator(".messages")).to_contain_text(title)
    staff_context.close()

    visitor_context = browser.new_context(viewport=DESKTOP, locale="it-IT")
    visitor = visitor_context.new_page()
    visitor.goto(server.url + "/it/corsi/?q=rammendo")
    visitor.get_by_role("link", name=title).click()
    expect(visitor.locator("h1")).to_have_text(title)
    expect(visitor.locator(".session-card")).to_have_count(2)
    expect(visitor.locator("form.signup-form")).to_have_count(1)
    visitor_context.close()


# --- Apply to a challenge with an attachment --------------------------------


def small_pdf():
    """A real, valid one-page PDF, built by hand (offsets computed)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = b"BT /F1 18 Tf 20 70 Td (Progetto di quartiere) Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_apply_to_a_challenge_with_an_attachment(server, phone):
    email = "squadra.e2e@example.org"
    phone.goto(server.url + "/it/rete/comune-di-pioltello/anziani-soli/")
    phone.get_by_role("link", name=re.compile("Candidati|candidatura", re.IGNORECASE)).first.click()
    phone.wait_for_url(re.compile(r"/apply/$"))
    form = phone.locator("main form")
    form.locator("#id_applicant_type_0").check()
    form.locator("#id_name").fill("Squadra Vicini Attivi")
    form.locator("#id_email").fill(email)
    form.locator("#id_organisation").fill("Vicini Attivi di Pioltello")
    form.locator("#id_question_1").fill("Conosciamo già venti persone anziane del quartiere.")
    form.locator("#id_idea").fill("Un turno di visite settimanali con i ragazzi del doposcuola.")
    form.locator("#id_attachment_1").set_input_files(
        {"name": "progetto.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}
    )
    form.locator("#id_privacy").check()
    form.locator("#id_sharing").check()
    form.locator("button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/sent/$"))

    receipt = server.mails_to(email)
    assert len(receipt) == 1
    phone.goto(server.link_in(receipt[0], "/it/candidature-sfide/"))
    expect(phone.locator("main")).to_contain_text("progetto.pdf")


# --- Start a gift and reach Stripe's checkout -------------------------------


def give_through_the_form(phone, server, *, amount, donor, email, monthly=False):
    """Fill the Fund's form as a donor in Pioltello and send it, up to
    Stripe's hosted checkout (its page stood in for by the test's route)."""
    first_name, last_name, tax_code, street = donor
    phone.goto(server.url + "/it/fondo-solidale/")
    form = phone.locator("form.donation-form")
    if monthly:
        form.locator("input[name=frequency][value=monthly]").check()
    form.locator("#id_preset_4").check()
    form.locator("#id_custom_amount").fill(amount)
    form.locator("#id_first_name").fill(first_name)
    form.locator("#id_last_name").fill(last_name)
    form.locator("#id_tax_code").fill(tax_code)
    form.locator("#id_street").fill(street)
    form.locator("#id_postcode").fill("20096")
    form.locator("#id_city").fill("Pioltello")
    form.locator("#id_province").fill("MI")
    form.locator("#id_email").fill(email)
    form.locator("#id_privacy").check()
    form.locator("button[type=submit]").click()
    phone.wait_for_url(re.compile(r"^https://checkout\.stripe\.com/c/pay/cs_"))


def test_start_a_donation_and_reach_the_stripe_checkout(server, phone):
    reached = []

    def stripe_checkout(route):
        # The hosted checkout page lives on Stripe: stand in for it here.
        reached.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>Stripe Checkout</title>")

    phone.route("https://checkout.stripe.com/**", stripe_checkout)
    give_through_the_form(
        phone,
        server,
        amount="15",
        donor=("Maria", "Rossi", "RSSMRA85T10A562S", "Via Roma 1"),
        email="maria.e2e@example.org",
    )

    assert len(reached) == 1
    created = server.stripe.last("/v1/checkout/sessions")
    assert created is not None
    assert created.form["line_items[0][price_data][unit_amount]"] == "1500"
    assert created.form["customer_email"] == "maria.e2e@example.org"
    assert created.form["success_url"].startswith(server.url)


def send_stripe_event(server, event):
    """A webhook, signed with the server's secret as Stripe signs it."""
    payload = json.dumps(event)
    request = urllib.request.Request(  # noqa: S310 - the local test server
        server.url + "/donations/stripe/webhook/",
        data=payload.encode(),
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": sd.sign(payload, "whsec_test_local_double"),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200


@pytest.fixture
def phone_with_csp(browser):
    """A phone that applies the site's Content-Security-Policy (the other
    journeys' browsers bypass it to inject axe-core)."""
    context = browser.new_context(viewport=PHONE, locale="it-IT")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_a_monthly_donor_opens_the_manage_link_and_reaches_stripes_portal(
    server, phone_with_csp, phone
):
    """The receipt's "manage" link only shows a page (mail scanners open
    every link); its button takes the donor to Stripe's customer portal,
    which the page's Content-Security-Policy (form-action) must allow:
    Chromium applies it to the redirect that follows the button's POST."""
    checker, phone = phone, phone_with_csp
    reached = []

    def stripe_page(route):
        reached.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>Stripe</title>")

    phone.route("https://checkout.stripe.com/**", stripe_page)
    phone.route("https://billing.stripe.com/**", stripe_page)
    email = "monthly.e2e@example.org"
    give_through_the_form(
        phone,
        server,
        amount="12",
        donor=("Marta", "Bianchi", "BNCMRT85T50A562V", "Via Milano 2"),
        email=email,
        monthly=True,
    )

    # Stripe tells the site the gift started and its first month was paid.
    key = server.stripe.last("/v1/checkout/sessions").headers["Idempotency-Key"]
    completed = sd.completed_session(server.stripe.sessions_by_key[key], customer="cus_e2e")
    send_stripe_event(server, sd.event("checkout.session.completed", completed))
    invoice = sd.paid_invoice(completed["subscription"], 1200, completed["metadata"])
    server.stripe.invoice_payment_intents[invoice["id"]] = "pi_e2e_month_1"
    send_stripe_event(server, sd.event("invoice.paid", invoice))
    [receipt] = server.mails_to(email)

    portals_before = len(
        [r for r in server.stripe.requests if r.path == "/v1/billing_portal/sessions"]
    )
    manage = server.link_in(receipt, "/donations/manage/")
    # The page in both languages, in a context that may inject axe-core.
    for query in ("", "?lang=en"):
        checker.goto(manage + query)
        assert axe_violations(checker) == [], query
    phone.goto(manage)
    expect(phone.locator("main")).to_contain_text("€ 12,00 al mese")
    assert "Marta" not in phone.locator("main").inner_text()
    portals = [r for r in server.stripe.requests if r.path == "/v1/billing_portal/sessions"]
    assert len(portals) == portals_before  # opening the link asked nothing of Stripe

    phone.get_by_role("button", name="Gestisci la mia donazione mensile").click()
    phone.wait_for_url("https://billing.stripe.com/p/session/test_portal")
    assert reached[-1] == "https://billing.stripe.com/p/session/test_portal"
    portal = server.stripe.last("/v1/billing_portal/sessions")
    assert portal.form["customer"] == "cus_e2e"
    assert portal.form["return_url"] == server.url + "/it/fondo-solidale/"


# --- Every page type in the other language ---------------------------------

PAGE_PAIRS = [
    ("home", "/it/", "/en/"),
    ("standard page", "/it/il-progetto/", "/en/the-project/"),
    ("catalogue", "/it/corsi/", "/en/courses/"),
    (
        "course",
        "/it/rete/artigiani-martesana/avviare-attivita-artigiana/",
        "/en/network/artigiani-martesana/starting-a-craft-business/",
    ),
    ("partner directory", "/it/rete/", "/en/network/"),
    ("partner", "/it/rete/libera-compagnia/", "/en/network/libera-compagnia/"),
    (
        "observatory",
        "/it/il-progetto/osservatori-civici/pioltello/",
        "/en/the-project/civic-observatories/pioltello/",
    ),
    ("challenge index", "/it/sfide/", "/en/challenges/"),
    (
        "challenge",
        "/it/rete/comune-di-pioltello/anziani-soli/",
        "/en/network/comune-di-pioltello/anziani-soli/",
    ),
    ("opportunity index", "/it/opportunita/", "/en/opportunities/"),
    (
        "opportunity",
        "/it/rete/comune-di-pioltello/bando-dote-lavoro/",
        "/en/network/comune-di-pioltello/job-grant-call/",
    ),
    ("donation page", "/it/fondo-solidale/", "/en/solidarity-fund/"),
    ("search", "/it/search/?query=lavoro", "/en/search/?query=lavoro"),
]


@pytest.mark.parametrize(
    ("italian", "english"), [p[1:] for p in PAGE_PAIRS], ids=[p[0] for p in PAGE_PAIRS]
)
def test_switch_language_on_every_page_type(server, phone, italian, english):
    phone.goto(server.url + italian)
    assert phone.locator("html").get_attribute("lang") == "it"
    italian_title = phone.locator("h1").inner_text()
    phone.get_by_role("link", name="English").first.click()
    phone.wait_for_url(server.url + english)
    assert phone.locator("html").get_attribute("lang") == "en"
    expect(phone.get_by_role("link", name="Italiano").first).to_be_visible()
    phone.get_by_role("link", name="Italiano").first.click()
    phone.wait_for_url(server.url + italian)
    assert phone.locator("h1").inner_text() == italian_title

"""End-to-end tests: a real server started by the tests, driven by the
machine's Chromium through Playwright. Run with `make e2e`.

The server runs the development settings with DEBUG off, so that error
pages are the site's own (tests/e2e/settings.py, which also serves the
uploaded images), on a file SQLite database built with the demo data. It
writes e-mails to a folder the tests read, and talks to the local Stripe
test double (tests/donations/stripe_double.py), which runs in the test
process: nothing inside the app is faked.

The demo data gives the logins the journeys use (home/demo.py,
partners/demo.py): the partner "libera" and the Academy staff user "staff".
"""

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from email import message_from_binary_file, policy
from pathlib import Path

import pytest

from django.conf import settings

from tests.donations.stripe_double import StripeDouble

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


# The sign-up form refuses forms sent faster than a person could fill them
# (SIGNUP_MIN_FORM_SECONDS, 3 s by default).
MIN_FORM_SECONDS = 3.2


def wait_as_a_person_would(started):
    """Sleep until MIN_FORM_SECONDS have passed since `started` (monotonic)."""
    time.sleep(max(0, MIN_FORM_SECONDS - (time.monotonic() - started)))


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url, mail_dir, stripe, database):
        self.url = url
        self.mail_dir = mail_dir
        self.stripe = stripe
        self.database = database

    def page_id(self, slug, language="it"):
        """The id of a page, read from the server's database, to open it in
        the admin as an editor would from the explorer."""
        with closing(sqlite3.connect(self.database)) as connection:
            (page_id,) = connection.execute(
                "SELECT p.id FROM wagtailcore_page p JOIN wagtailcore_locale l "
                "ON p.locale_id = l.id WHERE p.slug = ? AND l.language_code = ?",
                (slug, language),
            ).fetchone()
        return page_id

    def mails(self):
        """The e-mails sent so far, oldest first."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            with path.open("rb") as handle:
                messages.append(message_from_binary_file(handle, policy=policy.default))
        return messages

    def mails_to(self, address):
        return [m for m in self.mails() if address in str(m["To"])]

    def link_in(self, mail, path_part):
        """The first link of the e-mail's text whose path contains `path_part`."""
        text = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
        body = text.get_payload(decode=True).decode(text.get_content_charset() or "utf-8")
        for link in re.findall(r"https?://\S+", body):
            if path_part in link:
                return link
        raise AssertionError(f"no link with {path_part!r} in the e-mail:\n{body}")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    mail_dir = folder / "mail"
    mail_dir.mkdir()
    port = int(os.environ.get("E2E_PORT") or _free_port())
    stripe = StripeDouble().start()
    database = folder / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.e2e.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        # Four slashes: django-environ drops the first one of the path.
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "STRIPE_API_BASE": stripe.url,
        "STRIPE_SECRET_KEY": "sk_test_local_double",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_local_double",
        "STRIPE_WEBHOOK_SECRET": "whsec_test_local_double",
    }
    manage = [sys.executable, "manage.py"]
    commands = [["migrate", "--no-input", "-v0"], ["load_demo_data"]]
    if os.environ.get("E2E_DEMO_DB"):
        # A quicker local loop: start from a copy of a demo database built
        # earlier, and of its images (neither is modified by the tests).
        shutil.copyfile(os.environ["E2E_DEMO_DB"], database)
        if os.environ.get("E2E_DEMO_MEDIA"):
            shutil.copytree(os.environ["E2E_DEMO_MEDIA"], folder / "media")
        commands = commands[:1]
    for command in commands:
        subprocess.run(  # noqa: S603 - fixed arguments
            manage + command, cwd=settings.BASE_DIR, env=env, check=True, capture_output=True
        )
    # The site's own address, so that the links it builds (Stripe's return
    # address, the course pages named in e-mails) come back to this server.
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute(
            "UPDATE wagtailcore_site SET hostname = '127.0.0.1', port = ? WHERE is_default_site",
            (port,),
        )
    log = (folder / "server.log").open("wb")  # read it when a journey fails
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/robots.txt", timeout=2)  # noqa: S310 - local URL
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("the test server did not start") from None
            time.sleep(0.2)
    yield Server(url, mail_dir, stripe, database)
    process.terminate()
    process.wait(timeout=10)
    log.close()
    stripe.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def _context(browser, viewport):
    # bypass_csp lets the tests inject axe-core into pages whose policy
    # forbids inline scripts.
    context = browser.new_context(viewport=viewport, bypass_csp=True, locale="it-IT")
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def phone(browser):
    context = _context(browser, PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context = _context(browser, DESKTOP)
    page = context.new_page()
    yield page
    context.close()


# axe-core accepts aria-describedby pointing at a missing element (a help
# text that is never read out); this finds them.
BROKEN_REFERENCES = """() => [...document.querySelectorAll('[aria-describedby], [aria-labelledby]')]
  .flatMap(el => ['aria-describedby', 'aria-labelledby'].flatMap(attr =>
    (el.getAttribute(attr) || '').split(/\\s+/).filter(id => id && !document.getElementById(id))
      .map(id => `${attr} of #${el.id || el.tagName} points to missing #${id}`)))"""


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core in the page; return the violations of the given impacts,
    and any ARIA reference to an element that does not exist."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ] + page.evaluate(BROKEN_REFERENCES)

"""End-to-end tests: a real server started by the tests, driven by the
machine's Chromium through Playwright. Run with `make e2e`.

The server runs the development settings on a file SQLite database built
with the demo data, and writes e-mails to a folder the tests read.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from email import message_from_binary_file
from pathlib import Path

import pytest

from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url, mail_dir):
        self.url = url
        self.mail_dir = mail_dir

    def mails(self):
        """The e-mails sent so far, oldest first."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            with path.open("rb") as handle:
                messages.append(message_from_binary_file(handle))
        return messages


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    mail_dir = folder / "mail"
    mail_dir.mkdir()
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy_site.settings.dev",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "EMAIL_URL": f"filemail://{mail_dir}",
        "MEDIA_ROOT": str(folder / "media"),
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("DJANGO_DEBUG", None)
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input", "-v0"], ["load_demo_data"]):
        subprocess.run(  # noqa: S603 - fixed arguments
            manage + command, cwd=settings.BASE_DIR, env=env, check=True, capture_output=True
        )
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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
    yield Server(url, mail_dir)
    process.terminate()
    process.wait(timeout=10)


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
    return browser.new_context(viewport=viewport, bypass_csp=True, locale="it-IT")


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


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core in the page; return the violations of the given impacts."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]

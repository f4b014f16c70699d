"""The site as a person meets it: on a phone, in both languages, by keyboard.
(axe-core on every page type: test_accessibility.py.)"""

import pytest

pytestmark = pytest.mark.e2e


def test_language_switch_on_a_phone(server, phone):
    phone.goto(server.url + "/it/il-progetto/")
    assert phone.locator("h1").inner_text() == "Il progetto"
    phone.get_by_role("link", name="English").first.click()
    phone.wait_for_url("**/en/the-project/")
    assert phone.locator("h1").inner_text() == "The project"
    assert phone.locator("html").get_attribute("lang") == "en"
    phone.get_by_role("link", name="Italiano").first.click()
    phone.wait_for_url("**/it/il-progetto/")


def test_root_follows_the_browsers_language(server, browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(server.url + "/")
    assert page.url == server.url + "/en/"
    context.close()


def test_skip_link_is_the_first_stop_for_keyboard_users(server, desktop):
    desktop.goto(server.url + "/it/")
    desktop.keyboard.press("Tab")
    focused = desktop.evaluate("document.activeElement.textContent")
    assert focused == "Vai al contenuto"
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("location.hash") == "#main"


def test_home_page_fits_a_phone_without_horizontal_scrolling(server, phone):
    phone.goto(server.url + "/it/")
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert phone.get_by_role("heading", name="Le quattro aree del progetto").is_visible()

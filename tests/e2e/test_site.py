"""The site as a person meets it: on a phone, in both languages, by keyboard.
(axe-core on every page type: test_accessibility.py.)"""

import pytest
from playwright.sync_api import expect

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


# The smallest phones still in use: 320 CSS pixels wide, JavaScript off
# (an old, slow phone, or a data-saver browser).
OLD_PHONE_PAGES = [
    "/it/",
    "/en/",
    "/it/corsi/",
    "/it/rete/comune-di-pioltello/computer-smartphone-over-50/",
    "/it/rete/segrate-logistica-hub/riparare-i-resi/apply/",
]


def test_on_an_old_phone_the_menu_folds_behind_a_button(server, browser):
    """At 320 px the seven links wrapped to six rows and pushed the page's
    heading off the first screen: they fold behind a "Menu" button, which
    works from the keyboard; "Cerca" stays beside it. Without JavaScript the
    links are there as before."""
    context = browser.new_context(viewport={"width": 320, "height": 568}, locale="it-IT")
    page = context.new_page()
    for path in ["/it/il-progetto/", "/en/the-project/"]:
        page.goto(server.url + path)
        # The heading in the top half of the first screen (it was at 430 px
        # in Italian, 507 px in English, under the six rows of links).
        heading = page.locator("h1").bounding_box()
        assert heading["y"] < 568 / 2, (path, heading)
    page.goto(server.url + "/it/il-progetto/")
    nav = page.get_by_role("navigation", name="Menu principale")
    button = nav.get_by_role("button", name="Menu")
    courses = nav.get_by_role("link", name="Corsi", exact=True)
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(courses).to_be_hidden()
    expect(nav.get_by_role("link", name="Cerca")).to_be_visible()
    assert button.bounding_box()["height"] >= 44
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(courses).to_be_visible()
    page.keyboard.press("Tab")
    current = nav.locator("[aria-current=page]")
    expect(current).to_be_focused()
    expect(current).to_have_text("Il progetto")
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(courses).to_be_hidden()
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "false")
    context.close()

    links_show_without_javascript(
        browser, server, 320, 568, ["Il progetto", "Corsi", "Fondo Solidale", "Cerca"]
    )


def links_show_without_javascript(browser, server, width, height, names):
    """Without JavaScript the menu has no button and its links show."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=False, locale="it-IT"
    )
    page = context.new_page()
    page.goto(server.url + "/it/il-progetto/")
    nav = page.get_by_role("navigation", name="Menu principale")
    expect(nav.get_by_role("button", name="Menu")).to_be_hidden()
    for name in names:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    context.close()


def menu_boxes(page):
    """The top-level menu items' boxes, in order; "Search" is the last."""
    return page.locator(".main-nav #main-menu > li").evaluate_all(
        "items => items.map(li => { const r = li.getBoundingClientRect();"
        " return {text: li.textContent.trim(), top: r.top, left: r.left, right: r.right,"
        " height: r.height}; })"
    )


def test_the_menu_is_one_row_on_a_1280px_screen(server, desktop):
    """In English "Search" sat alone on a second row at 1280 px: the seven
    links needed 1,158 px, the row has 1,120."""
    for path in ["/en/", "/it/"]:
        desktop.goto(server.url + path)
        boxes = menu_boxes(desktop)
        assert len(boxes) == 7, boxes
        assert {box["top"] for box in boxes} == {boxes[0]["top"]}, (path, boxes)
    # The first link's text lines up with the logo.
    logo = desktop.locator(".brand img").bounding_box()
    first = desktop.locator(".main-nav #main-menu a").first
    text_left = first.evaluate(
        "a => a.getBoundingClientRect().left + parseFloat(getComputedStyle(a).paddingLeft)"
    )
    assert abs(text_left - logo["x"]) <= 1, (text_left, logo)


@pytest.mark.parametrize("width", [1024, 1100])
def test_where_the_menu_cannot_be_one_row_it_wraps_tidily(server, browser, width):
    """Below about 1,120 px the English links do not fit one row: they wrap
    whole (no link broken over two lines), every row starts at the first
    row's left edge, and "Search" stays in the first row's right corner
    instead of being left alone on the last row. Italian still fits one row."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="it-IT")
    page = context.new_page()
    rows = {}
    for path in ["/it/", "/en/"]:
        page.goto(server.url + path)
        boxes = menu_boxes(page)
        *links, search = boxes
        assert {box["height"] for box in boxes} == {links[0]["height"]}, (path, boxes)
        assert search["top"] == links[0]["top"], (path, search)
        assert abs(search["right"] - max(box["right"] for box in boxes)) < 1, (path, boxes)
        tops = sorted({box["top"] for box in links})
        for top in tops:
            row = [box for box in links if box["top"] == top]
            assert row[0]["left"] == links[0]["left"], (path, row)
            assert max(box["right"] for box in row) < search["left"], (path, row, search)
        rows[path] = len(tops)
    assert rows == {"/it/": 1, "/en/": 2}, rows
    context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_on_a_phone_the_language_link_shares_the_header_row(server, browser, width):
    """At 320 and 390 px the language switcher took a row of its own under
    the site's name. It sits on the name's row, at its right, the link to
    the other language a finger's size; the "Menu" button comes right under
    that row."""
    context = browser.new_context(viewport={"width": width, "height": 640}, locale="it-IT")
    page = context.new_page()
    for path, other in [("/it/", "English"), ("/en/", "Italiano")]:
        page.goto(server.url + path)
        header = page.locator(".site-header")
        brand = header.locator(".brand").bounding_box()
        switcher = header.get_by_role("link", name=other)
        link = switcher.bounding_box()
        assert link["y"] < brand["y"] + brand["height"], (path, brand, link)
        assert link["y"] + link["height"] > brand["y"], (path, brand, link)
        assert link["x"] >= brand["x"] + brand["width"], (path, brand, link)
        assert link["x"] + link["width"] <= width, (path, link)
        assert link["height"] >= 44 and link["width"] >= 44, (path, link)
        row = header.locator(".header-row").bounding_box()
        button = header.get_by_role("button", name="Menu").bounding_box()
        assert row["height"] <= 64, (path, row)
        assert button["y"] < row["y"] + row["height"] + 16, (path, row, button)
    context.close()


# Links that stand alone, not in a sentence, on a phone: each a 44 x 44 px
# target (WCAG 2.5.5). Each selector must be found on at least one page.
STANDALONE_LINKS = {
    "logo and name": ".site-header .brand",
    "language switcher": ".language-switcher a",
    "breadcrumb": ".breadcrumbs a",
    "card title": ".card h2 a, .card h3 a",
    "next dates on the home page": ".session-row a",
    "'back to' line": ".standalone-link a",
    "ask for a course": ".ask-link a",
    "past courses and open data": ".catalogue-links a",
    "pagination": ".pagination a",
    "course contact": ".course-contact a",
    "footer": ".site-footer .plain-list a",
}
STANDALONE_PAGES = [
    "/it/",
    "/en/",
    "/it/corsi/",
    "/en/courses/",
    "/it/rete/artigiani-martesana/avviare-attivita-artigiana/",
    "/en/network/artigiani-martesana/starting-a-craft-business/",
]


def test_standalone_links_are_a_fingers_size_on_a_phone(server, browser):
    """Card titles were 21-23 px high, breadcrumbs 17 px, "CSV" 34 px wide.
    Links in running text keep their size (WCAG 2.5.5 leaves them out)."""
    context = browser.new_context(viewport={"width": 320, "height": 568}, locale="it-IT")
    page = context.new_page()
    found = set()
    for path in STANDALONE_PAGES:
        page.goto(server.url + path)
        for name, selector in STANDALONE_LINKS.items():
            sizes = page.locator(selector).evaluate_all(
                "links => links.filter(a => a.getClientRects().length).map(a =>"
                " [a.textContent.trim().slice(0, 30), a.getBoundingClientRect().width,"
                " a.getBoundingClientRect().height])"
            )
            small = [size for size in sizes if size[1] < 44 or size[2] < 44]
            assert not small, (path, name, small)
            if sizes:
                found.add(name)
    assert found == set(STANDALONE_LINKS), set(STANDALONE_LINKS) - found
    # A link inside a line of text stays in the line.
    page.goto(server.url + STANDALONE_PAGES[4])
    organiser = page.locator("main p.meta a").first
    expect(organiser).to_have_css("display", "inline")
    context.close()


HOLD = "/the-rest-of-the-page-is-late.js"


def test_a_slow_phone_draws_the_menu_folded_from_the_start(server, browser):
    """On a slow phone the page arrives in pieces and the header is drawn
    long before the rest. The menu must be folded, its button working, from
    that first drawing: the links used to show, push the page down and jump
    away once the whole page had arrived (the script was deferred). Here the
    rest of the page is held back by a script slipped in after the header,
    which the browser must wait for; the site's own CSP applies."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="it-IT")
    page = context.new_page()
    held = []
    page.route("**" + HOLD, lambda route: held.append(route))

    def header_first(route):
        response = route.fetch()
        late = f'</header><script src="{HOLD}"></script>'
        route.fulfill(response=response, body=response.text().replace("</header>", late, 1))

    page.route(server.url + "/it/il-progetto/", header_first)
    page.goto(server.url + "/it/il-progetto/", wait_until="commit")
    nav = page.get_by_role("navigation", name="Menu principale")
    button = nav.get_by_role("button", name="Menu")
    courses = nav.get_by_role("link", name="Corsi", exact=True)
    expect(button).to_be_visible()
    expect(nav.get_by_role("link", name="Cerca")).to_be_visible()
    expect(courses).to_be_hidden()
    expect(page.locator("main")).to_have_count(0)  # the rest has not arrived
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(courses).to_be_visible()
    button.click()
    expect(courses).to_be_hidden()
    assert len(held) == 1
    held[0].fulfill(body="", content_type="text/javascript")
    expect(page.locator("h1")).to_have_text("Il progetto")
    expect(courses).to_be_hidden()
    expect(button).to_be_visible()
    context.close()

    # Without JavaScript the links show, at the same width.
    links_show_without_javascript(browser, server, 390, 844, ["Corsi"])


def test_pages_fit_an_old_320px_phone(server, browser):
    context = browser.new_context(
        viewport={"width": 320, "height": 568}, java_script_enabled=False, locale="it-IT"
    )
    page = context.new_page()
    for path in OLD_PHONE_PAGES:
        page.goto(server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        # The footer's stacked links are a finger's height each.
        heights = page.locator(".site-footer .plain-list a").evaluate_all(
            "links => links.map(a => a.getBoundingClientRect().height)"
        )
        assert heights and min(heights) >= 44, (path, heights)
    context.close()


def test_forms_on_an_old_phone_show_what_was_typed_and_can_be_tapped(server, browser):
    context = browser.new_context(
        viewport={"width": 320, "height": 568}, java_script_enabled=False, locale="it-IT"
    )
    page = context.new_page()
    # The catalogue's two dates, one under the other, each box wide enough
    # for the whole date (side by side, 123 px each, the year was cut off).
    page.goto(server.url + "/it/corsi/?date_from=2026-12-01&date_to=2027-01-31")
    page.locator(".filter-panel summary").click()
    boxes = [box.bounding_box() for box in page.locator(".filter-dates input").all()]
    assert len(boxes) == 2 and boxes[1]["y"] > boxes[0]["y"]
    assert min(box["width"] for box in boxes) >= 200, boxes
    clear = page.get_by_role("link", name="Togli i filtri")
    assert clear.bounding_box()["height"] >= 44
    # A challenge's attachments: the "choose file" control is a finger's height.
    page.goto(server.url + "/it/rete/segrate-logistica-hub/riparare-i-resi/apply/")
    heights = page.locator("input[type=file]").evaluate_all(
        "inputs => inputs.map(i => i.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44, heights
    context.close()


def test_large_text_on_an_old_phone_does_not_push_pages_sideways(server, browser):
    """The browser's text size set to large (24 px instead of 16) on a 320 px
    phone: the course facts and the sign-up form in its session card fit."""
    context = browser.new_context(
        viewport={"width": 320, "height": 568}, locale="it-IT", bypass_csp=True
    )
    page = context.new_page()
    for path in ["/it/corsi/", "/it/rete/segrate-logistica-hub/patentino-muletto/"]:
        page.goto(server.url + path)
        page.add_style_tag(content="html { font-size: 150% !important; }")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    context.close()

"""What the journeys do in the browser, and the layout check every page goes through.

A journey moves from page to page only through ``visit`` (typing an address) and
``follow`` (clicking a link or a button that loads a page). Both measure the page
they land on: no page may be wider than the window a clerk's laptop gives it. The
``pages`` fixture of ``conftest.py`` records every page the browser showed, and
fails a journey that reached one without measuring it.
"""

from weakref import WeakKeyDictionary

from playwright.sync_api import Locator, Page, Response

#: A common laptop screen: the admin must fit it without scrolling sideways.
WINDOW = {"width": 1366, "height": 768}

# page → the addresses measured on it, for the check that none was missed.
measured: "WeakKeyDictionary[Page, list[str]]" = WeakKeyDictionary()


def fits_the_window(page: Page) -> None:
    """Fail if the page now shown is wider than the window."""
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    measured.setdefault(page, []).append(page.url)
    assert width <= WINDOW["width"], (
        f"{page.url} is {width} px wide: wider than a {WINDOW['width']} px window; "
        f"reaching past it: {', '.join(page.evaluate(OVERFLOWING, WINDOW['width']))}"
    )


# The innermost elements whose right edge passes the window, named for the message.
OVERFLOWING = """(width) => {
    const past = (e) => e.getBoundingClientRect().right > width;
    const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
        (e.className && typeof e.className === "string"
            ? "." + e.className.trim().split(/\\s+/).join(".") : "") +
        " (" + Math.round(e.getBoundingClientRect().width) + " px)";
    return [...document.querySelectorAll("body *")]
        .filter((e) => past(e) && ![...e.children].some(past))
        .slice(0, 5).map(name);
}"""


def visit(page: Page, path: str) -> Response | None:
    """Open ``path`` as a clerk typing the address would."""
    response = page.goto(path)
    fits_the_window(page)
    return response


def follow(page: Page, target: Locator) -> Response | None:
    """Click ``target`` (a link or a submit button) and wait for the page it
    loads; the server's answer is returned."""
    with page.expect_navigation() as navigation:
        target.click()
    fits_the_window(page)
    return navigation.value


def log_in(page: Page, username: str, password: str, *, code: str = "") -> None:
    """The login page, as a clerk fills it in (the code only where it is asked)."""
    visit(page, "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    if code:
        page.get_by_label("Authentication code").fill(code)
    follow(page, page.get_by_role("button", name="Log in"))

"""Open a view in headless Chromium with the network cut off, wait until it settles, screenshot it.

Used by the tests and to make the README pictures (``cdkg view KIND --screenshot PNG``)::

    cdkg view cooperation --lang ar --screenshot docs/img/view-cooperation-ar.png

Chromium is the Debian package (``/usr/bin/chromium``) driven by Playwright; no browser is
downloaded. Every request that is not ``file://`` or ``data:`` is aborted and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cdkg.files import write_atomic

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--font-render-hinting=none"]


@dataclass
class PageReport:
    """What happened while a view was open: blocked requests, script errors, dialogs, settle time."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    settle_seconds: float = 0.0


def launch(playwright):
    """Headless Debian Chromium, with the switches that stop it from calling home.

    Parameters
    ----------
    playwright : playwright.sync_api.Playwright
        A started Playwright.

    Returns
    -------
    playwright.sync_api.Browser

    Examples
    --------
    >>> from pathlib import Path
    >>> Path(CHROMIUM).name
    'chromium'
    """
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def open_offline(browser, html: str | Path, width: int = 1400, height: int = 900, timeout_ms: int = 120_000,
                 fragment: str = ""):
    """Open ``html`` in a new page with every non-file request aborted; wait for the layout to settle.

    Returns the page and a :class:`PageReport`; the page stays open for further checks.

    Parameters
    ----------
    browser : playwright.sync_api.Browser
        From `launch`.
    html : str or Path
        The view page.
    width, height : int
        The viewport in CSS pixels.
    timeout_ms : int
        How long to wait for the layout to settle.
    fragment : str
        A URL fragment (without ``#``) to open the page with: the view state it restores.

    Returns
    -------
    tuple of (playwright.sync_api.Page, PageReport)

    Examples
    --------
    >>> report = PageReport()
    >>> report.blocked, report.errors
    ([], [])
    """
    import time

    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
    report = PageReport()
    page.on("pageerror", lambda exc: report.errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: report.errors.append(f"console: {msg.text}") if msg.type == "error" else None)

    def on_dialog(dialog):
        report.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)

    def route(route_):
        url = route_.request.url
        if url.startswith(("file://", "data:")):
            route_.continue_()
        else:
            report.blocked.append(url)
            route_.abort()

    page.route("**/*", route)
    started = time.perf_counter()
    page.goto(Path(html).resolve().as_uri() + (f"#{fragment}" if fragment else ""), wait_until="load")
    page.wait_for_function("window.cdkgSettled === true", timeout=timeout_ms)
    report.settle_seconds = time.perf_counter() - started
    return page, report


def screenshot(html: str | Path, png: str | Path, width: int = 1400, height: int = 900) -> PageReport:
    """Save a picture of a settled view, atomically.

    Parameters
    ----------
    html : str or Path
        The view page to open (offline: every request that is not ``file://`` or ``data:`` is aborted).
    png : str or Path
        Where to write the PNG.
    width, height : int
        The viewport in CSS pixels.

    Returns
    -------
    PageReport
        Requests blocked, script errors and dialogs while the page was open, and its settle time.

    Examples
    --------
    >>> PageReport(settle_seconds=1.5).settle_seconds  # what `screenshot` returns, without a browser
    1.5
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page, report = open_offline(browser, html, width, height)
            page.wait_for_timeout(300)
            picture = page.screenshot()
        finally:
            browser.close()
    write_atomic(png, picture)
    return report

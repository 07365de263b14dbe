"""Open a view in headless Chromium with the network cut off, wait until it settles, screenshot it.

Used by the tests and to make the README pictures::

    python -m cdkg.visualize.screenshot build/views/cooperation-ar.html docs/img/view-cooperation-ar.png

Chromium is the Debian package (``/usr/bin/chromium``) driven by Playwright; no browser is
downloaded. Every request that is not ``file://`` or ``data:`` is aborted and counted.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

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
    """Headless Debian Chromium, with the switches that stop it from calling home."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def open_offline(browser, html: str | Path, width: int = 1400, height: int = 900, timeout_ms: int = 120_000):
    """Open ``html`` in a new page with every non-file request aborted; wait for the layout to settle.

    Returns the page and a :class:`PageReport`; the page stays open for further checks.
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
    page.goto(Path(html).resolve().as_uri(), wait_until="load")
    page.wait_for_function("window.cdkgSettled === true", timeout=timeout_ms)
    report.settle_seconds = time.perf_counter() - started
    return page, report


def screenshot(html: str | Path, png: str | Path, width: int = 1400, height: int = 900) -> PageReport:
    """Save a picture of a settled view (written to a temp name, then renamed)."""
    from playwright.sync_api import sync_playwright

    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    temporary = png.with_name(f".{png.stem}.tmp.png")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page, report = open_offline(browser, html, width, height)
            page.wait_for_timeout(300)
            page.screenshot(path=str(temporary))
        finally:
            browser.close()
    temporary.replace(png)
    return report


def main(argv: list[str] | None = None) -> int:
    """Screenshot each HTML view given to the PNG given after it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    report = screenshot(args.html, args.png, args.width, args.height)
    print(f"{args.png}: settled in {report.settle_seconds:.1f} s, {len(report.blocked)} requests blocked, "
          f"{len(report.errors)} script errors")
    return 1 if report.blocked or report.errors or report.dialogs else 0


if __name__ == "__main__":
    sys.exit(main())

"""The control half of the XSS harness, run as its own process so that a payload that hangs the
renderer (an endless loop, popups) can be stopped by a timeout. Usage:
python xss_control.py CHROMIUM ORIGIN PAYLOADS.json → prints how many script runs were caught.
The import test hands it whole pages rendered by Hodie, to run them the same way."""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

from tests.social.test_xss import DETECTOR, POKE, _local


def recorded(recorder: str, document: str) -> str:
    """The recorder first: inside a whole page's ``<head>`` (which keeps the page in standards
    mode), else before a fragment."""
    if document.lstrip().lower().startswith("<!doctype") and "<head>" in document:
        return document.replace("<head>", "<head>" + recorder, 1)
    return recorder + document


def main() -> None:
    chromium, origin, path = sys.argv[1:4]
    payloads = json.loads(Path(path).read_text())
    from playwright.sync_api import sync_playwright

    from tests.conftest import FLAGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        page = browser.new_page()
        page.add_init_script(DETECTOR)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.route("**/*", lambda route: route.continue_() if _local(route.request.url) else route.abort())
        page.goto(f"{origin}/robots.txt")  # an origin on the local server
        recorder = f"<script>{DETECTOR}</script>"
        frames = "".join(
            f'<iframe srcdoc="{html.escape(recorded(recorder, p), quote=True)}"></iframe>' for p in payloads
        )
        page.set_content(f"<!doctype html><html><body>{frames}</body></html>", wait_until="load", timeout=20000)
        for frame in page.frames[1:]:
            try:
                frame.evaluate(POKE, "body *")
            except Exception:
                continue
        page.wait_for_timeout(300)
        print(len(page.evaluate("window.__xss || []")) + len(dialogs))
        browser.close()


if __name__ == "__main__":
    main()

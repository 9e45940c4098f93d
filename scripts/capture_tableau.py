"""Screenshot of the national dashboard for the README, in Debian's headless Chromium.

    python scripts/capture_tableau.py docs/tableau-national.png

Serves the current database (the demo: `make data`) with the dev settings on 127.0.0.1 and a
free port, signs in as the demo's national delegate, waits until the charts and the map are
drawn, saves the page, then stops the server. The page is loaded in a window as tall as the
page itself: a capture that scrolls would catch the charts redrawing at their new size.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from screenshot import CHROMIUM, CHROMIUM_ARGS, servir_et

COMPTE = ("national@demo.ti", "territoires-demo")  # demo/personas.py
LARGEUR = 1280
ATTENTE_MS = 60_000


def capture(base_url: str, out: Path, chemin: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(
                viewport={"width": LARGEUR, "height": 900}, locale="fr-FR"
            )
            errors: list[str] = []
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(base_url + "/connexion/")
            page.fill("input[name=username]", COMPTE[0])
            page.fill("input[name=password]", COMPTE[1])
            page.click("main button[type=submit]")
            page.wait_for_url("**/compte/")
            page.goto(base_url + chemin)
            hauteur = page.evaluate("() => document.documentElement.scrollHeight")
            page.set_viewport_size({"width": LARGEUR, "height": hauteur})
            page.reload()
            page.wait_for_selector(
                "#carte-tableau[data-ready]", state="attached", timeout=ATTENTE_MS
            )
            dessines = (
                "[...document.querySelectorAll('bar-chart')].every(g => g.querySelector('canvas'))"
            )
            page.wait_for_function(f"() => {dessines}")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1500)  # the charts' opening animation
            if errors:
                raise SystemExit("Erreurs dans la page : " + "; ".join(errors))
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            print(f"{out} : {out.stat().st_size // 1024} Ko.")
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="docs/tableau-national.png", type=Path)
    parser.add_argument("--chemin", default="/tableaux/", help="page à capturer")
    args = parser.parse_args()
    servir_et(lambda base_url: capture(base_url, args.out, args.chemin))


if __name__ == "__main__":
    main()

"""Screenshot of the national map for the README, in Debian's headless Chromium.

    python scripts/screenshot.py docs/carte.png

Serves the current database (`make screenshot` prepares it with `make data`) with the dev
settings on 127.0.0.1 and a free port, waits until carte.js has drawn the map, saves the
header and the map, then stops the server.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOST = "127.0.0.1"
VIEWPORT = {"width": 1280, "height": 900}
START_TIMEOUT = 30
MAP_TIMEOUT_MS = 30_000


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    log.seek(0)
    sys.stderr.write(log.read().decode(errors="replace"))
    raise SystemExit(f"Le serveur de développement n'a pas répondu sur {url}.")


def capture(base_url: str, out: Path) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="fr-FR")
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(base_url + "/carte/")
            try:
                page.wait_for_selector(
                    "#carte[data-ready]", state="attached", timeout=MAP_TIMEOUT_MS
                )
            except PlaywrightTimeout:
                raise SystemExit(
                    "La carte ne s'est pas dessinée : " + ("; ".join(errors) or "aucune erreur.")
                ) from None
            ready = page.get_attribute("#carte", "data-ready")
            if ready == "error" or int(ready) == 0:
                raise SystemExit(
                    "La carte est vide ou n'a pas pu être chargée "
                    f"({page.inner_text('#carte-resume')}). Lancer d'abord `make data`."
                )
            # Let Leaflet finish its last frame before the capture.
            page.wait_for_load_state("networkidle")
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)))")
            box = page.locator("#carte").bounding_box()
            bottom = box["y"] + box["height"] + 8
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(out),
                full_page=True,
                clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": bottom},
            )
            print(f"{out} : {out.stat().st_size // 1024} Ko, {ready} intercommunalités dessinées.")
        finally:
            browser.close()


def servir_et(faire) -> None:
    """Serves the current database with the dev settings on 127.0.0.1 and a free port, calls
    `faire(base_url)` once the map answers, then stops the server (every capture script)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        raise SystemExit(f"Chromium est introuvable ({CHROMIUM}) : installer le paquet Debian.")
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"{HOST}:{port}"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base_url = f"http://{HOST}:{port}"
            wait_until_up(base_url + "/carte/", server, log)
            faire(base_url)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="docs/carte.png", type=Path)
    args = parser.parse_args()
    servir_et(lambda base_url: capture(base_url, args.out))


if __name__ == "__main__":
    main()

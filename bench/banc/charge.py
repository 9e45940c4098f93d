"""The load phase: several clients, each sending its next request as soon as the last one is
answered (the highest rate the machine sustains at that concurrency), reads and writes mixed,
for a fixed time. Every answer other than the expected status is an error."""

from __future__ import annotations

import http.client
import json
import random
import threading
import time

from . import serveurs


def _requete(methode: str, url: str, entetes: dict, corps: dict | None = None):
    c = http.client.HTTPConnection("127.0.0.1", serveurs.PORT_PLATEFORME, timeout=60)
    try:
        donnees = json.dumps(corps).encode() if corps is not None else None
        h = {**entetes, **({"Content-Type": "application/json"} if donnees else {})}
        c.request(methode, url, body=donnees, headers=h)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


class Client(threading.Thread):
    def __init__(self, n: int, ids: dict, fin: float, brouillon: dict | None):
        super().__init__(daemon=True)
        self.rng, self.ids, self.fin, self.brouillon = random.Random(n), ids, fin, brouillon
        self.ok = self.erreurs = self.ecritures = 0
        self.temps: list[float] = []
        self.motifs: dict[str, int] = {}

    def operation(self):
        t, ids = self.ids["territoire"], self.ids
        session = {"Cookie": f"sessionid={ids['session']}"}
        jeton = {"Authorization": f"Bearer {ids['jeton']}"}
        x = self.rng.random()
        if x < 0.15 and self.brouillon:
            b = self.brouillon
            corps = {
                "version": b["version"],
                "titre": f"Brouillon du banc {self.rng.randrange(10**6)}",
            }
            statut, reponse = _requete("PATCH", f"/api/v1/fiches/{b['uuid']}", jeton, corps)
            if statut == 200:
                b["version"] = json.loads(reponse)["version"]
                self.ecritures += 1
            return "écriture", statut, 200
        choix = [
            ("GET", "/territoires/", {}),
            ("GET", f"/territoires/2/{t['code']}/", {}),
            ("GET", "/api/v1/territoires?limit=50", {}),
            ("GET", f"/api/v1/fiches?territoire={t['code']}", {}),
            ("GET", f"/api/v1/fiches?territoire={t['code']}", jeton),
            ("GET", f"/fiches/?territoire={t['code']}", session),
            ("GET", f"/fiches/{self.rng.choice(ids['fiches_territoire'])}/", session),
        ]
        methode, url, entetes = self.rng.choice(choix)
        return url.split("?")[0], _requete(methode, url, entetes)[0], 200

    def run(self):
        while time.monotonic() < self.fin:
            debut = time.perf_counter()
            try:
                quoi, statut, attendu = self.operation()
            except OSError as e:
                quoi, statut, attendu = type(e).__name__, 0, 200
            self.temps.append(time.perf_counter() - debut)
            if statut == attendu:
                self.ok += 1
            else:
                self.erreurs += 1
                cle = f"{quoi} → {statut}"
                self.motifs[cle] = self.motifs.get(cle, 0) + 1


def charger(ids: dict, duree: float = 60, clients: int = 6) -> dict:
    fin = time.monotonic() + duree
    brouillons = ids["brouillons"]
    fils = [
        Client(n, ids, fin, brouillons[n] if n < len(brouillons) else None) for n in range(clients)
    ]
    debut = time.perf_counter()
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    ecoule = time.perf_counter() - debut
    temps = sorted(t for f in fils for t in f.temps)
    motifs: dict[str, int] = {}
    for f in fils:
        for k, v in f.motifs.items():
            motifs[k] = motifs.get(k, 0) + v
    total = sum(f.ok + f.erreurs for f in fils)
    return {
        "clients": clients,
        "duree_s": round(ecoule, 1),
        "requetes": total,
        "par_seconde": round(total / ecoule, 1),
        "ecritures": sum(f.ecritures for f in fils),
        "erreurs": sum(f.erreurs for f in fils),
        "motifs_erreurs": motifs,
        "mediane_ms": temps[len(temps) // 2] * 1000 if temps else None,
        "p95_ms": temps[int(0.95 * (len(temps) - 1))] * 1000 if temps else None,
    }

"""Runs the test OpenID Connect provider: python -m comptes.tests.oidc_op.serve DIR

Builds its SQLite database in DIR, registers the client (OIDC_OP_CLIENT) and the agents
(OIDC_OP_AGENTS) that the test passes as JSON, then serves on 127.0.0.1 and a free port, which it
writes to DIR/port once it accepts connections. Stopped by the test (SIGTERM)."""

import json
import os
import sys
from pathlib import Path
from wsgiref.simple_server import make_server


def main(dossier: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "comptes.tests.oidc_op.settings"
    os.environ["OIDC_OP_DB"] = str(dossier / "fournisseur.sqlite3")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", run_syncdb=True, verbosity=0)
    client = json.loads(os.environ["OIDC_OP_CLIENT"])
    Application.objects.create(
        name="Territoires d'industrie (tests)",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        redirect_uris=client["redirect_uri"],
        post_logout_redirect_uris=client["post_logout_redirect_uri"],
    )
    for agent in json.loads(os.environ["OIDC_OP_AGENTS"]):
        User.objects.create_user(
            username=agent["email"],
            email=agent["email"],
            password=agent["password"],
            first_name=agent["given_name"],
            last_name=agent["usual_name"],
        )

    server = make_server("127.0.0.1", 0, get_wsgi_application())
    (dossier / "port.tmp").write_text(str(server.server_port))
    (dossier / "port.tmp").rename(dossier / "port")  # whole, or not yet there
    server.serve_forever()


if __name__ == "__main__":
    main(Path(sys.argv[1]))

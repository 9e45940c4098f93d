"""gunicorn in production: `gunicorn -c config/gunicorn.py config.wsgi:application`.

Every value may be set by the environment; the README's « Production » section lists them. The
servers hold no state of their own (sessions, login failures and uploads live in the database
and the shared media folder), so several of them may run behind one reverse proxy.
"""

import os
from pathlib import Path

# Behind a reverse proxy on the same machine by default; in a container, 0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Synchronous workers, one request each: gunicorn's usual rule of 2 per core plus one, unless
# WEB_CONCURRENCY (the name gunicorn and hosting platforms read) says otherwise.
# The cores this process may use (a container's share), not the host's.
_coeurs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (_coeurs or 1) + 1))

# A request that runs longer is cut and its worker replaced: exports are built within the
# request, keep this at or above the proxy's read timeout (nginx: 60 s by default).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On a stop or a reload (SIGTERM, SIGHUP), requests under way get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# The proxy may reuse its connection for a few seconds.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Each worker is replaced after this many requests (spread so they do not all restart at
# once): memory a long-lived worker gathers is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))

# Logs on the standard outputs, for the service manager or the container to collect: one access
# line per request (client address as the proxy forwarded it, status, size, duration in
# milliseconds, worker's pid); errors and the application's own log (config.settings.base
# LOGGING) on stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" %(p)s'

# Heartbeat files in memory rather than on a disk that may be slow or full (containers).
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

# gunicorn's control socket (for `gunicornc`) sits at one path per user by default: two servers
# on one machine would share it. Off, unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

proc_name = os.environ.get("GUNICORN_PROC_NAME", "territoires")

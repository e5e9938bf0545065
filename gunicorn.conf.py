"""gunicorn's settings for the Secretariat.

gunicorn reads this file from the working directory, so ``gunicorn`` alone serves the
application (docs/deployment-and-security.md); the command line overrides any value.
"""

import multiprocessing
import os

import gunicorn.http.wsgi

wsgi_app = "cica_admin.wsgi"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# The longest a request may run before its worker is killed and the clerk gets an
# error; the SQLite busy timeout (SQLITE_BUSY_TIMEOUT, 20 s) stays inside it.
timeout = 30
# The proxy in front writes the access log.
accesslog = None

# gunicorn names itself in every response's Server header and has no setting to stop
# it (benoitc/gunicorn#825); the header tells an attacker what to look up, and nothing
# to a browser. Its value is this module attribute, read for each response.
gunicorn.http.wsgi.SERVER = ""

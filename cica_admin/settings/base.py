"""Settings shared by every environment.

The environment is read here and nowhere else. Every variable has a safe local default
except in production, where ``production.py`` insists on real values.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")


def database(config: dict) -> dict:
    """The one database configuration of every environment, from its URL's."""
    config["ATOMIC_REQUESTS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {}).update(
            # SQLite cannot lock a row: a transaction takes the write lock when it
            # begins, so two saves of the same record run one after the other and
            # the second sees the first (cica_admin.core.concurrency), instead of
            # failing "database is locked". Requests that only read begin DEFERRED
            # (cica_admin.core.transactions) and take no lock.
            transaction_mode="IMMEDIATE",
            # In WAL mode readers and the writer do not wait for each other; a
            # writer waits this many seconds for the one before it, well inside
            # gunicorn's 30-second worker timeout.
            timeout=env.int("SQLITE_BUSY_TIMEOUT", default=20),
            init_command="PRAGMA journal_mode=WAL",
        )
    return config


DATABASES = {
    "default": database(
        env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "cica_admin.apps.CicaAdminConfig",
    "cica_admin.apps.SecretariatAdminSiteConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "axes",
    "django_otp",
    "cica_admin.core.security.apps.TOTPConfig",  # django_otp.plugins.otp_totp
    "csp",
    "cica_admin.core.security.apps.SecurityConfig",
    "django_countries",
    "simple_history",
    "import_export",
    "dbbackup",
    "registry",
    "meetings",
    "finance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cica_admin.core.transactions.ReadingRequestsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside CSPMiddleware, so the policy it adjusts for PDF responses is the one sent.
    "cica_admin.core.security.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cica_admin.core.security.sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cica_admin.urls"
CSRF_FAILURE_VIEW = "cica_admin.views.csrf_failure"
WSGI_APPLICATION = "cica_admin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["cica_admin.formats"]  # the 24-hour clock
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"  # served by meetings.views.document_file, with permissions
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Backups (django-dbbackup: manage.py backup / restore).
    "dbbackup": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("BACKUP_DIR", default=str(BASE_DIR / "backups"))},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

DBBACKUP_CONNECTOR_MAPPING = {
    "django.db.backends.sqlite3": "cica_admin.core.backups.SqliteConnector"
}
DBBACKUP_CLEANUP_KEEP = env.int("BACKUP_KEEP", default=10)

# The admin records who made each change; revert from the history page is allowed
# only to users who may change the model.
SIMPLE_HISTORY_REVERT_DISABLED = False
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True

# Finance: totals are given in this currency, at the exchange rates staff record.
CICA_REPORTING_CURRENCY = env("REPORTING_CURRENCY", default="USD")
# When set, only states may contribute (organizations are refused).
CICA_CONTRIBUTIONS_FROM_STATES_ONLY = env.bool(
    "CONTRIBUTIONS_FROM_STATES_ONLY", default=False
)

# The date CICA was formally launched (the First Summit, Almaty, 4 June 2002):
# a founding member is a party that was a member on this date.
CICA_LAUNCH_DATE = "2002-06-04"

# Spreadsheets (django-import-export with the project's resources and formats).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_SKIP_ADMIN_LOG = True  # the change history records every row instead
IMPORT_EXPORT_USE_TRANSACTIONS = True
SPREADSHEET_MAX_BYTES = env.int("SPREADSHEET_MAX_BYTES", default=20 * 1024 * 1024)
SPREADSHEET_MAX_UNPACKED_BYTES = env.int(
    "SPREADSHEET_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024
)
SPREADSHEET_MAX_ENTRIES = env.int("SPREADSHEET_MAX_ENTRIES", default=1000)
SPREADSHEET_MAX_PART_BYTES = env.int(
    "SPREADSHEET_MAX_PART_BYTES", default=64 * 1024 * 1024
)
SPREADSHEET_MAX_SHARED_STRINGS = env.int(
    "SPREADSHEET_MAX_SHARED_STRINGS", default=1_000_000
)
SPREADSHEET_MAX_ROWS = env.int("SPREADSHEET_MAX_ROWS", default=100_000)

# Documents attached to meetings.Document: the types are fixed in
# cica_admin/core/security/uploads.py (each needs its own content check); the size is
# here.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=25 * 1024 * 1024)

# The most rows an xlsx export of the audit log holds: written within gunicorn's 30 s
# worker timeout on either database (benchmarks/audit.py; see docs/benchmarks.md).
AUDIT_EXPORT_MAX_ROWS = env.int("AUDIT_EXPORT_MAX_ROWS", default=25_000)

# Logins (django-axes). Failures are counted per username *and* address, so one
# attacker cannot lock out every clerk behind the same proxy; the lockout ends by
# itself after the cool-off, and further attempts during it do not prolong it, so
# the time the lockout page gives is true.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# Each failure is kept (who, from where, when): the per-account slow-down counts them,
# and a clerk is told of them at the next sign-in.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=20)
LOGIN_ACCOUNT_WINDOW_MINUTES = env.int("LOGIN_ACCOUNT_WINDOW_MINUTES", default=24 * 60)
LOGIN_ACCOUNT_MAX_WAIT_MINUTES = env.int("LOGIN_ACCOUNT_MAX_WAIT_MINUTES", default=15)
AXES_LOCKOUT_CALLABLE = "cica_admin.core.security.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cica_admin.core.security.lockout.client_ip"
# How many reverse proxies append to X-Forwarded-For in front of the application;
# 0 means clients connect directly and REMOTE_ADDR is their address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The addresses (or networks) the proxies connect from: X-Forwarded-For is read only on
# their connections.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])

# Two-factor authentication (django-otp, TOTP): when on, the admin lets in only
# sessions verified by a code from the user's authenticator app.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "CICA Secretariat"
# Administrators may remove a clerk's device but never read its key (which would let
# them produce the clerk's codes).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after this long without a request, and in any case this long after
# the login (cica_admin.core.security.sessions.SessionLimitsMiddleware).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30))
SESSION_ABSOLUTE_LIFETIME = timedelta(
    hours=env.int("SESSION_LIFETIME_HOURS", default=10)
)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIFETIME.total_seconds())

# Content-Security-Policy (django-csp). Scripts only from our own static files. Styles
# may be inline: the admin's own templates, the report and dashboard templates and
# the SVG charts matplotlib writes into the dashboard all carry style attributes or
# <style> elements, and styles cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # django-import-export's export page has one inline handler on its "select
        # all" box; allow exactly that handler by its hash, no other inline script.
        "script-src-attr": [
            UNSAFE_HASHES,
            "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
        ],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features the admin never uses are switched off for every page.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

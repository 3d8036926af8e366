"""The only settings module. Every value comes from the environment (see .env.example).

Defaults are safe for a laptop running the demo; production sets the variables listed in
.env.example and `manage.py check --deploy` passes.
"""

import base64
import binascii
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_cache_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from jobhelp.core.env import (
    env_bool,
    env_choice,
    env_e164,
    env_file_storage,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("JOBHELP_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str(
    "SECRET_KEY", "django-insecure-local-only-never-use-this-key-in-production-0000"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = env_str("JOBHELP_SITE_NAME", "Job Help Desk")
# The organization whose form /help/ shows; empty means the first top-level organization
# that accepts public requests.
PUBLIC_ORGANIZATION_SLUG = env_str("JOBHELP_PUBLIC_ORGANIZATION", "")
PUBLIC_BASE_URL = env_str("JOBHELP_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "jobhelp.core",
    "jobhelp.accounts",
    "jobhelp.organizations",
    "jobhelp.notifications",
    "jobhelp.intake",
    "jobhelp.scheduling",
    "jobhelp.casework",
    "jobhelp.reports",
    "jobhelp.workshops",
    "jobhelp.directory",
    "jobhelp.partnerships",
    "jobhelp.materials",
    "jobhelp.referrals",
    "jobhelp.privacy",
    "jobhelp.crosstraining",
    "jobhelp.public",
    "jobhelp.staff",
    "jobhelp.api",
    "jobhelp.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits, the two-factor step, no-store on staff pages and the API.
    "jobhelp.staff.common.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jobhelp.urls"
WSGI_APPLICATION = "jobhelp.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jobhelp.public.common.context_processors.site",
                "jobhelp.staff.common.context_processors.menu",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jobhelp.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes writers queue for the lock instead of failing with "database is locked"
    # halfway through a transaction; WAL lets readers continue while one writer works.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Threaded tests need a file (an in-memory database is private to one connection); the
    # process id keeps two test runs on one machine apart.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
# A read replica of the same database (streaming replication, or a managed service's read
# endpoint): the reports read from it, and nothing else does (reports.replica; docs/deploy.md).
if _replica_url := env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        _replica_url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
        conn_health_checks=True,
    )
    DATABASE_ROUTERS = ["jobhelp.reports.replica.ReplicaRouter"]
# PostgreSQL through Django's own backend, but with a connection health check that asks the
# operating system instead of the server: no extra round trip per request (decision 0015).
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database["ENGINE"] = "jobhelp.core.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches ---------------------------------------------------------------------------------------
# Only public or advisory data is cached (never a staff page, nor who someone is or what they
# may do), under versions kept in the database that the domain functions raise in the same
# transaction as their change (core.versions; docs/decisions/0012). An entry can therefore
# never be stale, whatever the backend: a shared one (the database cache, after
# `manage.py createcachetable`, or Redis) only lets workers reuse each other's work.
# CACHE_URL: locmem:// (the default, each process its own), db://jobhelp_cache,
# redis://127.0.0.1:6379/1, dummy:// (nothing kept).
CACHES = {"default": django_cache_url.parse(env_str("CACHE_URL", "locmem://"))}

# --- Authentication -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2 first: new and changed passwords are hashed with it, older hashes are upgraded at the
# next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "staff/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "jobhelp.core.clientip.client_ip_for_axes"
AXES_VERBOSE = False
# Failed sign-ins from one address, whatever the login, before that address must wait for the
# rest of the window: well above AXES_FAILURE_LIMIT, since a branch's staff share an address.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("JOBHELP_LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
LOGIN_ADDRESS_WINDOW_SECONDS = 3600
# Two-factor sign-in (django-otp): required of administrators, managers and anyone holding an
# API token, offered to everyone else. Only a DEBUG installation (the demo) may waive it.
TWO_FACTOR_REQUIRED = env_bool("JOBHELP_TWO_FACTOR_REQUIRED", True)
if not TWO_FACTOR_REQUIRED and not DEBUG:
    raise ImproperlyConfigured("JOBHELP_TWO_FACTOR_REQUIRED=false is allowed only with DEBUG")
OTP_TOTP_ISSUER = SITE_NAME
# Staff sessions end after 30 minutes without a staff page and 12 hours after signing in.
SESSION_IDLE_SECONDS = env_int("JOBHELP_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_ABSOLUTE_SECONDS = env_int("JOBHELP_SESSION_ABSOLUTE_HOURS", 12, minimum=1) * 3600
# Number of reverse proxies in front of the app that append to X-Forwarded-For. Zero trusts
# only the socket address, so a client cannot forge its way around the rate limits.
TRUSTED_PROXY_COUNT = env_int("JOBHELP_TRUSTED_PROXY_COUNT", 0, minimum=0)

# --- Internationalization -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "src" / "jobhelp" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("JOBHELP_TIME_ZONE", "America/Chicago")

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from npm at set-up and are served straight from node_modules.
STATICFILES_DIRS = [
    ("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
# Uploaded files (flyers, materials, agreement attachments, evidence, training materials).
# Served through views that check who may see them, never directly by the web server. On the
# local disk (MEDIA_ROOT) unless FILE_STORAGE_URL names S3-compatible object storage
# (s3://bucket/prefix?endpoint=...&region=...; core.env.env_file_storage, docs/deploy.md).
MEDIA_ROOT = env_str("JOBHELP_MEDIA_ROOT", str(VAR_DIR / "media"))

STORAGES = {
    "default": env_file_storage("FILE_STORAGE_URL"),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security -------------------------------------------------------------------------------------
HTTPS = env_bool("JOBHELP_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading binds every subdomain of the library's domain to HTTPS for good; that is the
# library IT's decision (SECURE_HSTS_PRELOAD), not a default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600, minimum=300)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
# A request form is a few kilobytes; anything much larger is abuse and gets a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 262144, minimum=65536)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400

# --- Email and background work -----------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Job Help Desk <jobhelp@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
_mail_backend = env_choice("MAIL_BACKEND", "console", {"smtp", "console", "locmem", "file"})
if _mail_backend == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("SMTP_HOST", "localhost"),
                "port": env_int("SMTP_PORT", 587, minimum=1),
                "username": env_str("SMTP_USERNAME", ""),
                "password": env_str("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "use_ssl": env_bool("SMTP_USE_SSL", False),
                "timeout": env_int("SMTP_TIMEOUT", 20, minimum=1),
            },
        }
    }
elif _mail_backend == "file":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": f"django.core.mail.backends.{_mail_backend}.EmailBackend"}}

TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        }[env_choice("TASKS_BACKEND", "database", {"database", "immediate"})],
    }
}
# Seconds between retries of a message whose mail server failed transiently: 1, 5, 30 min, 2 h.
OUTBOX_RETRY_DELAYS = [60, 300, 1800, 7200]

# --- Text messages -----------------------------------------------------------------------------
# Empty: texting is off, and patrons without email are read their codes by phone. Otherwise a
# patron who chose text messages and gave no email address is texted (notifications/sms.py).
SMS_BACKEND = env_choice(
    "SMS_BACKEND",
    "",
    {
        "",
        "jobhelp.notifications.sms.ConsoleBackend",
        "jobhelp.notifications.sms.LocmemBackend",
        "jobhelp.notifications.sms.TwilioBackend",
    },
)
SMS_FROM_NUMBER = env_e164("SMS_FROM_NUMBER", "")
SMS_TWILIO_ACCOUNT_SID = env_str("SMS_TWILIO_ACCOUNT_SID", "")
SMS_TWILIO_AUTH_TOKEN = env_str("SMS_TWILIO_AUTH_TOKEN", "")
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 10, minimum=1)
# Not read from the environment, so the auth token only ever goes to Twilio; tests point it at
# a local server.
SMS_TWILIO_API_BASE = "https://api.twilio.com"
if SMS_BACKEND == "jobhelp.notifications.sms.TwilioBackend":
    for _name in ("SMS_TWILIO_ACCOUNT_SID", "SMS_TWILIO_AUTH_TOKEN", "SMS_FROM_NUMBER"):
        if not globals()[_name]:
            raise ImproperlyConfigured(f"{_name} must be set when SMS_BACKEND is TwilioBackend")

# --- Job-help policy ---------------------------------------------------------------------------
# Valid sends of a public form (a request, a class registration) per window: per network
# address, high enough for a branch's computer lab behind one address, and per browser.
FORM_RATE_LIMIT = env_int("JOBHELP_FORM_RATE_LIMIT", 60, minimum=1)
FORM_BROWSER_RATE_LIMIT = env_int("JOBHELP_FORM_BROWSER_RATE_LIMIT", 5, minimum=1)
FORM_RATE_WINDOW_SECONDS = env_int("JOBHELP_FORM_RATE_WINDOW", 3600, minimum=60)
DEFAULT_PHONE_REGION = env_str("JOBHELP_PHONE_REGION", "US")

# --- Partnerships ------------------------------------------------------------------------------
# The largest agreement attachment or evidence file accepted (a scanned, signed MOU is a few MB).
PARTNERSHIP_UPLOAD_MAX_BYTES = (
    env_int("JOBHELP_PARTNERSHIP_UPLOAD_MAX_MB", 10, minimum=1) * 1024 * 1024
)

# --- Materials ---------------------------------------------------------------------------------
# The largest flyer or marketing material accepted (PDF, PNG or JPEG); see materials.files.
MATERIALS_UPLOAD_MAX_BYTES = env_int("JOBHELP_MATERIALS_UPLOAD_MAX_MB", 10, minimum=1) * 1024 * 1024

# --- Referrals ---------------------------------------------------------------------------------
# Webhooks go only to https:// addresses on the internet; this lets them go to http:// and to
# private or local addresses too (tests, the demo, a partner's system on the same network).
REFERRAL_WEBHOOK_ALLOW_LOCAL = env_bool("JOBHELP_WEBHOOK_ALLOW_LOCAL", False)
REFERRAL_WEBHOOK_TIMEOUT = env_int("JOBHELP_WEBHOOK_TIMEOUT", 10, minimum=1)

# --- Encryption at rest ----------------------------------------------------------------------
# Fernet keys (base64, 32 bytes: `python -c "from cryptography.fernet import Fernet;
# print(Fernet.generate_key().decode())"`), comma-separated, for the sensitive free text kept
# encrypted in the database (core.crypto: intake notes, private session notes, referral notes).
# The first encrypts; all decrypt. To rotate: put a new key first, run `manage.py
# rotate_encryption_keys`, then remove the old one. Without it, one key derived from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env_list("JOBHELP_FIELD_ENCRYPTION_KEYS", []) or [
    base64.urlsafe_b64encode(
        hashlib.sha256(b"jobhelp-fields:" + SECRET_KEY.encode()).digest()
    ).decode()
]
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        if len(base64.urlsafe_b64decode(_key.encode())) != 32:
            raise ValueError
    except (ValueError, binascii.Error):
        raise ImproperlyConfigured(
            "JOBHELP_FIELD_ENCRYPTION_KEYS: each key must be 32 url-safe base64-encoded bytes"
        ) from None
# --- Cross-training and temporary library cards ------------------------------------------------
# Temporary card numbers are encrypted with FIELD_ENCRYPTION_KEYS (core.crypto). The keys they
# were encrypted with before (comma-separated, newest first; empty means one derived from
# SECRET_KEY under DEBUG) are read only by migration crosstraining 0003, which moves the numbers
# to FIELD_ENCRYPTION_KEYS; remove JOBHELP_CARD_KEYS once it has run.
CROSSTRAINING_CARD_KEYS = env_list("JOBHELP_CARD_KEYS", [])
# The start of the library's 14-digit card barcodes (the last digit is a Luhn check digit).
CROSSTRAINING_CARD_PREFIX = env_str("JOBHELP_CARD_PREFIX", "2")
if not CROSSTRAINING_CARD_PREFIX.isdigit() or len(CROSSTRAINING_CARD_PREFIX) > 13:
    raise ImproperlyConfigured("JOBHELP_CARD_PREFIX must be 1 to 13 digits")

# --- Retention ---------------------------------------------------------------------------------
# How long each kind of personal data is kept; each app's eraser (a periodic job, daily) reads
# its own. See README, "Privacy".
_REQUEST_DAYS = env_int("JOBHELP_RETENTION_DAYS", 180, minimum=1)
RETENTION = {
    # A request's personal details, from when it was resolved or closed.
    "requests": timedelta(days=_REQUEST_DAYS),
    # Help sessions' private notes, follow-up notes and survey comments, from the same moment.
    "notes": timedelta(days=env_int("JOBHELP_RETENTION_NOTES_DAYS", _REQUEST_DAYS, minimum=1)),
    # Class registrants' names and contact details, from the end of their session.
    "registrations": timedelta(
        days=env_int("JOBHELP_RETENTION_REGISTRATIONS_DAYS", _REQUEST_DAYS, minimum=1)
    ),
    # The recipient and subject of a message, from when it was sent or failed for good.
    "messages": timedelta(days=env_int("JOBHELP_RETENTION_MESSAGES_DAYS", 180, minimum=1)),
    # What a referral kept of the person (consented details, the notes), from when it closed.
    "referrals": timedelta(days=env_int("JOBHELP_RETENTION_REFERRALS_DAYS", 90, minimum=1)),
    # Patrons' secret links to a class registration, from the end of the class: after it the
    # link says it has expired, even while the registration's details are still kept.
    "links": timedelta(days=env_int("JOBHELP_RETENTION_LINKS_DAYS", 30, minimum=1)),
    # Raw counts of public computers in use, before they are reduced to hourly figures.
    "computer_counts": timedelta(
        days=env_int("JOBHELP_RETENTION_COMPUTER_COUNTS_DAYS", 1, minimum=1)
    ),
    # Rate-limit counters (keyed hashes of network addresses), from the start of their window.
    "rate_limits": timedelta(days=env_int("JOBHELP_RETENTION_RATE_LIMITS_DAYS", 1, minimum=1)),
}
if RETENTION["rate_limits"] < timedelta(seconds=2 * FORM_RATE_WINDOW_SECONDS):
    raise ImproperlyConfigured(
        "JOBHELP_RETENTION_RATE_LIMITS_DAYS must cover two JOBHELP_FORM_RATE_WINDOW windows"
    )

# --- Demo --------------------------------------------------------------------------------------
# How many requests `manage.py seed_demo` makes for the demo county's past year (0: none).
DEMO_HISTORY_REQUESTS = env_int("JOBHELP_DEMO_HISTORY_REQUESTS", 1500, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "jobhelp.core.security.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One JSON line per security event (core.security), without personal data.
        "jobhelp.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
    },
}
CSRF_FAILURE_VIEW = "jobhelp.public.errors.csrf_failure"

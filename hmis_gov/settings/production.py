"""Production settings: PostgreSQL, Redis, HTTPS only. Everything must come from the environment."""

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, SECRET_KEY, env, env_bool, require

DEBUG = False
require("SECRET_KEY", SECRET_KEY)
require("REDIS_URL", REDIS_URL)
require("DATABASE_URL", env("DATABASE_URL"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A worker killed in the middle of a statement leaves its backend running that statement, and
# holding the run's advisory lock (hmis_gov.runs), until it next writes to the dead client; this
# makes PostgreSQL (14+) look for a lost client every N ms during long statements, so a redelivered
# task can take the run over. 0 turns it off (PostgreSQL 13 and older do not know it).
_client_check = int(env("PG_CLIENT_CONNECTION_CHECK_MS", "2000"))
if _client_check:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        f"{_options.get('options', '')} -c client_connection_check_interval={_client_check}"
    ).strip()

# HTTPS everywhere (HUD: data in transit encrypted).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_HOST = env("SECURE_SSL_HOST") or None

"""Production settings: PostgreSQL, Redis, HTTPS only. Everything must come from the environment."""

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, SECRET_KEY, env, env_bool, require

DEBUG = False
require("SECRET_KEY", SECRET_KEY)
require("REDIS_URL", REDIS_URL)
require("DATABASE_URL", env("DATABASE_URL"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

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

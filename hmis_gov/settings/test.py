"""Settings for the test suite: fast hashing, eager Celery unless a test starts real workers."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = False
SECRET_KEY = env("SECRET_KEY", "test-key-not-for-production-use-0123456789abcdefghijklmnop")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
# django-otp doubles a wait after each wrong code; tests that try a wrong code and then the right
# one would otherwise have to sleep.
OTP_TOTP_THROTTLE_FACTOR = 0
# Each test process its own cache, whatever REDIS_URL says (scan progress keys are per database);
# list counts are counted every time except in the tests of the count cache, which turn it on.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LIST_COUNT_CACHE_SECONDS = int(env("LIST_COUNT_CACHE_SECONDS", "0"))

"""Settings for `make run` on a developer's machine: SQLite and a file broker by default."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("DEBUG", True)
# A fixed key is fine for a local demo; production refuses to start without SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", "local-development-key-not-for-production-use-0123456789")
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

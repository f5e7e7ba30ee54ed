from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HmisConfig(AppConfig):
    name = "hmis"
    verbose_name = _("HMIS client data")
    default_auto_field = "django.db.models.BigAutoField"

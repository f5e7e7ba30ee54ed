from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = _("Roles and people")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Project-wide pieces that must be in place in every process before any list is built:
        # cached list counts (hmis_gov.listcache) and the cheaper table cells (hmis_gov.tables).
        from hmis_gov import listcache
        from hmis_gov import tables as fast_tables

        from . import (
            querysets,
            signals,  # noqa: F401  (grant and revoke permissions with assignments)
        )

        listcache.connect()
        querysets.connect()  # a request reads its user's grants once
        fast_tables.install()

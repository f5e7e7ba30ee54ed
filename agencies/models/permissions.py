"""django-guardian direct foreign-key object-permission tables for the two scopes.

Guardian finds these by their ``content_object`` foreign key and uses them instead of its generic
tables: lookups join on an integer key, which keeps the restriction subqueries cheap.
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class CoCUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("agencies.ContinuumOfCare", on_delete=models.CASCADE)


class CoCGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("agencies.ContinuumOfCare", on_delete=models.CASCADE)


class AgencyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE)


class AgencyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE)

import django_tables2 as tables

from roles.models import RoleAssignment, User


class UserTable(tables.Table):
    username = tables.Column(linkify=True)
    coc = tables.Column(accessor="coc__code", verbose_name="CoC")

    class Meta:
        model = User
        fields = (
            "username",
            "first_name",
            "last_name",
            "email",
            "coc",
            "agency",
            "is_active",
            "last_login",
        )


class RoleAssignmentTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name="#")
    user = tables.Column(linkify=lambda record: record.user.get_absolute_url())
    scope = tables.Column(empty_values=(), orderable=False)
    active = tables.BooleanColumn(accessor="is_active", orderable=False, verbose_name="In force")

    class Meta:
        model = RoleAssignment
        fields = ("id", "user", "role", "scope", "starts_on", "ends_on", "active", "assigned_by")

    def render_scope(self, record):
        return record.agency.name if record.agency_id else record.coc.code

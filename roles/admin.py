from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Responsibility, Role, RoleAssignment, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Organization", {"fields": ("coc", "agency", "job_title", "phone")}),
    )
    list_display = ("username", "first_name", "last_name", "coc", "agency", "is_active")
    list_filter = ("is_active", "coc", "agency")


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "scope_type")
    inlines = [ResponsibilityInline]
    filter_horizontal = ("permissions", "assignable_by")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "coc", "agency", "starts_on", "ends_on", "assigned_by")
    list_filter = ("role", "coc")
    raw_id_fields = ("user", "assigned_by")

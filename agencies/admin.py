from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, ContinuumOfCare, Project


@admin.register(ContinuumOfCare)
class ContinuumOfCareAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name", "hmis_lead", "is_active")
    search_fields = ("code", "name")


@admin.register(Agency)
class AgencyAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ("name", "coc", "hud_organization_id", "participation_status", "is_active")
    list_filter = ("coc", "participation_status", "victim_service_provider", "is_active")
    search_fields = ("name", "hud_organization_id")


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("name", "agency", "hud_project_id", "project_type", "is_active")
    list_filter = ("project_type", "is_active")
    search_fields = ("name", "hud_project_id")

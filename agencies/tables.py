import django_tables2 as tables

from .models import Agency, ContinuumOfCare, Project


class ContinuumOfCareTable(tables.Table):
    code = tables.Column(linkify=True)
    agency_count = tables.Column(verbose_name="Agencies", orderable=True)

    class Meta:
        model = ContinuumOfCare
        fields = ("code", "name", "hmis_lead", "agency_count", "is_active")


class AgencyTable(tables.Table):
    name = tables.Column(linkify=True)
    coc = tables.Column(accessor="coc__code", verbose_name="CoC")
    project_count = tables.Column(verbose_name="Projects")

    class Meta:
        model = Agency
        fields = (
            "name",
            "coc",
            "hud_organization_id",
            "participation_status",
            "victim_service_provider",
            "joined_on",
            "project_count",
            "is_active",
        )


class ProjectTable(tables.Table):
    name = tables.Column(linkify=True)
    agency = tables.Column(linkify=True)

    class Meta:
        model = Project
        fields = (
            "name",
            "agency",
            "hud_project_id",
            "project_type",
            "operating_start",
            "operating_end",
            "hmis_participation",
            "continuum_project",
            "is_active",
        )

from django import forms

from hmis_gov.forms import RestrictedModelForm
from roles.querysets import coc_ids_with

from .models import Agency, ContinuumOfCare, Project


class DateInput(forms.DateInput):
    input_type = "date"


class ContinuumOfCareForm(RestrictedModelForm):
    class Meta:
        model = ContinuumOfCare
        fields = ["code", "name", "hmis_lead", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["hmis_lead"].queryset = self.fields["hmis_lead"].queryset.filter(
                coc=self.instance
            )
        else:
            self.fields["hmis_lead"].queryset = Agency.objects.none()


class AgencyForm(RestrictedModelForm):
    class Meta:
        model = Agency
        fields = [
            "coc",
            "name",
            "hud_organization_id",
            "participation_status",
            "victim_service_provider",
            "joined_on",
            "is_active",
        ]
        widgets = {"joined_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only CoCs where the user sets up agencies may receive a new one.
        # A new agency may only go to a CoC where the user sets up agencies.
        if not self.instance.pk and not self.user.is_superuser:
            self.fields["coc"].queryset = ContinuumOfCare.objects.filter(
                pk__in=coc_ids_with(self.user, "manage_agencies")
            )


class ProjectForm(RestrictedModelForm):
    class Meta:
        model = Project
        fields = [
            "agency",
            "name",
            "hud_project_id",
            "project_type",
            "operating_start",
            "operating_end",
            "hmis_participation",
            "continuum_project",
            "is_active",
        ]
        widgets = {"operating_start": DateInput(), "operating_end": DateInput()}

"""Forms of the hmis pages: upload, export and candidate review."""

from __future__ import annotations

from django import forms

from agencies.models import Agency, ContinuumOfCare
from hmis.importer.archive import human, max_upload
from hmis.models import Project, Source
from hmis_gov.forms import RestrictedModelForm
from roles.querysets import coc_ids_with


class SourceForm(RestrictedModelForm):
    """Register a vendor system; only CoCs where the user may upload exports are offered."""

    class Meta:
        model = Source
        fields = ["coc", "key", "name", "agency", "software_name", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.user.is_superuser:
            self.fields["coc"].queryset = ContinuumOfCare.objects.filter(
                pk__in=coc_ids_with(self.user, "import_data")
            )

    def clean(self):
        data = super().clean()
        coc, agency = data.get("coc"), data.get("agency")
        if coc and agency and agency.coc_id != coc.pk:
            self.add_error("agency", f"{agency} is not in {coc.code}.")
        return data


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(queryset=Source.objects.none())
    file = forms.FileField(help_text="The HMIS CSV export as one .zip file (FY2026 or FY2024).")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Source.objects.restrict(user, "import").filter(
            is_active=True
        )
        self.fields["file"].help_text += f" At most {human(max_upload())}."


class ExportForm(forms.Form):
    coc = forms.ModelChoiceField(queryset=ContinuumOfCare.objects.none(), label="CoC")
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False)
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(), required=False, label="HMIS project"
    )
    source = forms.ModelChoiceField(queryset=Source.objects.none(), required=False)
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coc"].queryset = ContinuumOfCare.objects.restrict(user)
        self.fields["agency"].queryset = Agency.objects.restrict(user)
        self.fields["project"].queryset = Project.objects.restrict(user)
        self.fields["source"].queryset = Source.objects.restrict(user)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("The end of the range is before its start.")
        return data

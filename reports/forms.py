from django import forms
from django.core.exceptions import ValidationError

from hmis_gov.forms import RestrictedModelForm

from .models import Report, last_wednesday_of_january


class ReportForm(RestrictedModelForm):
    """A new report: what to count, for which projects, over which period or night."""

    class Meta:
        model = Report
        fields = ["kind", "coc", "name", "projects", "night", "start", "end"]
        widgets = {
            "night": forms.DateInput(attrs={"type": "date"}),
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
            "projects": forms.CheckboxSelectMultiple,
        }
        help_texts = {"night": "PIT/HIC. Empty: the last Wednesday of January of the start year."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = (
            self.fields["projects"]
            .queryset.select_related("agency")
            .order_by("agency__name", "name")
        )
        self.fields["projects"].label_from_instance = lambda p: f"{p.agency.name} — {p.name}"

    def clean(self):
        data = super().clean()
        kind, coc, projects = data.get("kind"), data.get("coc"), data.get("projects")
        if coc and projects:
            outside = [p.hud_project_id for p in projects if p.agency.coc_id != coc.pk]
            if outside:
                raise ValidationError(
                    f"These projects are not in {coc.code}: {', '.join(outside)}."
                )
        if kind in Report.NIGHT_KINDS and not data.get("night"):
            if data.get("start"):
                data["night"] = last_wednesday_of_january(data["start"].year)
            else:
                self.add_error("night", "Give the night to count.")
        if kind not in Report.NIGHT_KINDS:
            if not (data.get("start") and data.get("end")):
                self.add_error("start", "Give the report start and end dates.")
            elif data["start"] > data["end"]:
                self.add_error("end", "The end must be on or after the start.")
        return data


class AnswerForm(forms.Form):
    agency = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("verified", "Verified"), ("signed_off", "Signed off"), ("question", "Question")]
    )
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UnshelteredForm(forms.Form):
    persons = forms.IntegerField(min_value=0, label="Unsheltered persons")
    households = forms.IntegerField(min_value=0, label="Unsheltered households")

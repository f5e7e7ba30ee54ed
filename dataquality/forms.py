from django import forms

from hmis_gov.forms import RestrictedModelForm

from .models import DataQualityPlan, Flag, RuleSetting


class RuleSettingForm(RestrictedModelForm):
    class Meta:
        model = RuleSetting
        fields = ["enabled", "threshold"]

    def clean_threshold(self):
        value = self.cleaned_data["threshold"]
        if value is not None and self.instance.rule.default_threshold is None:
            raise forms.ValidationError("This rule has no threshold; leave it empty.")
        return value


class DataQualityPlanForm(RestrictedModelForm):
    class Meta:
        model = DataQualityPlan
        exclude = ["coc"]
        widgets = {"scan_time": forms.TimeInput(attrs={"type": "time"})}


class FlagActionForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "— keep —")] + [c for c in Flag.Status.choices if c[0] != Flag.Status.FIXED],
        required=False,
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

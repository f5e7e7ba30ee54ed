from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms


class RestrictedModelForm(forms.ModelForm):
    """A model form whose foreign-key choices are only what the user may see."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "restrict"):
                field.queryset = queryset.restrict(user, "view")
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template owns the <form> (it adds ?next= and CSRF)
        self.helper.add_input(Submit("submit", "Save"))

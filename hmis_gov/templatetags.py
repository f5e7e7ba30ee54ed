"""Template library ``listcache`` (settings: TEMPLATES OPTIONS libraries): ``cached_crispy``.

``{{ filter.form|cached_crispy }}`` renders a list page's filter form as ``|crispy`` does, from
the cache while the request's filter values and the form's choices are unchanged (see
``hmis_gov.listcache``).
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from hmis_gov.listcache import cached_html

register = template.Library()


@register.filter
def cached_crispy(form):
    values = form.data if form.is_bound else {}
    getlist = getattr(values, "getlist", lambda key: [values[key]])
    data = sorted((key, tuple(map(str, getlist(key)))) for key in values)
    form_class = f"{type(form).__module__}.{type(form).__qualname__}"
    parts = [form_class, repr(data), form.prefix or "", get_language() or ""]
    querysets = [
        field.queryset
        for field in form.fields.values()
        if getattr(field, "queryset", None) is not None
    ]
    return mark_safe(cached_html(parts, querysets, lambda: as_crispy_form(form)))

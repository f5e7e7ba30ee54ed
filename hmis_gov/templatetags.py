"""Template library ``hmis_gov`` (settings: TEMPLATES OPTIONS libraries) for the list pages.

- ``{{ filter.form|cached_crispy }}`` renders a list page's filter form as ``|crispy`` does, from
  the cache while the request's filter values and the form's choices are unchanged (see
  ``hmis_gov.listcache``).
- ``{% table_body table %}`` renders a django-tables2 table's ``<tbody>`` as the library's
  bootstrap5 template does (``templates/generic/table.html`` uses it), in Python: the template
  loop resolved ``row.items``, ``column.attrs.td.as_html`` and ``column.localize`` for every one
  of the 500-odd cells of a page (about half of a list page's time at 200,000 clients); plain
  columns are read without the library's per-cell machinery (``hmis_gov.tables.plain_cell``).
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import template
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize, unlocalize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_tables2.utils import AttributeDict

from hmis_gov.listcache import cached_html
from hmis_gov.tables import SLOW, plain_cell

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


def _static_td(column) -> bool:
    """Whether the column's ``<td>`` attributes are the same for every row (no callables)."""
    attrs = column.column.attrs or {}
    return not any(
        callable(value) for key in ("td", "cell") for value in (attrs.get(key) or {}).values()
    )


@register.simple_tag(takes_context=True)
def table_body(context, table):
    """The ``<tbody>`` of ``table`` (as ``django_tables2/bootstrap5.html`` renders it)."""
    out = [f"<tbody {AttributeDict(table.attrs.get('tbody') or {}).as_html()}>"]
    td_html: dict[str, str] = {}
    columns = list(table.columns)
    plain = {column.name: plain_cell(table, column) for column in columns}
    rows = 0
    for row in table.paginated_rows:
        rows += 1
        if table.row_attrs:
            out.append(f"<tr {row.attrs.as_html()}>")
        else:  # what row.attrs gives without row_attrs, without building it per row
            out.append(f'<tr class="{row.get_even_odd_css_class()}">')
        record = row.record
        for column in columns:
            # What BoundRow.items() does, with plain columns read directly (hmis_gov.tables).
            read = plain[column.name]
            cell = SLOW if read is None else read(row)
            if cell is SLOW:
                cell = row.get_cell(column.name)
            column.current_value, column.current_record = cell, record
            td = td_html.get(column.name)
            if td is None:
                td = column.attrs["td"].as_html()
                if _static_td(column):
                    td_html[column.name] = td
            if column.localize is None:
                text = render_value_in_context(cell, context)
            else:
                text = conditional_escape(localize(cell) if column.localize else unlocalize(cell))
            out.append(f"<td {td}>{text}</td>")
        out.append("</tr>")
    if not rows and table.empty_text:
        columns = len(table.columns)
        out.append(f'<tr><td colspan="{columns}">{conditional_escape(table.empty_text)}</td></tr>')
    out.append("</tbody>")
    return mark_safe("".join(out))

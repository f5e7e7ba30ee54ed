"""Builders for the governance app's many small record types.

Each record type is described once (``Spec``): the form fields, the list columns, the search and
filter fields. From that come the form, the filterset (shared by the page and the API), the
table, the serializer, the API viewset and the list/detail/add/edit pages. All of them are the
project's restricted base classes; nothing here bypasses ``restrict()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import django_filters
import django_tables2 as tables
from django import forms
from django.db import models
from rest_framework import serializers

from hmis_gov import mixins
from hmis_gov.api.fields import RestrictedPrimaryKeyRelatedField
from hmis_gov.api.viewsets import RestrictedModelViewSet
from hmis_gov.filters import SearchFilterSet, restricted
from hmis_gov.forms import RestrictedModelForm


class DateInput(forms.DateInput):
    input_type = "date"


class GovernanceForm(RestrictedModelForm):
    """Date pickers for date fields; foreign keys restricted by the base form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            if isinstance(form_field, forms.DateField):
                form_field.widget = DateInput(format="%Y-%m-%d")
            elif isinstance(form_field, forms.CharField) and isinstance(
                form_field.widget, forms.Textarea
            ):
                form_field.widget.attrs.setdefault("rows", 3)
            if name in getattr(self.Meta, "required_fields", ()):
                form_field.required = True


class RelatedField(RestrictedPrimaryKeyRelatedField):
    """Restricted when the related model has a restriction (roles.Role, the catalogue, has not)."""

    def get_queryset(self):
        queryset = serializers.PrimaryKeyRelatedField.get_queryset(self)
        if hasattr(queryset, "restrict"):
            return super().get_queryset()
        return queryset


class GovernanceSerializer(serializers.ModelSerializer):
    serializer_related_field = RelatedField


@dataclass
class Spec:
    model: type[models.Model]
    fields: list[str]  # editable in forms and the API
    columns: list[str]  # list page columns (first is linked)
    search: tuple[str, ...] = ()
    filters: list[str] = field(default_factory=list)
    read_only: list[str] = field(default_factory=list)  # API output only
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    stamp_user: str | None = None  # set to the request user on create
    ordering: list[str] = field(default_factory=list)
    required: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.model._meta.model_name

    def queryset(self):
        qs = self.model.objects.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs


def build_filterset(spec: Spec) -> type[SearchFilterSet]:
    attrs: dict = {"search_fields": spec.search}
    for name in spec.filters:
        path = name.split("__")
        model = spec.model
        model_field = None
        for part in path:
            model_field = model._meta.get_field(part)
            model = model_field.related_model or model
        if model_field.is_relation:
            related = model_field.related_model
            queryset = (
                restricted(related) if hasattr(related, "restriction") else related.objects.all()
            )
            attrs[name] = django_filters.ModelChoiceFilter(
                field_name=name, queryset=queryset, label=str(model_field.verbose_name).capitalize()
            )
        elif model_field.choices:
            attrs[name] = django_filters.ChoiceFilter(
                field_name=name, choices=model_field.choices, label=str(model_field.verbose_name)
            )
    attrs["Meta"] = type("Meta", (), {"model": spec.model, "fields": ["q", *spec.filters]})
    return type(f"{spec.model.__name__}FilterSet", (SearchFilterSet,), attrs)


def build_table(spec: Spec) -> type[tables.Table]:
    first, *rest = spec.columns
    attrs = {
        first: tables.Column(linkify=True),
        "Meta": type("Meta", (), {"model": spec.model, "fields": tuple(spec.columns)}),
    }
    return type(f"{spec.model.__name__}Table", (tables.Table,), attrs)


def build_form(spec: Spec, fields: list[str] | None = None) -> type[GovernanceForm]:
    meta = type(
        "Meta",
        (),
        {"model": spec.model, "fields": fields or spec.fields, "required_fields": spec.required},
    )
    return type(f"{spec.model.__name__}Form", (GovernanceForm,), {"Meta": meta})


def build_serializer(spec: Spec) -> type[GovernanceSerializer]:
    meta = type(
        "Meta",
        (),
        {
            "model": spec.model,
            "fields": ["id", *spec.fields, *spec.read_only, "created", "updated"],
            "read_only_fields": [*spec.read_only, "created", "updated"],
        },
    )
    return type(f"{spec.model.__name__}Serializer", (GovernanceSerializer,), {"Meta": meta})


class StampUserMixin:
    """Records who created the object (``spec.stamp_user``) on the page and in the API."""

    stamp_user: str | None = None


def build_viewset(spec: Spec, serializer=None, base=RestrictedModelViewSet, **extra):
    def extra_save_kwargs(self):
        return {spec.stamp_user: self.request.user} if spec.stamp_user else {}

    attrs = {
        "queryset": spec.queryset(),
        "serializer_class": serializer or build_serializer(spec),
        "filterset_class": build_filterset(spec),
        "search_fields": list(spec.search),
        "ordering_fields": spec.ordering or [c for c in spec.columns if "__" not in c],
        "extra_save_kwargs": extra_save_kwargs,
        **extra,
    }
    return type(f"{spec.model.__name__}ViewSet", (base,), attrs)


class SpecFormMixin:
    spec: Spec
    template_name = "governance/object_form.html"  # multipart, for uploads

    def form_valid(self, form):
        if self.spec.stamp_user and form.instance.pk is None:
            setattr(form.instance, self.spec.stamp_user, self.request.user)
        return super().form_valid(form)


def build_views(spec: Spec, url_prefix: str, **overrides) -> dict[str, type]:
    """List, detail, add and edit pages for ``spec``; ``overrides`` replace base classes."""
    form = overrides.pop("form", None) or build_form(spec)
    detail_template = overrides.pop("detail_template", "governance/object_detail.html")
    list_view = type(
        f"{spec.model.__name__}ListView",
        (overrides.pop("list_base", mixins.ObjectListView),),
        {
            "model": spec.model,
            "queryset": spec.queryset(),
            "filterset_class": build_filterset(spec),
            "table_class": build_table(spec),
            "add_url_name": f"governance:{url_prefix}_add",
        },
    )
    detail_view = type(
        f"{spec.model.__name__}DetailView",
        (overrides.pop("detail_base", mixins.ObjectDetailView),),
        {
            "model": spec.model,
            "queryset": spec.queryset(),
            "template_name": detail_template,
            "spec": spec,
            "edit_url_name": f"governance:{url_prefix}_edit",
        },
    )
    create_view = type(
        f"{spec.model.__name__}CreateView",
        (SpecFormMixin, overrides.pop("create_base", mixins.ObjectCreateView)),
        {"model": spec.model, "form_class": form, "spec": spec},
    )
    update_view = type(
        f"{spec.model.__name__}UpdateView",
        (SpecFormMixin, mixins.ObjectUpdateView),
        {"model": spec.model, "form_class": form, "spec": spec},
    )
    return {"list": list_view, "detail": detail_view, "add": create_view, "edit": update_view}


def display_rows(obj, names: list[str]) -> list[tuple[str, object]]:
    """(label, value) for the detail page, with choices shown by their labels."""
    rows = []
    for name in names:
        model_field = obj._meta.get_field(name)
        if model_field.many_to_many:
            value = ", ".join(str(o) for o in getattr(obj, name).all()) or "—"
        elif model_field.choices:
            value = getattr(obj, f"get_{name}_display")()
        elif isinstance(model_field, models.FileField):
            value = getattr(obj, "document_name", "") or ("on file" if getattr(obj, name) else "—")
        else:
            value = getattr(obj, name)
            if value in (None, ""):
                value = "—"
            elif value is True or value is False:
                value = "Yes" if value else "No"
        rows.append((str(model_field.verbose_name).capitalize(), value))
    return rows

"""Filters of the hmis lists, shared by the UI and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from agencies.models import Agency, ContinuumOfCare
from hmis.access import pii_clients
from hmis.codes import ProjectType
from hmis.models import Client, ClientCandidate, Enrollment, ImportRun, PIIAccessLog, Source
from hmis_gov.filters import SearchFilterSet, restricted


class SourceFilterSet(SearchFilterSet):
    search_fields = ("name", "key")
    coc = django_filters.ModelChoiceFilter(queryset=restricted(ContinuumOfCare))

    class Meta:
        model = Source
        fields = ["coc", "is_active"]


class ImportRunFilterSet(django_filters.FilterSet):
    source = django_filters.ModelChoiceFilter(queryset=restricted(Source))
    coc = django_filters.ModelChoiceFilter(queryset=restricted(ContinuumOfCare))

    class Meta:
        model = ImportRun
        fields = ["status", "source", "coc"]


class ClientFilterSet(django_filters.FilterSet):
    """Search by PersonalID, by DOB, and by name only among clients whose PII you may see."""

    personal_id = django_filters.CharFilter(label="PersonalID")
    dob = django_filters.DateFilter(label="Date of birth")
    name = django_filters.CharFilter(method="by_name", label="Name")
    source = django_filters.ModelChoiceFilter(queryset=restricted(Source))
    agency = django_filters.ModelChoiceFilter(
        queryset=restricted(Agency), method="by_agency", label="Agency"
    )

    class Meta:
        model = Client
        fields = ["personal_id", "dob", "source"]

    def by_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        allowed = pii_clients(user).values("pk")
        query = Q()
        for word in value.split():
            query &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        return queryset.filter(query, pk__in=allowed)

    # The agency's id; the method hides the model path from drf-spectacular's type guess.
    @extend_schema_field(OpenApiTypes.INT)
    def by_agency(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Enrollment.objects.filter(agency=value).values("client_id"))


class EnrollmentFilterSet(django_filters.FilterSet):
    source = django_filters.ModelChoiceFilter(queryset=restricted(Source))
    agency = django_filters.ModelChoiceFilter(queryset=restricted(Agency))
    project_type = django_filters.ChoiceFilter(
        field_name="project__project_type", choices=ProjectType.choices
    )
    personal_id = django_filters.CharFilter()
    household_id = django_filters.CharFilter()
    entered_after = django_filters.DateFilter(field_name="entry_date", lookup_expr="gte")
    entered_before = django_filters.DateFilter(field_name="entry_date", lookup_expr="lte")
    open = django_filters.BooleanFilter(field_name="exit", lookup_expr="isnull", label="Open")
    client = django_filters.NumberFilter(field_name="client_id")

    class Meta:
        model = Enrollment
        fields = ["source", "agency", "personal_id", "household_id"]


class ClientCandidateFilterSet(django_filters.FilterSet):
    class Meta:
        model = ClientCandidate
        fields = ["status", "rule"]


class PIIAccessLogFilterSet(django_filters.FilterSet):
    personal_id = django_filters.CharFilter()
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte")
    user = django_filters.NumberFilter(field_name="user_id")

    class Meta:
        model = PIIAccessLog
        fields = ["personal_id"]

"""Filterset helpers shared by the UI lists and the API (one FilterSet serves both)."""

import django_filters
from django.db.models import Q


def restricted(model):
    """A queryset callable for ModelChoiceFilter: only the choices the user may see."""

    def queryset(request):
        if request is None:
            return model.objects.none()
        return model.objects.restrict(request.user, "view")

    return queryset


class SearchFilterSet(django_filters.FilterSet):
    """Adds ``q``: a case-insensitive search over ``search_fields``."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(method="search", label="Search")

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(query)

import django_filters
from django.db.models import Q
from django.utils import timezone

from agencies.models import Agency, ContinuumOfCare
from hmis_gov.filters import SearchFilterSet, restricted
from roles.models import Role, RoleAssignment, ScopeType, User


class UserFilterSet(SearchFilterSet):
    search_fields = ("username", "first_name", "last_name", "email")
    coc = django_filters.ModelChoiceFilter(queryset=restricted(ContinuumOfCare), label="CoC")
    agency = django_filters.ModelChoiceFilter(queryset=restricted(Agency))

    class Meta:
        model = User
        fields = ["q", "coc", "agency", "is_active"]


class RoleFilterSet(SearchFilterSet):
    search_fields = ("name", "key", "description")
    scope_type = django_filters.ChoiceFilter(choices=ScopeType.choices)

    class Meta:
        model = Role
        fields = ["q", "key", "scope_type"]


class RoleAssignmentFilterSet(SearchFilterSet):
    search_fields = ("user__username", "user__first_name", "user__last_name", "role__name")
    user = django_filters.ModelChoiceFilter(queryset=restricted(User))
    role = django_filters.ModelChoiceFilter(queryset=Role.objects.all())
    role_key = django_filters.CharFilter(field_name="role__key")
    coc = django_filters.ModelChoiceFilter(
        queryset=restricted(ContinuumOfCare),
        method="in_coc",
        label="CoC",
        help_text="Assignments on the CoC and on its agencies.",
    )
    agency = django_filters.ModelChoiceFilter(queryset=restricted(Agency))
    active = django_filters.BooleanFilter(method="in_force", label="In force today")

    class Meta:
        model = RoleAssignment
        fields = ["q", "user", "role", "role_key", "coc", "agency", "active"]

    def in_coc(self, queryset, name, value):
        return queryset.filter(Q(coc=value) | Q(agency__coc=value)) if value else queryset

    def in_force(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        current = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        return queryset.filter(current) if value else queryset.exclude(current)

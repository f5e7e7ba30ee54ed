"""Filters shared by the inbox page and the API (one FilterSet serves both)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.utils import timezone

from agencies.models import Agency
from hmis.models import Project
from hmis_gov.filters import restricted

from .models import Flag, RuleSetting, Scan, ScanResult
from .rules import CATEGORIES, RULES

RULE_CHOICES = [(code, f"{code} — {rule.title}") for code, rule in RULES.items()]
AGE_CHOICES = [
    ("7", "up to 7 days"),
    ("30", "8-30 days"),
    ("90", "31-90 days"),
    ("old", "over 90 days"),
]


class FlagFilterSet(django_filters.FilterSet):
    # Columns of the flag itself: no join that could repeat a row, so no DISTINCT (which made
    # PostgreSQL sort every matching flag for the page and again for the count).
    rule = django_filters.MultipleChoiceFilter(choices=RULE_CHOICES, distinct=False)
    category = django_filters.ChoiceFilter(
        choices=list(CATEGORIES.items()), method="filter_category"
    )
    status = django_filters.MultipleChoiceFilter(choices=Flag.Status.choices, distinct=False)
    agency = django_filters.ModelChoiceFilter(queryset=restricted(Agency))
    project = django_filters.ModelChoiceFilter(
        field_name="hmis_project", queryset=restricted(Project), label="Project"
    )
    assignee = django_filters.NumberFilter(field_name="assignee_id")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Assigned to me")
    age = django_filters.ChoiceFilter(choices=AGE_CHOICES, method="filter_age", label="Age")
    personal_id = django_filters.CharFilter(lookup_expr="iexact", label="PersonalID")

    class Meta:
        model = Flag
        fields = ["rule", "status", "agency", "project", "assignee"]

    def filter_category(self, queryset, name, value):
        return queryset.filter(rule__in=[c for c, r in RULES.items() if r.category == value])

    def filter_mine(self, queryset, name, value):
        if value and self.request is not None:
            return queryset.filter(assignee=self.request.user)
        return queryset

    def filter_age(self, queryset, name, value):
        now = timezone.now()
        bounds = {"7": (0, 7), "30": (8, 30), "90": (31, 90), "old": (91, None)}[value]
        queryset = queryset.filter(first_found__lte=now - dt.timedelta(days=bounds[0]))
        if bounds[1] is not None:
            queryset = queryset.filter(first_found__gt=now - dt.timedelta(days=bounds[1] + 1))
        return queryset


class ScanFilterSet(django_filters.FilterSet):
    class Meta:
        model = Scan
        fields = ["coc", "agency", "status"]


class RuleSettingFilterSet(django_filters.FilterSet):
    class Meta:
        model = RuleSetting
        fields = ["coc", "enabled", "code"]


class ScanResultFilterSet(django_filters.FilterSet):
    agency = django_filters.ModelChoiceFilter(queryset=restricted(Agency))
    category = django_filters.ChoiceFilter(
        choices=list(CATEGORIES.items()) + [("timeliness", "Timeliness")]
    )

    class Meta:
        model = ScanResult
        fields = ["scan", "agency", "rule", "category", "hmis_project"]

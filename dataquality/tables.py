import django_tables2 as tables

from .models import Flag, RuleSetting, Scan


class FlagTable(tables.Table):
    select = tables.CheckBoxColumn(accessor="pk", attrs={"th__input": {"aria-label": "Select all"}})
    rule = tables.Column(linkify=True)
    severity = tables.Column(accessor="severity_label", order_by="severity")
    hmis_project = tables.Column(verbose_name="Project", accessor="hmis_project__project_name")

    class Meta:
        model = Flag
        fields = (
            "select", "rule", "severity", "status", "agency", "hmis_project", "record_type",
            "hud_id", "personal_id", "assignee", "first_found",
        )  # fmt: skip
        exclude_columns = ("select",)


class ScanTable(tables.Table):
    id = tables.Column(linkify=True)

    class Meta:
        model = Scan
        fields = ("id", "coc", "agency", "status", "as_of", "trigger", "created", "finished")


class RuleSettingTable(tables.Table):
    code = tables.Column(linkify=("dataquality:rule_edit", {"pk": tables.A("pk")}))
    title = tables.Column(accessor="rule__title", orderable=False)
    category = tables.Column(accessor="rule__category", orderable=False)
    hud_reference = tables.Column(accessor="rule__hud_reference", orderable=False)

    class Meta:
        model = RuleSetting
        fields = ("code", "title", "category", "hud_reference", "enabled", "threshold", "coc")

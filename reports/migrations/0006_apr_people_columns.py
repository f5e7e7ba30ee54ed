# Derived ReportFact columns of one APR module (filled by its DERIVED steps, reports.apr.derived).
from django.db import migrations, models


def _field(name, field):
    return migrations.AddField(model_name="reportfact", name=name, field=field)


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_apr_length_columns")]

    operations = [
        _field("contact_code", models.SmallIntegerField(null=True)),
        _field("conditions_start", models.SmallIntegerField(null=True)),
        _field("conditions_exit", models.SmallIntegerField(null=True)),
        _field("conditions_latest", models.SmallIntegerField(null=True)),
        _field("conditions_start_count", models.SmallIntegerField(null=True)),
        _field("conditions_exit_count", models.SmallIntegerField(null=True)),
        _field("conditions_stayer_count", models.SmallIntegerField(null=True)),
        _field("dv_survivor", models.SmallIntegerField(null=True)),
        _field("dv_when_occurred", models.SmallIntegerField(null=True)),
        _field("income_annual_due", models.BooleanField(null=True)),
        _field("income_range_start", models.SmallIntegerField(null=True)),
        _field("income_range_annual", models.SmallIntegerField(null=True)),
        _field("income_range_exit", models.SmallIntegerField(null=True)),
        _field("income_sources_start", models.IntegerField(null=True)),
        _field("income_sources_annual", models.IntegerField(null=True)),
        _field("income_sources_exit", models.IntegerField(null=True)),
    ]

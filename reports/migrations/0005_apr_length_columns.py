# Derived ReportFact columns of one APR module (filled by its DERIVED steps, reports.apr.derived).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_reportfact_fewer_indexes")]

    operations = [
        migrations.AddField(
            model_name="reportfact",
            name="several_heads",
            field=models.BooleanField(null=True),
        ),
        migrations.AddField(
            model_name="reportfact",
            name="heads_ranges",
            field=models.IntegerField(null=True),
        ),
        migrations.AddField(
            model_name="reportfact",
            name="housing_date",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="reportfact",
            name="housing_date_since_start",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="reportfact",
            name="homeless_start",
            field=models.DateField(null=True),
        ),
    ]

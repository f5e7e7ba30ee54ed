# Derived ReportFact columns of one APR module (filled by its DERIVED steps, reports.apr.derived).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_reportfact_fewer_indexes")]

    operations = []

"""An index for the rules that look up a household's earliest project start (HUD §4.5:
annual-assessment anniversaries count from it; ``dataquality.rules.income.annual_due``).

The lookup is correlated on (source, HouseholdID) over live enrollments and takes the earliest
EntryDate; without this index PostgreSQL read the whole Enrollment table once per enrollment
(more than 9 minutes for INCOME_ANNUAL_MISSING at 20,000 clients, see docs/performance.md). With
it each lookup is one index-only probe. The index lives on ``hmis_enrollment`` but belongs to
the data-quality scan, so it is created here as SQL (the same statement on PostgreSQL and
SQLite: both have partial indexes) rather than in ``hmis``'s models.
"""

from django.db import migrations

INDEX = "hmis_enrollment_household_start"


class Migration(migrations.Migration):
    dependencies = [
        ("dataquality", "0001_initial"),
        ("hmis", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON hmis_enrollment "
            "(source_id, household_id, entry_date) WHERE date_deleted IS NULL",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]

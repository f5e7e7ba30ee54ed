"""A locked report version never changes, even past the ORM: triggers refuse UPDATE (and DELETE
on PostgreSQL)."""

from django.db import migrations

PG = """
CREATE OR REPLACE FUNCTION reports_version_frozen() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'A locked or submitted report version never changes';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_version_frozen_update BEFORE UPDATE ON reports_reportversion
  FOR EACH ROW WHEN (OLD.locked_at IS NOT NULL) EXECUTE FUNCTION reports_version_frozen();
CREATE TRIGGER reports_version_frozen_delete BEFORE DELETE ON reports_reportversion
  FOR EACH ROW WHEN (OLD.locked_at IS NOT NULL) EXECUTE FUNCTION reports_version_frozen();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS reports_version_frozen_update ON reports_reportversion;
DROP TRIGGER IF EXISTS reports_version_frozen_delete ON reports_reportversion;
DROP FUNCTION IF EXISTS reports_version_frozen();
"""
SQLITE = [
    """CREATE TRIGGER reports_version_frozen_update BEFORE UPDATE ON reports_reportversion
    FOR EACH ROW WHEN OLD.locked_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'A locked or submitted report version never changes'); END;""",
]
# SQLite has no TRUNCATE: Django's flush (test teardown) deletes rows one table at a time, so a
# DELETE trigger there would make every transactional test that locks a report fail to tear
# down. On SQLite deletes are refused by the model and queryset only; PostgreSQL (production)
# refuses them in the database as well (its flush uses TRUNCATE, which fires no row trigger).
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS reports_version_frozen_update;",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

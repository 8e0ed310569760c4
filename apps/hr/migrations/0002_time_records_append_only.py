"""The working-time record is append-only (art. 34.9 ET: records kept four years, never altered): a
correction is a new row, so the database refuses any UPDATE or DELETE of hr_timerecord."""
from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION hr_timerecord_forbid_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'hr_timerecord is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER hr_timerecord_append_only
    BEFORE UPDATE OR DELETE ON hr_timerecord
    FOR EACH ROW EXECUTE FUNCTION hr_timerecord_forbid_change();
"""
ALLOW = """
DROP TRIGGER IF EXISTS hr_timerecord_append_only ON hr_timerecord;
DROP FUNCTION IF EXISTS hr_timerecord_forbid_change();
"""


class Migration(migrations.Migration):
    dependencies = [("hr", "0001_initial")]
    operations = [migrations.RunSQL(FORBID, ALLOW)]

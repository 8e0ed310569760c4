"""The yearly continuing-training hours of each distribution level (Real Decreto 287/2021, art. 11):
level 1 and level 2, 25 hours a year; level 3, 15 hours. People who take no part in distribution have
no requirement (no row). HR may change the figures afterwards (admin / training report page, audited);
existing rows are left as they are."""
from decimal import Decimal

from django.db import migrations

HOURS = {"level_1": Decimal("25.00"), "level_2": Decimal("25.00"), "level_3": Decimal("15.00")}


def seed(apps, schema_editor):
    requirement = apps.get_model("hr", "TrainingRequirement")
    for level, hours in HOURS.items():
        requirement.objects.get_or_create(level=level, defaults={"yearly_hours": hours})


def unseed(apps, schema_editor):
    requirement = apps.get_model("hr", "TrainingRequirement")
    for level, hours in HOURS.items():
        requirement.objects.filter(level=level, yearly_hours=hours).delete()


class Migration(migrations.Migration):
    dependencies = [("hr", "0002_time_records_append_only")]
    operations = [migrations.RunPython(seed, unseed)]

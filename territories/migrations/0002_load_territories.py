"""Regions and departments (INSEE codes and names) from territories/data/territoires.csv."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "territoires.csv"


def load(apps, schema_editor):
    Region = apps.get_model("territories", "Region")
    Department = apps.get_model("territories", "Department")
    with DATA.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        if row["type"] == "region":
            Region.objects.update_or_create(code=row["code"], defaults={"name": row["nom"]})
    for row in rows:
        if row["type"] == "departement":
            Department.objects.update_or_create(
                code=row["code"], defaults={"name": row["nom"], "region_id": row["region"] or None}
            )


class Migration(migrations.Migration):
    dependencies = [("territories", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

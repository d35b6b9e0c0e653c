"""Link canteens to the territories app's departments (same INSEE code as `department`)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def link(apps, schema_editor):
    Canteen = apps.get_model("canteens", "Canteen")
    Canteen.objects.exclude(department="").update(territory_department_id=F("department"))


class Migration(migrations.Migration):
    dependencies = [
        ("canteens", "0001_initial"),
        ("territories", "0002_load_territories"),
    ]

    operations = [
        migrations.AddField(
            model_name="canteen",
            name="territory_department",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="canteens",
                to="territories.department",
                verbose_name="département (territoire)",
            ),
        ),
        migrations.RunPython(link, migrations.RunPython.noop),
    ]

"""The Gap model moves from `diagnostic` to `egalim` without touching its table (`diagnostic_gap`).

State only: the table was created by diagnostic's 0001 and keeps its name and rows. The content type row is
renamed so permissions and revisions that point at it stay valid (on a fresh database there is none yet).
"""

from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="egalim", model="gap").exists():
        ContentType.objects.filter(app_label="diagnostic", model="gap").update(app_label="egalim")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="diagnostic", model="gap").exists():
        ContentType.objects.filter(app_label="egalim", model="gap").update(app_label="diagnostic")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("diagnostic", "0001_gap"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Gap",
                    fields=[
                        (
                            "code",
                            models.CharField(max_length=64, primary_key=True, serialize=False, verbose_name="code"),
                        ),
                        (
                            "measure",
                            models.CharField(
                                choices=[
                                    ("quality", "Qualité et durabilité des produits"),
                                    ("waste", "Lutte contre le gaspillage alimentaire et dons"),
                                    ("diversification", "Diversification des protéines et menus végétariens"),
                                    ("plastic", "Substitution des plastiques"),
                                    ("information", "Information des convives"),
                                ],
                                max_length=32,
                                verbose_name="mesure",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "écart au diagnostic",
                        "verbose_name_plural": "écarts au diagnostic",
                        "ordering": ["code"],
                        "db_table": "diagnostic_gap",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]

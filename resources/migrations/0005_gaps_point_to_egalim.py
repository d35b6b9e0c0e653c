"""ResourcePage.gaps now points at egalim.Gap (the model moved from diagnostic; same table, same rows).

State only: the link table and its foreign key to diagnostic_gap stay as they are.
"""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("egalim", "0001_gap_moved_from_diagnostic"),
        ("resources", "0004_hub_download_and_feedback_stats"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="resourcepage",
                    name="gaps",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True,
                        help_text="Écarts du diagnostic EGAlim pour lesquels cette ressource est utile.",
                        to="egalim.gap",
                        verbose_name="Écarts traités",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]

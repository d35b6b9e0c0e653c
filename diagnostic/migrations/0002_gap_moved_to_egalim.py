"""The Gap model left for egalim (egalim 0001): removed from diagnostic's state, its table kept (state only)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostic", "0001_gap"),
        ("egalim", "0001_gap_moved_from_diagnostic"),
        ("resources", "0005_gaps_point_to_egalim"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Gap")],
            database_operations=[],
        ),
    ]

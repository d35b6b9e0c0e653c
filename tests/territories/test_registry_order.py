"""The registry's department list (issue 16): grouped by region, codes in order, the three collectivities without
a region (975, 977, 978) at the end, on PostgreSQL as on SQLite (where NULL sorts first)."""

import pytest

from territories.registry import department_choices

pytestmark = pytest.mark.django_db


def test_collectivities_without_a_region_come_last():
    groups = department_choices()
    first_label, first_options = groups[0]
    assert first_label == "Auvergne-Rhône-Alpes" and first_options[0][0] == "01"
    last_label, last_options = groups[-1]
    assert last_label == "Collectivités d'outre-mer"
    assert [code for code, _label in last_options] == ["975", "977", "978"]
    codes = [code for _group, options in groups for code, _label in options]
    assert codes.index("01") < codes.index("975")
    for _group, options in groups:
        assert [code for code, _ in options] == sorted(code for code, _ in options)

"""The one loader of the demo content's data files: home/demo_data/*.yaml (home/demo.py) and
resources/demo_data/*.yaml (resources/demo_content.py). YAML, read with a safe loader (libyaml's when available).

It lives in home, the lowest app that has demo content, so that both apps use it without importing upward.
"""

from pathlib import Path

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(directory: Path, name: str):
    """The data of `directory`/`name`.yaml."""
    with (directory / f"{name}.yaml").open(encoding="utf-8") as file:
        return yaml.load(file, Loader=_Loader)  # noqa: S506 - a safe loader (libyaml's when available)

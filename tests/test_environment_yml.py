"""environment.yml must offer what pyproject.toml requires, with the same lower bounds."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _bounds(requirements):
    found = {}
    for requirement in requirements:
        requirement = re.sub(r"\[[^\]]*\]", "", requirement)  # extras: psycopg[binary] is conda's psycopg
        match = re.match(r"^([A-Za-z0-9_.-]+)\s*(>=\s*[\d.]+)?", requirement)
        found[match.group(1).lower().replace("_", "-")] = (match.group(2) or "").replace(" ", "")
    return found


def test_environment_yml_agrees_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = _bounds(project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    offered = _bounds([d for d in conda + pip if not d.startswith("-")])
    aliases = {"pyyaml": "pyyaml"}
    for name, bound in wanted.items():
        key = aliases.get(name, name)
        assert key in offered, f"environment.yml lacks {name}"
        assert offered[key] == bound, f"{name}: pyproject {bound!r} vs environment.yml {offered[key]!r}"
    assert set(offered) - {"python", "pip"} <= set(wanted), "environment.yml lists packages pyproject does not"

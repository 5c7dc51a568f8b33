"""The policy of the shipped hardship.yaml template, for every other hardship.yaml we write.

The template `hardship_cli/data/hardship.yaml` (what `hardship init` writes) is the one
source of the policy: the tiers, the caps and the approval policy. The demo generator
(tools/make_demo.py), the benchmark's generator (bench/gen.py) and the test fixtures
(tests/rootkit.py, tests/workflow_fixtures.py, tests/roots/small/hardship.yaml) take their
policy sections from here, with only the changes they name, so that a change to the
shipped policy reaches all of them; tests/test_policy_template.py fails when one drifts.

Values stay the template's text (`500.00`, not a number), so that a file written from
them says what the template says, byte for byte. Stdlib and PyYAML only.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATE = Path(__file__).resolve().parent.parent / "hardship_cli" / "data" / "hardship.yaml"
SECTIONS = ("tiers", "caps", "policy")  # the policy; the rest of a hardship.yaml is local


def policy_of(text: str) -> dict[str, Any]:
    """The policy sections of a hardship.yaml's text, every value as its text."""
    data = yaml.load(text, Loader=yaml.BaseLoader)
    return {key: data[key] for key in SECTIONS if key in data}


@cache
def _template(path: Path) -> dict[str, Any]:
    return policy_of(path.read_text(encoding="utf-8"))


def template_policy(
    drop: Iterable[str] = (), change: Mapping[str, Any] | None = None, template: Path = TEMPLATE
) -> dict[str, Any]:
    """The template's policy, without the dotted paths in `drop` (`caps.emergency`) and
    with the values in `change` (`{"caps.living.per_case_year": "9120.00"}`)."""
    policy = copy.deepcopy(_template(template))
    for path in drop:
        *parents, last = path.split(".")
        _at(policy, parents, path).pop(last)  # a KeyError: the template has no such key
    for path, value in (change or {}).items():
        *parents, last = path.split(".")
        place = _at(policy, parents, path)
        if last not in place:
            raise KeyError(f"{path}: the template has no such key to change")
        place[last] = value
    return policy


def _at(policy: dict[str, Any], parents: list[str], path: str) -> dict[str, Any]:
    here = policy
    for key in parents:
        if key not in here:
            raise KeyError(f"{path}: the template has no {key}")
        here = here[key]
    return here


def policy_yaml(policy: Mapping[str, Any], flow: bool = False) -> str:
    """The policy sections as block YAML; with `flow`, each mapping of plain values on one
    line (`holiday: {per_grant: 3000.00, per_case_year: 6000.00}`)."""
    lines: list[str] = []
    for key, value in policy.items():
        _entry(key, value, 0, flow, lines)
    return "".join(line + "\n" for line in lines)


def _entry(key: str, value: Any, indent: int, flow: bool, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        if flow and _plain(value):
            lines.append(f"{pad}{key}: {_flow(value)}")
            return
        lines.append(f"{pad}{key}:")
        for sub, sub_value in value.items():
            _entry(sub, sub_value, indent + 2, flow, lines)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        lines.append(f"{pad}{key}:")
        for item in value:
            if flow and _plain(item):
                lines.append(f"{pad}  - {_flow(item)}")
                continue
            inner: list[str] = []
            for sub, sub_value in item.items():
                _entry(sub, sub_value, indent + 4, flow, inner)
            inner[0] = f"{pad}  - {inner[0][indent + 4 :]}"
            lines.extend(inner)
    else:
        lines.append(f"{pad}{key}: {_scalar(value)}")


def _plain(value: dict[str, Any]) -> bool:
    return all(
        isinstance(v, str) or (isinstance(v, list) and all(isinstance(i, str) for i in v))
        for v in value.values()
    )


def _flow(value: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + "}"


def _scalar(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return str(value)

"""The shipped template (hardship_cli/data/hardship.yaml) is the one source of the policy:
its tiers, caps and approval policy. Every hardship.yaml that the demo generator, the
benchmark's generator and the test fixtures write carries the template's policy with only
the changes each one names (tools/policy_template.py). A policy section that drifts from
the template, in a generator, a fixture or the demo root it wrote, fails here."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests import rootkit, workflow_fixtures
from tools import make_demo
from tools.policy_template import SECTIONS, policy_of, policy_yaml, template_policy

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import gen  # noqa: E402

# The small hand-counted root is a file, not generated: it keeps the holiday cap alone.
SMALL = REPO / "tests" / "roots" / "small" / "hardship.yaml"
SMALL_DROPPED = (
    "caps.living",
    "caps.medical",
    "caps.schooling",
    "caps.emergency",
    "policy.emergency_before_active",
)

# name -> (the hardship.yaml text, the template's keys it leaves out, the values it changes)
WRITERS: dict[str, tuple[str, tuple[str, ...], Mapping[str, str]]] = {
    "tools/make_demo.py": (make_demo.CONFIG_YAML, (), make_demo.POLICY_CHANGED),
    "records/hardship.yaml": (
        (REPO / "records" / "hardship.yaml").read_text(encoding="utf-8"),
        (),
        make_demo.POLICY_CHANGED,
    ),
    "bench/gen.py": (gen.CONFIG, (), {}),
    "tests/rootkit.py": (rootkit.CONFIG, rootkit.POLICY_DROPPED, {}),
    "tests/workflow_fixtures.py": (workflow_fixtures.CONFIG, workflow_fixtures.POLICY_DROPPED, {}),
    "tests/roots/small/hardship.yaml": (SMALL.read_text(encoding="utf-8"), SMALL_DROPPED, {}),
}


def drift(text: str, drop: Iterable[str], change: Mapping[str, str]) -> list[str]:
    """The dotted paths where the text's policy differs from the template's (with the
    writer's own changes); empty when it follows the template."""
    wanted = template_policy(drop=drop, change=change)
    found = policy_of(text)
    return sorted(_differences(wanted, found, ""))


def _differences(wanted: Any, found: Any, at: str) -> Iterable[str]:
    if isinstance(wanted, dict) and isinstance(found, dict):
        for key in wanted.keys() | found.keys():
            yield from _differences(wanted.get(key), found.get(key), f"{at}.{key}".lstrip("."))
    elif wanted != found:
        yield f"{at}: template {wanted!r}, here {found!r}"


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_every_policy_written_is_the_templates(name: str) -> None:
    text, drop, change = WRITERS[name]
    assert drift(text, drop, change) == [], (
        f"{name}: its policy drifted from hardship_cli/data/hardship.yaml; build it from "
        "tools/policy_template.py (and for records/, run tools/make_demo.py)"
    )


def test_the_small_root_holds_the_templates_policy_text() -> None:
    """The static small root carries the template's policy as the fixtures write it."""
    text = SMALL.read_text(encoding="utf-8")
    assert policy_yaml(template_policy(drop=SMALL_DROPPED)) in text


def test_a_drifted_policy_is_caught() -> None:
    changed = rootkit.CONFIG.replace(
        "holiday: {per_grant: 3000.00", "holiday: {per_grant: 3500.00"
    )
    assert changed != rootkit.CONFIG
    assert drift(changed, rootkit.POLICY_DROPPED, {}) == [
        "caps.holiday.per_grant: template '3000.00', here '3500.00'"
    ]
    missing = workflow_fixtures.CONFIG.replace("  notice_days: 5\n", "")
    assert drift(missing, workflow_fixtures.POLICY_DROPPED, {}) == [
        "policy.notice_days: template '5', here None"
    ]


def test_a_change_to_the_template_reaches_the_written_policy(tmp_path: Path) -> None:
    """The writers render the template's values: a changed template changes their text."""
    from tools.policy_template import TEMPLATE

    changed = tmp_path / "hardship.yaml"
    text = TEMPLATE.read_text(encoding="utf-8").replace("per_grant: 3000.00", "per_grant: 3200.00")
    changed.write_text(text, encoding="utf-8")
    policy = template_policy(drop=rootkit.POLICY_DROPPED, template=changed)
    assert "holiday: {per_grant: 3200.00, per_case_year: 6000.00}" in policy_yaml(policy, True)


def test_the_policy_sections_are_the_templates_own() -> None:
    assert set(template_policy()) == set(SECTIONS)

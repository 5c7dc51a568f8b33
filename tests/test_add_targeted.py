"""Adding help reads only the records it names, not the whole root (a city union has
100,000 grants), and still refuses what validate would refuse."""

from __future__ import annotations

import pytest

from hardship_cli.load import store
from tests.clirun import hardship
from tests.rootkit import Root


@pytest.fixture
def no_full_load(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the whole root was read")

    monkeypatch.setattr(store, "load", refuse)


def add_grant(root: Root, *extra: str):
    return hardship("--root", root.path, "add", "grant", "--as", "李明", "--case",
                    "HS-2026-0001", "--kind", "living", "--amount", "800", "--fund", "union",
                    "--reason", "生活困难", "--on", "2026-05-01", "--today", "2026-05-01",
                    "--no-commit", *extra)


def test_add_grant_reads_only_its_case(root: Root, no_full_load):
    # a broken unrelated file would be reported by a full load; here it is never read
    root.write("grants/2026/GR-2026-0009.yaml", "id: [broken\n")
    result = add_grant(root)
    assert result.code == 0, result.err
    assert (root.path / "grants/2026/GR-2026-0010.yaml").is_file()


def test_add_grant_still_refuses_an_unknown_case(root: Root, no_full_load):
    result = hardship("--root", root.path, "add", "grant", "--as", "李明", "--case",
                      "HS-2026-0042", "--kind", "living", "--amount", "800", "--fund", "union",
                      "--reason", "x", "--on", "2026-05-01", "--today", "2026-05-01",
                      "--no-commit")
    assert result.code == 2
    assert "GR-2026-0002 is for case HS-2026-0042, which does not exist" in result.err


def test_add_grant_still_refuses_drive_money_for_someone_else(root: Root, no_full_load):
    other = root.read("cases/HS-2026-0001.yaml").replace("HS-2026-0001", "HS-2026-0002")
    other = other.replace('employee_id: "0371"', 'employee_id: "0999"').replace(
        '"999101196804121235"', '"999101197001010026"')
    root.write("cases/HS-2026-0002.yaml", other)
    result = hardship("--root", root.path, "add", "grant", "--as", "李明", "--case",
                      "HS-2026-0002", "--kind", "medical", "--amount", "800", "--fund",
                      "campaign:DC-2026-01", "--reason", "x", "--on", "2026-05-01",
                      "--today", "2026-05-01", "--no-commit")
    assert result.code == 1
    assert "gives money raised for HS-2026-0001 (DC-2026-01) to HS-2026-0002" in result.err


def test_add_visit_reads_only_the_cases_visited(root: Root, no_full_load):
    result = hardship("--root", root.path, "add", "visit", "--as", "李明", "--occasion",
                      "home_check", "--visitor", "李明", "--case", "HS-2026-0001",
                      "--on", "2026-05-01", "--today", "2026-05-01", "--no-commit")
    assert result.code == 0, result.err


def test_add_case_checks_every_open_file(root: Root, no_full_load):
    result = hardship("--root", root.path, "add", "case", "--as", "李明", "--name", "吴强",
                      "--employee-id", "0371", "--unit", "物流中心", "--sex", "male",
                      "--birth-date", "1979-02-03", "--employment", "on_job",
                      "--household-income", "1500", "--level", "deep", "--cause",
                      "serious_illness", "--on", "2026-05-01", "--today", "2026-05-01",
                      "--no-commit")
    assert result.code == 3  # the fixture's refusal: a new case reads the whole root

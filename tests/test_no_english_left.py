"""Under `--lang zh` no English sentence is left in what the main commands print.

A heuristic reader (`english_sentences`) looks for a run of three or more English words
of two letters or more, separated by single spaces, after setting aside what is meant to
stay as written: problem codes and other words with a hyphen or an underscore
(`E-MONEY`, `review-overdue`, `out_of_hardship`), IDs (`HS-2026-0001`), flags and their
values (`--as 王芳`, `--root records`), paths and file names, commands in backquotes,
URLs, choices (`md|html|pdf`), numbers, the words `hardship`, `git`, `YAML`, `JSON`, and
the example line of a help (a command). A list of codes (`md, html, pdf`) is not a
sentence: its words are separated by commas.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from hardship_cli import i18n
from tests.clirun import command_paths, hardship

# Words that stay as they are in Chinese text.
KEPT = {"hardship", "git", "yaml", "json", "hs", "gr", "vs", "dc", "id", "pdf", "html", "md"}

_SET_ASIDE = (
    re.compile(r"`[^`\n]*`"),  # a command in backquotes
    re.compile(r"(?:示例：|Example: )[^\n]*"),  # the example line of a help: a command
    re.compile(r"(?<!\S)--?[A-Za-z][\w-]*[ =][^\s-]\S*"),  # a flag and its value
    re.compile(r"\bhttps?://\S+"),  # a URL
    re.compile(r"\x1b\[[0-9;]*[A-Za-z]"),  # a colour
)
_TOKEN = re.compile(r"\S+")
_EDGES = "\"'()[]{}<>.,;:!?…“”‘’（）【】《》「」，。；：！？、"
_SENTENCE = re.compile(r"(?<![A-Za-z])[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}(?![A-Za-z])")


def _word_or_break(token: re.Match[str]) -> str:
    """A token that is a plain English word stays (with its punctuation); anything else
    (a code, an ID, a flag, a path, a number, Chinese) becomes a break."""
    core = token.group().strip(_EDGES)
    if re.fullmatch(r"[A-Za-z]+", core) and core.lower() not in KEPT:
        return token.group()
    return "|"


def english_sentences(text: str) -> list[str]:
    """The runs of 3+ English words left in `text` (see the module)."""
    for pattern in _SET_ASIDE:
        text = pattern.sub("|", text)
    text = re.sub(r"([^\x00-\x7f])", r" \1 ", text)  # Chinese stuck to a word: apart
    text = _TOKEN.sub(_word_or_break, text)
    return _SENTENCE.findall(text)


# ---------------------------------------------------------------------------------------
# The checker bites, and lets pass what is meant to stay


def test_the_checker_finds_a_planted_english_sentence() -> None:
    planted = "档案 HS-2026-0001：已审批。\n    提示：the case is closed, see `hardship history`"
    assert english_sentences(planted) == ["the case is closed"]
    assert english_sentences("hardship: no case HS-2026-0009 in this root") == ["in this root"]
    assert english_sentences("错误：Missing option '--as' for this command") == ["for this command"]
    assert english_sentences("中文the case is closed") == ["the case is closed"]
    assert english_sentences("--keep-payable REASON (finance may still pay them)") == [
        "finance may still pay them"
    ]


def test_the_checker_lets_codes_ids_flags_paths_and_commands_pass() -> None:
    for kept in (
        "用法：hardship review approve [选项] 记录",
        "cases/HS-2026-0001.yaml:24: unknown-key 未知的键 levle",
        "请运行 `hardship validate --format json` 后改正",
        "--as 李明 --reason out_of_hardship --note '已再就业'",
        "xlsx 不在可选范围内：md, html, pdf",
        "详见 https://example.org/the/long/way 说明",
        "│ HS-2025-0003 │ 金文斌 │ relative_to_deep │",
        "示例：hardship report annual --year 2026 -o build/report.pdf",
        "--format md|html|pdf",
        " 示例：hardship --root records cache clear",
        "请用 --root records summary 查看",
    ):
        assert english_sentences(kept) == [], kept


# ---------------------------------------------------------------------------------------
# The main commands, in Chinese, on a copy of the demo


@pytest.fixture
def demo_git(demo_copy: Path) -> Path:
    """The demo copy as a git repository (history reads git), with a grant proposed by the
    chair (who then may not approve it) and defects for validate planted on a branch of
    their own: the copy itself is clean."""
    grant = demo_copy / "grants" / "2026" / "GR-2026-0104.yaml"
    text = grant.read_text(encoding="utf-8")
    grant.write_text(text.replace("  by: 陈静", "  by: 王芳", 1), encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "demo"]):
        subprocess.run(["git", *args], cwd=demo_copy, env=env, check=True)
    return demo_copy


def _plant_defects(root: Path) -> None:
    case = root / "cases" / "HS-2025-0001.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("status:", "status: [", 1), encoding="utf-8")  # not YAML
    (root / "cases" / "HS-2025-0099.yaml").write_text("- a list\n", encoding="utf-8")
    visit = next((root / "visits").rglob("VS-*.yaml"))
    lines = visit.read_text(encoding="utf-8").splitlines()
    lines.append("levle: deep")  # an unknown key
    visit.write_text("\n".join(lines) + "\n", encoding="utf-8")




TODAY = "2026-11-29"


def _runs(root: Path) -> list[list[str]]:
    on_root = ["--lang", "zh", "--root", str(root)]
    return [
        ["--lang", "zh", "--help"],
        [*on_root, "summary"],
        [*on_root, "budget", "--today", TODAY],
        [*on_root, "review", "list", "--today", TODAY],
        [
            *on_root,
            "review",
            "approve",
            "GR-2026-0104",
            "--as",
            "王芳",
            "--on",
            TODAY,
            "--today",
            TODAY,
            "--no-commit",
        ],  # fmt: skip
        [*on_root, "due", "--today", TODAY],
        [*on_root, "history", "HS-2025-0010"],
        *(["--lang", "zh", *path, "--help"] for path in command_paths()),
    ]


def test_no_english_sentence_is_left_under_lang_zh(demo_git: Path) -> None:
    left: list[str] = []
    try:
        for args in _runs(demo_git):
            result = hardship(*args)
            for sentence in english_sentences(result.out + result.err):
                left.append(
                    f"hardship {' '.join(args[4 if '--root' in args else 2 :])}: {sentence}"
                )
        _plant_defects(demo_git)
        result = hardship("--lang", "zh", "--root", demo_git, "validate", "--today", TODAY)
        assert result.code == 1, result.err
        left += [f"hardship validate: {s}" for s in english_sentences(result.out + result.err)]
    finally:
        i18n.set_language("en")
    assert not left, "English left under --lang zh:\n" + "\n".join(dict.fromkeys(left))

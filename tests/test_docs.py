"""The README documents what the code defines: every configuration key and every lint rule."""

from __future__ import annotations

from pathlib import Path

from relnotes.config import KEYS
from relnotes.lint import RULES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_shows_the_two_commands_near_the_top() -> None:
    top = README[:1200]
    assert "make demo" in top
    assert "make check" in top


def test_every_configuration_key_is_documented() -> None:
    missing = [key for key in KEYS if f"| `{key}`" not in README]
    assert missing == []


def test_every_lint_rule_is_documented() -> None:
    missing = [rule for rule in RULES if f"| `{rule}` |" not in README]
    assert missing == []

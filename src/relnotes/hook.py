"""``relnotes check``: the commit-msg hook's light path, and the report both paths print.

The hook runs on every commit, so :func:`run_light` handles the hook's own calls
(``check [--fix] FILE``, ``--message-file F``, ``--message``, ``--format``) with nothing
heavier than ``re`` and the configuration reader; anything else (``--help``, ``--range``, a
typo) returns ``None`` and the click command takes over, with the same functions underneath.
"""

from __future__ import annotations

import os
import re
import sys

from relnotes.errors import BUG, RelnotesError, annotation_escape, bug_report, error_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relnotes.config import Config
    from relnotes.lint import Finding

FORMATS = ("text", "github", "json")


class Report:
    """The findings of one or more messages, what --fix changed, and how to print them."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Finding]] = []  # (where: file or short sha, finding)
        self.fixed: list[tuple[str, int, str, str]] = []  # (where, line, before, after)
        self.hints: list[str] = []
        self.checked = 0  # messages checked

    def add(self, where: str, findings: list[Finding]) -> None:
        self.checked += 1
        self.items.extend((where, f) for f in findings)

    @property
    def errors(self) -> int:
        return sum(1 for _, f in self.items if f.severity == "error")

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def range_summary(self) -> str:
        """The line a range without errors ends with: how many commits, how many warnings."""
        warnings = len(self.items)
        return f"checked {self.checked} commit{'s' * (self.checked != 1)}: no errors" + (
            f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
        )

    def render(self, fmt: str) -> str:
        if fmt == "json":
            import json

            data = {
                "ok": not self.errors,
                "checked": self.checked,
                "fixed": [
                    {"where": w, "line": n, "before": old, "after": new}
                    for w, n, old, new in self.fixed
                ],
                "findings": [{"where": w, **f.to_json()} for w, f in self.items],
            }
            return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if fmt == "github":
            return "".join(_annotation(where, f) for where, f in self.items)
        lines = [f"fixed {w}:{n}: {old!r} -> {new!r}" for w, n, old, new in self.fixed]
        start = len(lines)
        for where, f in self.items:
            lines.append(f"{where}:{f.line}: {f.severity} [{f.rule}] {f.message}")
            if f.text:
                lines.append(f"  | {f.text}")
            label = "fix" if f.fixable else "suggestion"
            lines.extend(f"  = {label}: {s}" for s in f.suggestions)
        if self.items:
            warnings = len(self.items) - self.errors
            lines.append(
                f"{self.errors} error{'s' * (self.errors != 1)}, "
                f"{warnings} warning{'s' * (warnings != 1)}"
            )
            lines.extend(f"  hint: {hint}" for hint in self.hints)
        lines[start:] = [visible(line) for line in lines[start:]]
        return "\n".join(lines) + ("\n" if lines else "")


#: What a terminal or a CI log would act on rather than show: control characters (a ``\r``
#: could start a line of workflow commands in a CI log), line and paragraph separators, and
#: the bidirectional overrides. Tabs stay.
_INVISIBLE_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with what would act instead of showing written as escapes (``\\r``, ``\\x1b``)."""
    if text.isprintable():
        return text
    return _INVISIBLE_RE.sub(lambda m: repr(m[0])[1:-1], text)


def message_hints(report: Report, path: str, *, fixing: bool) -> list[str]:
    """How to go on after the hook refused a message, where the hook runs: under pre-commit
    ``relnotes`` is not on PATH, but git and the configuration file are."""
    if not report.errors:
        return []
    hints: list[str] = []
    fixable = any(f.fixable and f.severity == "error" for _, f in report.items)
    if fixable and not fixing:
        if os.environ.get("PRE_COMMIT") == "1":
            hints.append(
                "to let the hook apply safe fixes, add `args: [--fix]` to the relnotes hook "
                "in .pre-commit-config.yaml"
            )
        else:
            hints.append(f"apply the fix: relnotes check --fix {path}")
    hints.append(f"edit the message again: git commit -e -F {path}")
    return hints


def _annotation(where: str, finding: Finding) -> str:
    level = "error" if finding.severity == "error" else "warning"
    file = annotation_escape(where, property_=True)
    location = f"file={file},line={finding.line}," if os.path.isfile(where) else ""
    message = finding.message + (
        f" (suggestion: {finding.suggestion})" if finding.suggestion else ""
    )
    title = annotation_escape(f"relnotes {finding.rule} {where}", property_=True)
    return f"::{level} {location}title={title}::{annotation_escape(message)}\n"


def read_message_file(path: str) -> tuple[str, str]:
    """The message and the encoding it was read with (UTF-8, else Latin-1: never lost)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise RelnotesError(
            f"cannot read the message file {path}: {exc.strerror}",
            hint="git passes the file to a commit-msg hook; check the path",
        ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def check_file(path: str, config: Config, report: Report, *, fix: bool) -> None:
    """Lint a message file; with ``fix``, rewrite the lines whose fix keeps their meaning."""
    from relnotes.lint import Checker, fix_all

    comment_char = config.comment_char
    checker = Checker(config)
    raw, encoding = read_message_file(path)
    if fix:
        fixed, changes, findings = fix_all(raw, checker, comment_char)
        if changes:
            from relnotes.output import write_atomic

            write_atomic(path, fixed, encoding=encoding)
            report.fixed.extend((path, *change) for change in changes)
    else:
        findings = checker.lint(raw, comment_char=comment_char)
    report.add(path, _file_lines(findings, fixed if fix else raw, comment_char))
    report.hints = message_hints(report, path, fixing=fix)


def _file_lines(findings: list[Finding], raw: str, comment_char: str | None) -> list[Finding]:
    """The findings with the file's own line numbers (``path:line`` is where an editor goes),
    not those of the message git keeps once comment lines are gone."""
    from relnotes.parse import cleaned_lines

    kept = cleaned_lines(raw.replace("\r\n", "\n"), comment_char)
    for finding in findings:
        if 0 < finding.line <= len(kept):
            finding.line = kept[finding.line - 1][0] + 1
    return findings


def check_text(message: str, config: Config, report: Report, where: str = "message") -> None:
    from relnotes.lint import lint_message

    report.add(where, lint_message(message, config, comment_char=config.comment_char))


def run_light(args: list[str]) -> int | None:
    """Check one message without the heavy imports; ``None``: let the full CLI handle it."""
    message_file = message = None
    fmt, fix = "text", False
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        name, eq, value = arg.partition("=")
        if name in ("--message-file", "--message", "--format") and (eq or rest):
            value = value if eq else rest.pop(0)
            if name == "--message-file" and message_file is None:
                message_file = value
            elif name == "--message" and message is None:
                message = value
            elif name == "--format" and value in FORMATS:
                fmt = value
            else:
                return None
        elif arg == "--fix":
            fix = True
        elif arg and not arg.startswith("-") and message_file is None:
            message_file = arg  # `relnotes check [--fix] FILE`, as pre-commit calls it
        else:
            return None  # --help, --range, a typo: the click command explains
    if (message_file is None) == (message is None) or (fix and message_file is None):
        return None
    try:
        from relnotes.config import load_config

        config = load_config(os.getcwd(), cached=True)
        report = Report()
        if message_file is not None:
            check_file(message_file, config, report, fix=fix)
        else:
            check_text(message or "", config, report)
    except RelnotesError as exc:
        sys.stderr.write(error_text(exc.message, exc.hint))
        return exc.exit_code
    except Exception as exc:  # the same promise as the click funnel: one line, exit 3
        sys.stderr.write(error_text(*bug_report(exc)))
        return BUG
    sys.stdout.write(report.render(fmt))
    return report.exit_code

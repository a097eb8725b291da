"""``relnotes check``: the commit-msg hook's light path, and the report both paths print.

The hook runs on every commit, so :func:`run_light` handles the hook's own calls
(``check --message-file F``, ``--message``, ``--fix``, ``--format``) with nothing heavier than
``re`` and the configuration reader; anything else (``--help``, ``--range``, a typo) returns
``None`` and the click command takes over, with the same functions underneath.
"""

from __future__ import annotations

import os
import sys

from relnotes.errors import BUG, RelnotesError, bug_report

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relnotes.config import Config
    from relnotes.lint import Finding

FORMATS = ("text", "github", "json")


class Report:
    """The findings of one or more messages, and how to print them."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Finding]] = []  # (where: file or short sha, finding)
        self.fixed: list[str] = []

    def add(self, where: str, findings: list[Finding]) -> None:
        self.items.extend((where, f) for f in findings)

    @property
    def errors(self) -> int:
        return sum(1 for _, f in self.items if f.severity == "error")

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def render(self, fmt: str, fix_hint: str | None = None) -> str:
        if fmt == "json":
            import json

            data = {
                "ok": not self.errors,
                "fixed": self.fixed,
                "findings": [{"where": w, **f.to_json()} for w, f in self.items],
            }
            return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if fmt == "github":
            return "".join(_annotation(where, f) for where, f in self.items)
        lines: list[str] = [f"fixed the header of {path}" for path in self.fixed]
        for where, f in self.items:
            lines.append(f"{where}:{f.line}: {f.severity} [{f.rule}] {f.message}")
            if f.text:
                lines.append(f"  | {f.text}")
            if f.suggestion:
                lines.append(f"  = suggestion: {f.suggestion}")
        if self.items:
            warnings = len(self.items) - self.errors
            summary = f"{self.errors} error{'s' * (self.errors != 1)}"
            summary += f", {warnings} warning{'s' * (warnings != 1)}"
            if fix_hint and any(f.fixable for _, f in self.items):
                summary += f"; apply the suggestion with: {fix_hint}"
            lines.append(summary)
        return "\n".join(lines) + ("\n" if lines else "")


def _annotation(where: str, finding: Finding) -> str:
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    level = "error" if finding.severity == "error" else "warning"
    location = f"file={where},line={finding.line}," if os.path.isfile(where) else ""
    message = finding.message + (
        f" (suggestion: {finding.suggestion})" if finding.suggestion else ""
    )
    return f"::{level} {location}title=relnotes {finding.rule} {escape(where)}::{escape(message)}\n"


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
    """Lint a message file; with ``fix``, rewrite its header when the fix is unambiguous."""
    from relnotes.lint import fix_header, lint_message

    comment_char = config.comment_char
    raw, encoding = read_message_file(path)
    findings = lint_message(raw, config, comment_char=comment_char)
    if fix:
        fixed = fix_header(raw, findings, comment_char)
        if fixed is not None:
            from relnotes.output import write_atomic

            write_atomic(path, fixed, encoding=encoding)
            report.fixed.append(path)
            findings = lint_message(fixed, config, comment_char=comment_char)
    report.add(path, findings)


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
            if name == "--message-file":
                message_file = value
            elif name == "--message":
                message = value
            elif value in FORMATS:
                fmt = value
            else:
                return None
        elif arg == "--fix":
            fix = True
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
            hint = f"relnotes check --fix --message-file {message_file}"
        else:
            check_text(message or "", config, report)
            hint = None
    except RelnotesError as exc:
        sys.stderr.write(f"relnotes: error: {exc.message}\n")
        if exc.hint:
            sys.stderr.write(f"  hint: {exc.hint}\n")
        return exc.exit_code
    except Exception as exc:  # the same promise as the click funnel: one line, exit 3
        message, hint = bug_report(exc)
        sys.stderr.write(f"relnotes: error: {message}\n  hint: {hint}\n")
        return BUG
    sys.stdout.write(report.render(fmt, None if fix else hint))
    return report.exit_code

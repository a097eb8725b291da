"""``--fix``: the message with every fixable finding's line rewritten, and nothing else."""

from __future__ import annotations

from relnotes.parse import cleaned_lines

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relnotes.lint.checker import Checker
    from relnotes.lint.findings import Finding


def fix_all(
    raw: str, checker: Checker, comment_char: str | None = "#"
) -> tuple[str, list[tuple[int, str, str]], list[Finding]]:
    """Fix until nothing fixable is left (a fix can make a later line's finding fixable: a
    respelled ``BREAKING CHANGE:`` opens the footer section the next line is in).

    Returns the message, every change made (line, before, after) and its findings now.
    """
    changes: list[tuple[int, str, str]] = []
    findings = checker.lint(raw, comment_char=comment_char)
    for _ in range(4):  # each pass fixes every line it can; more than two is never needed
        done = fix_message(raw, findings, comment_char)
        if done is None:
            break
        raw, made = done
        changes.extend(made)
        findings = checker.lint(raw, comment_char=comment_char)
    return raw, changes, findings


def fix_message(
    raw: str, findings: list[Finding], comment_char: str | None = "#"
) -> tuple[str, list[tuple[int, str, str]]] | None:
    """The raw message with every fixable finding's line rewritten, and what changed
    (line, before, after); ``None`` when there is nothing to fix.

    Only those lines change: every other byte (comments, line endings, other lines) stays.
    """
    wanted: dict[int, str] = {}
    for finding in findings:
        if finding.fixable and finding.suggestion is not None:
            wanted[finding.line] = finding.suggestion  # the last one on a line carries all
    if not wanted:
        return None
    kept = cleaned_lines(raw.replace("\r\n", "\n"), comment_char)
    lines = raw.split("\n")  # LF only, as git: every other byte stays where it was
    changes: list[tuple[int, str, str]] = []
    for number, suggestion in sorted(wanted.items()):
        if not 0 < number <= len(kept):
            continue
        index = kept[number - 1][0]
        before = lines[index].removesuffix("\r")
        if before.rstrip() == suggestion:
            continue
        lines[index] = suggestion + lines[index][len(before) :]
        changes.append((number, before.rstrip(), suggestion))
    if not changes:
        return None
    return "\n".join(lines), changes

"""What the linter reports: the rules by id, and one finding (a rule broken in one message,
with the text at fault and, where there is one, the fix)."""

from __future__ import annotations

ERROR = "error"
WARNING = "warning"

#: rule id -> what it checks (README's table is made from this)
RULES: dict[str, str] = {
    "empty-message": "the message has no text",
    "header-format": "the header has the form type(scope)!: description",
    "header-whitespace": "the header starts with its type, not with white space",
    "type-case": "the type is written in lower case",
    "type-unknown": "the type is one the project knows",
    "description-empty": "the header has a description after the colon",
    "description-space": "one space separates the colon and the description (warning)",
    "header-length": "the header is no longer than header_max_length (100)",
    "scope-empty": "parentheses hold a scope",
    "scope-required": "every commit names a scope (scope_required)",
    "scope-unknown": "the scope is one of scopes (when configured)",
    "description-period": "the description does not end with a period (warning)",
    "body-blank-line": "one blank line separates the header from the body",
    "footer-format": "a line that is almost a footer is written Token: value (warning)",
    "breaking-change-case": "a BREAKING CHANGE footer is spelled so, in capitals",
    "breaking-change-placement": "BREAKING CHANGE starts a footer, not a line inside a paragraph",
    "fixup-left": "no fixup!/squash!/amend! commit is left in a pull request (--no-fixup)",
}


class Finding:
    """One problem in one message, with the text at fault and, where there is one, the fix.

    ``suggestion`` is the whole line as it could be written (the first of ``suggestions``);
    ``fixable`` says that ``--fix`` may write it, because it keeps the author's meaning.
    """

    __slots__ = ("fixable", "line", "message", "rule", "severity", "suggestions", "text")

    def __init__(
        self,
        rule: str,
        message: str,
        *,
        text: str = "",
        line: int = 1,
        severity: str = ERROR,
        suggestion: str | None = None,
        suggestions: tuple[str, ...] = (),
        fixable: bool = False,
    ) -> None:
        self.rule = rule
        self.message = message
        self.text = text
        self.line = line
        self.severity = severity
        self.suggestions = (suggestion, *suggestions) if suggestion else suggestions
        self.fixable = fixable

    @property
    def suggestion(self) -> str | None:
        return self.suggestions[0] if self.suggestions else None

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "line": self.line,
            "message": self.message,
            "text": self.text,
            "suggestion": self.suggestion,
            "suggestions": list(self.suggestions),
            "fixable": self.fixable,
        }

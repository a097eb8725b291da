"""`relnotes doctor`: static checks of a project's release pipeline (workflows + pyproject.toml).

The public API, what the CLI, ``relnotes init`` and the tests use. Inside the package:

- :mod:`~relnotes.doctor.findings`: the records, :class:`Finding` and :class:`Report`;
- :mod:`~relnotes.doctor.rules`: the rules as data (:data:`RULES`: id, severity, title,
  rationale, fix), which ``--explain`` and ``--list-rules`` print (:mod:`.explain`);
- the readers: :mod:`~relnotes.doctor.yaml_lines` (YAML with lines, within bounds),
  :mod:`~relnotes.doctor.workflow` (``Workflow``, ``Job``, ``Step``),
  :mod:`~relnotes.doctor.makefile`, :mod:`~relnotes.doctor.toml_lines`,
  :mod:`~relnotes.doctor.scripts` (what a step runs, make recipes and scripts included),
  :mod:`~relnotes.doctor.uploads` (every way a job uploads to PyPI) and
  :mod:`~relnotes.doctor.installs` (what a command installs, pinned or not);
- :mod:`~relnotes.doctor.context`: what the rules read (:class:`Context`), and
  :mod:`~relnotes.doctor.jobs`: the small questions they ask about jobs;
- the rules by theme, each a function named for what it checks, registered by id in its
  module's ``CHECKS``: :mod:`.triggers`, :mod:`.permissions`, :mod:`.publishing`,
  :mod:`.build`, :mod:`.hardening`, :mod:`.pyproject`; merged in :mod:`~relnotes.doctor.checks`;
- :mod:`~relnotes.doctor.diagnosis`: :func:`diagnose` (read, check, --select/--ignore, inline
  ignores); :mod:`~relnotes.doctor.formats`: text, JSON and GitHub annotations.
"""

from __future__ import annotations

from relnotes.doctor.diagnosis import diagnose, rule_ids
from relnotes.doctor.explain import explain, list_rules
from relnotes.doctor.findings import Finding, Report
from relnotes.doctor.formats import FORMATS, format_report, summary
from relnotes.doctor.makefile import MAKEFILES, parse_makefile, read_makefile
from relnotes.doctor.pyproject import LOCAL_SCHEMES, reads_version, requirement_names
from relnotes.doctor.rules import RULES, Rule, Severity

__all__ = [
    "FORMATS",
    "LOCAL_SCHEMES",
    "MAKEFILES",
    "RULES",
    "Finding",
    "Report",
    "Rule",
    "Severity",
    "diagnose",
    "explain",
    "format_report",
    "list_rules",
    "parse_makefile",
    "read_makefile",
    "reads_version",
    "requirement_names",
    "rule_ids",
    "summary",
]

"""Every rule's check, by rule id: the theme modules' ``CHECKS``, merged in one place.

Each theme module registers its checks under their ids (``{"W01": release_triggers, ...}``);
:mod:`relnotes.doctor.rules` holds what ``--explain`` says about each id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relnotes.doctor.build import CHECKS as BUILD
from relnotes.doctor.hardening import CHECKS as HARDENING
from relnotes.doctor.permissions import CHECKS as PERMISSIONS
from relnotes.doctor.publishing import CHECKS as PUBLISHING
from relnotes.doctor.pyproject import CHECKS as PYPROJECT
from relnotes.doctor.triggers import CHECKS as TRIGGERS

if TYPE_CHECKING:
    from relnotes.doctor.context import Check

CHECKS: dict[str, Check] = dict(
    sorted({**TRIGGERS, **PERMISSIONS, **PUBLISHING, **BUILD, **HARDENING, **PYPROJECT}.items())
)

"""The doctor's rules on the tokens' permissions (relnotes/doctor/permissions.py): W03, W04, W31,
W34."""

from __future__ import annotations

from tests.doctor_helpers import (
    ATTEST,
    CHECKOUT,
    PUBLISH,
    PYPI_PERMISSIONS,
    Case,
    Variant,
    case,
    rule_breaks_test,
    variants_pass_test,
)

CASES = [
    case(
        "W03",
        "top-level-write",
        "release",
        "permissions: {}",
        "permissions:\n  contents: write",
        "contents: write",
    ),
    Case(
        "W03",
        "missing",
        (
            ("ci", "permissions: {}\n", ""),
            ("ci", "    permissions:\n      contents: read\n", ""),
        ),
        "ci",
        "name: ci",
        "warning",
    ),
    case(
        "W04",
        "extra-job",
        "release",
        "    permissions:\n      contents: read\n    strategy",
        "    permissions:\n      contents: read\n      id-token: write\n    strategy",
        "- uses: actions/checkout",
    ),
    case(
        "W04",
        "publisher-without-token",
        "release",
        "      name: pypi\n      url: https://pypi.org/p/sample\n    permissions:\n"
        "      id-token: write\n",
        "      name: pypi\n      url: https://pypi.org/p/sample\n    permissions:\n"
        "      contents: read\n",
        "url: https://pypi.org/p/sample\n    permissions:",
    ),
    case(
        "W04",
        "write-all",
        "release",
        "      url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n",
        "      url: https://pypi.org/p/sample\n    permissions: write-all\n",
        "permissions: write-all",
    ),
    case(
        "W04",
        "contents-write-beside-id-token",
        "release",
        "      url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n",
        "      url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n"
        "      contents: write\n",
        "contents: write",
    ),
    case(
        "W04",
        "actions-write-beside-id-token",
        "release",
        "      url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n",
        "      url: https://pypi.org/p/sample\n    permissions:\n      actions: write\n"
        "      id-token: write\n",
        "actions: write",
    ),
    case(
        "W04",
        "attestations-without-attest",
        "release",
        "      url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n",
        "      url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n"
        "      attestations: write\n",
        "attestations: write",
    ),
    case(
        "W31",
        "install-before-token",
        "release",
        "      - name: release\n",
        "      - run: python -m pip install relnotes\n      - name: release\n",
        "python -m pip install relnotes",
    ),
    case(
        "W31",
        "third-party-action",
        "release",
        "      - name: release\n",
        "      - uses: someone/render-notes@0123456789abcdef0123456789abcdef01234567 # v1.0.0\n"
        "      - name: release\n",
        "someone/render-notes",
    ),
    case(
        "W31",
        "gh-by-name-after-setup",
        "release",
        "      - name: release\n        env:\n          GH_TOKEN: ${{ github.token }}\n"
        "        run: /usr/bin/gh release",
        "      - uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0\n"
        "      - name: release\n        env:\n          GH_TOKEN: ${{ github.token }}\n"
        "        run: gh release",
        "run: gh release",
    ),
    case(
        "W34",
        "preview-with-write-access",
        "preview",
        "      contents: read\n",
        "      contents: read\n      pull-requests: write\n",
        "    permissions:\n",
    ),
    case(
        "W34",
        "preview-with-a-secret",
        "preview",
        "        run: relnotes preview --format github\n",
        "        run: relnotes preview --format github\n"
        "        env:\n          GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n",
        "- name: the release this pull request would make",
    ),
    case(
        "W34",
        "preview-on-pull-request-target",
        "preview",
        "on:\n  pull_request:\n",
        "on:\n  pull_request:\n  pull_request_target:\n",
        "  pull_request_target:",
    ),
    case(
        "W34",
        "preview-of-the-head",
        "preview",
        "          persist-credentials: false\n",
        "          persist-credentials: false\n"
        "          ref: ${{ github.event.pull_request.head.sha }}\n",
        "ref: ${{ github.event.pull_request.head.sha }}",
        severity="warning",
    ),
]
VARIANTS: list[Variant] = [
    (
        "a preview job without a token of its own (permissions: {})",
        {"W34"},
        (
            (
                "preview",
                "    permissions:\n      contents: read\n",
                "    permissions: {}\n",
            ),
        ),
    ),
    (
        "gh by its name where nothing before could shadow it",
        {"W31"},
        (("release", "run: /usr/bin/gh release", "run: gh release"),),
    ),
    (
        "the release job checks out the repository (first-party code) before it writes",
        {"W31"},
        (
            (
                "release",
                "    permissions:\n      contents: write\n    steps:\n",
                f"    permissions:\n      contents: write\n    steps:\n      - uses: {CHECKOUT}\n",
            ),
        ),
    ),
    (
        "installs after the last use of the token",
        {"W31"},
        (
            (
                "release",
                "notes/notes.md dist/*\n",
                "notes/notes.md dist/*\n      - run: pip install x\n",
            ),
        ),
    ),
    (
        "the publish job may read contents beside id-token",
        {"W04", "W05"},
        (("release", PYPI_PERMISSIONS, PYPI_PERMISSIONS + "      contents: read\n"),),
    ),
    (
        "attestations: write with an actions/attest* step",
        {"W04", "W05"},
        (
            ("release", PYPI_PERMISSIONS, PYPI_PERMISSIONS + "      attestations: write\n"),
            (
                "release",
                f"      - uses: {PUBLISH}\n        with:\n          print-hash",
                f"      - uses: {ATTEST}\n        with:\n          subject-path: dist/*\n"
                f"      - uses: {PUBLISH}\n        with:\n          print-hash",
            ),
        ),
    ),
]

test_rule_breaks = rule_breaks_test(CASES)
test_accepted_variants_pass = variants_pass_test(VARIANTS)

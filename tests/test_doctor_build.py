"""The doctor's rules on the build and its version (relnotes/doctor/build.py): W14, W19, W20,
W25-W27, W32."""

from __future__ import annotations

from tests.doctor_helpers import (
    BAIPP,
    CHECK_TOOLS,
    PUBLISH,
    TO_PYPI,
    TO_TESTPYPI,
    UPLOAD_STEP,
    Case,
    Variant,
    case,
    rule_breaks_test,
    variants_pass_test,
)

CASES = [
    case(
        "W14",
        "shallow-build",
        "release",
        "      with:\n          fetch-depth: 0\n          persist-credentials: false\n"
        "      - uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0\n"
        '        with:\n          python-version: "3.13"',
        "      with:\n          persist-credentials: false\n"
        "      - uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0\n"
        '        with:\n          python-version: "3.13"',
        "      contents: read\n    steps:\n      - uses: actions/checkout",
    ),
    case(
        "W19",
        "name",
        "release",
        "          name: dist\n          path: dist/\n      - uses: pypa/"
        "gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e # v1.13.0\n        with:\n"
        "          print-hash",
        "          name: dists\n          path: dist/\n      - uses: pypa/"
        "gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e # v1.13.0\n        with:\n"
        "          print-hash",
        "name: dists",
    ),
    case(
        "W19",
        "path",
        "release",
        "          name: dist\n          path: dist/\n      - uses: pypa/"
        "gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e # v1.13.0\n        with:\n"
        "          print-hash",
        "          name: dist\n          path: out/\n      - uses: pypa/"
        "gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e # v1.13.0\n        with:\n"
        "          print-hash",
        "path: out/",
    ),
    case(
        "W19",
        "empty-upload",
        "release",
        "          path: dist/\n          if-no-files-found: error\n",
        "          path: dist/\n",
        "- uses: actions/upload-artifact",
    ),
    case(
        "W20",
        "checksums",
        "release",
        "python -m twine check --strict dist/*",
        "python -m twine check --strict dist/*\n          sha256sum dist/* > dist/SHA256SUMS",
        "SHA256SUMS",
    ),
    case(
        "W20",
        "unnamed-download",
        "release",
        "          name: dist\n          path: dist/\n"
        "      - uses: pypa/gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e"
        " # v1.13.0\n        with:\n          print-hash",
        "          path: dist/\n"
        "      - uses: pypa/gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e"
        " # v1.13.0\n        with:\n          print-hash",
        "url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n    steps:\n"
        "      - uses: actions/download-artifact",
    ),
    case(
        "W25",
        "not-on-main",
        "release",
        '        run: git merge-base --is-ancestor "$GITHUB_SHA" origin/main',
        "        run: echo tagged",
        "  publish-pypi:",
        severity="warning",
    ),
    case(
        "W26",
        "no-verify",
        "release",
        'relnotes verify dist --tag "$GITHUB_REF_NAME"',
        "check-wheel-contents dist/*.whl",
        "  publish-pypi:",
    ),
    case(
        "W27",
        "no-twine",
        "release",
        "          python -m twine check --strict dist/*\n",
        "",
        "  build:",
        severity="warning",
    ),
    case(
        "W27",
        "not-strict",
        "release",
        "twine check --strict dist/*",
        "twine check dist/*",
        "  build:",
        severity="warning",
    ),
    case(
        "W32",
        "unpinned-build-tool",
        "release",
        "python -m pip install --require-hashes -r build-requirements.txt",
        "python -m pip install build",
        "python -m pip install build",
        severity="warning",
    ),
    case(
        "W32",
        "build-isolation",
        "release",
        "python -m build --no-isolation",
        "python -m build",
        "python -m build",
        severity="warning",
    ),
    Case(
        "W32",
        "checks-before-upload",
        (
            ("release", f"          {CHECK_TOOLS}\n", ""),
            (
                "release",
                "python -m build --no-isolation\n",
                "python -m build --no-isolation\n          python -m pip install twine\n",
            ),
        ),
        "release",
        "python -m pip install twine",
        "warning",
    ),
    case(
        "W33",
        "unpinned-check-tools",
        "release",
        CHECK_TOOLS,
        "python -m pip install twine check-wheel-contents",
        "pip install twine check-wheel-contents",
        severity="warning",
    ),
    case(
        "W33",
        "unpinned-notes-tool",
        "release",
        "python -m pip install dist/*.whl\n          relnotes notes",
        "python -m pip install relnotes\n          relnotes notes",
        "pip install relnotes",
        severity="warning",
    ),
    case(
        "W33",
        "unpinned-upload-tool",
        "release",
        f"      - uses: {PUBLISH}\n        with:\n          print-hash: true\n",
        "      - run: uvx twine upload dist/*\n",
        "uvx twine upload",
        severity="warning",
    ),
]
VARIANTS: list[Variant] = [
    (
        "hashes required through the environment",
        {"W32"},
        (
            (
                "release",
                "      - name: build\n        run: |\n"
                "          python -m pip install --require-hashes -r build-requirements.txt\n",
                "      - name: build\n        env:\n          PIP_REQUIRE_HASHES: 1\n"
                "        run: |\n          python -m pip install -r build-requirements.txt\n",
            ),
        ),
    ),
    (
        "build-and-inspect-python-package uploads `Packages`",
        {"W19", "W20", "W27"},
        (
            ("release", UPLOAD_STEP, f"      - uses: {BAIPP}\n"),
            ("release", TO_PYPI, TO_PYPI.replace("name: dist", "name: Packages")),
            ("release", TO_TESTPYPI, TO_TESTPYPI.replace("name: dist", "name: Packages")),
        ),
    ),
    (
        "an unnamed download read from its artifact folder",
        {"W19", "W20"},
        (
            (
                "release",
                TO_PYPI,
                TO_PYPI.replace("name: dist\n          path: dist/", "path: .").replace(
                    "with:\n", "with:\n          packages-dir: dist/\n"
                ),
            ),
        ),
    ),
    (
        "a script that compares the tag with the built version",
        {"W26"},
        (
            (
                "release",
                'relnotes verify dist --tag "$GITHUB_REF_NAME"',
                'test "${GITHUB_REF_NAME#v}" = "$(cat dist/version.txt)"',
            ),
        ),
    ),
    (
        "tools pinned by version, by a file, or local",
        {"W33"},
        (
            (
                "release",
                CHECK_TOOLS,
                'python -m pip install "twine==6.1.0" -r more.txt .\n'
                "          uvx check-wheel-contents@0.6.1 dist/*.whl\n"
                "          uvx --from 'relnotes==1.4.0' relnotes --version",
            ),
        ),
    ),
    (
        "hashes required through the job's environment",
        {"W33"},
        (
            ("release", CHECK_TOOLS, "python -m pip install twine"),
            (
                "release",
                "  build:\n    runs-on",
                "  build:\n    env:\n      PIP_REQUIRE_HASHES: 1\n    runs-on",
            ),
        ),
    ),
]

test_rule_breaks = rule_breaks_test(CASES)
test_accepted_variants_pass = variants_pass_test(VARIANTS)

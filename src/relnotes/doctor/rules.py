"""The doctor's rules as data: id, severity, title, rationale, fix, and who else sees them.

One entry per rule of PIPELINE.md's "doctor" table (W01-W34 on the workflows, P01-P06 on
pyproject.toml) plus W00/P00 for files that cannot be read. ``--explain`` and ``--list-rules``
print from here; each rule's check is a function in a theme module (:mod:`relnotes.doctor.triggers`,
:mod:`~relnotes.doctor.permissions`, ...), registered under its id in :mod:`relnotes.doctor.checks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    title: str
    rationale: str
    fix: str
    covered_by: str = ""  # the other linter that also sees this, if any


def _rule(rid: str, severity: Severity, title: str, rationale: str, fix: str, by: str = "") -> Rule:
    return Rule(rid, severity, title, " ".join(rationale.split()), " ".join(fix.split()), by)


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        _rule(
            "W00",
            "error",
            "workflow file is valid YAML",
            "GitHub ignores a workflow it cannot parse: the release simply never runs.",
            "Fix the YAML syntax at the line shown (actionlint shows the same).",
            "actionlint",
        ),
        _rule(
            "W01",
            "error",
            "triggers: release tags, main and pull requests",
            """The workflow that publishes must run for the tags tag_format makes. Naming only
            `tags` under `on.push` silences branch pushes and the other way round, so a TestPyPI
            job on main never runs; and the pipeline should run on pull requests somewhere.""",
            """Under `on.push` list `tags: ["v*"]` (matching tag_format) and `branches: [main]`;
            run the checks on `pull_request` in this or another workflow.""",
            "actionlint (glob syntax only)",
        ),
        _rule(
            "W02",
            "error",
            "no pull_request_target or workflow_run where publishing happens",
            """Both events run with the base repository's privileges on input a fork controls;
            pull_request_target is the one third-party event that can obtain OIDC tokens.""",
            "Trigger the publishing workflow on `push` of tags only; move other work elsewhere.",
            "zizmor dangerous-triggers",
        ),
        _rule(
            "W03",
            "error",
            "top-level permissions are empty or read-only",
            """Every job inherits the workflow's permissions: a top-level write (and above all
            `id-token: write`) reaches every step of every job.""",
            "Write `permissions: {}` at the top and grant each job only what it needs.",
            "zizmor excessive-permissions",
        ),
        _rule(
            "W04",
            "error",
            "id-token: write only where the upload happens",
            """Any step of a job holding `id-token: write` can mint a PyPI token; only the
            download + pypa/gh-action-pypi-publish job (and attestation steps) need it, and
            that job holds nothing else: no `write-all`, no other write scope (contents: read
            at most; `attestations: write` with actions/attest*). The publishing job itself
            must hold it, or Trusted Publishing cannot get a token.""",
            """Grant `id-token: write` only in the publish job's `permissions`, beside nothing
            but `contents: read`, and move every other step into a job without it.""",
        ),
        _rule(
            "W05",
            "error",
            "publish jobs only download and upload",
            """Building distributions in the publishing job is unsupported: the job that can
            mint tokens must not run project code. Ideally it has two steps.""",
            """Build in a separate job that uploads `dist/` as an artifact; the publish job keeps
            only actions/download-artifact and pypa/gh-action-pypi-publish.""",
        ),
        _rule(
            "W06",
            "error",
            "Trusted Publishing, not a password or token",
            """A `password`/`user` input (or `twine upload` with a token) disables Trusted
            Publishing and attestations; an empty secret even switches silently to OIDC.""",
            """Remove `user`/`password`, register the workflow as a Trusted Publisher on PyPI, and
            publish with pypa/gh-action-pypi-publish.""",
            "zizmor use-trusted-publishing",
        ),
        _rule(
            "W07",
            "warning",
            "no deprecated snake_case inputs of pypi-publish",
            """`repository_url`, `packages_dir`, `verify_metadata`, `skip_existing` and
            `print_hash` are deprecated and slated for removal in the action's next major
            version.""",
            "Use the dashed names: repository-url, packages-dir, verify-metadata, skip-existing.",
            "actionlint (only for @release/v1 refs)",
        ),
        _rule(
            "W08",
            "error",
            "PyPI job in environment `pypi`, TestPyPI in another",
            """PyPI's Trusted Publisher names an environment: a missing or different one fails
            with `invalid-publisher`, and the environment's required reviewers are the approval
            gate. A referenced environment that is not configured is created without protection.""",
            """Give the PyPI job `environment: {name: pypi, url: https://pypi.org/p/<name>}` and
            the TestPyPI job `environment: testpypi`; configure reviewers on GitHub.""",
        ),
        _rule(
            "W09",
            "error",
            "PyPI job runs only for tag pushes",
            "Without a tag condition a push to main or a pull request reaches PyPI.",
            """Add `if: github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')` to
            the PyPI job (or let the workflow run on tags only).""",
        ),
        _rule(
            "W10",
            "error",
            "TestPyPI job runs only for pushes to main",
            """Uploads from pull requests and branches collide on versions and bloat the
            project's TestPyPI files.""",
            """Add `if: github.event_name == 'push' && github.ref == 'refs/heads/main'` to the
            TestPyPI job.""",
        ),
        _rule(
            "W11",
            "warning",
            "skip-existing only on TestPyPI",
            """On PyPI a duplicate upload should fail loudly; `skip-existing: true` turns a
            forgotten version bump into a green run that published nothing.""",
            "Remove `skip-existing` from the PyPI upload (keep it on TestPyPI).",
        ),
        _rule(
            "W12",
            "error",
            "PyPI and TestPyPI in different jobs",
            """Two uploads in one job collide on the attestation files ("already has a publish
            attestation").""",
            "Give TestPyPI and PyPI a job each, each downloading `dist/` fresh.",
        ),
        _rule(
            "W13",
            "error",
            "publishing waits for the build and every check",
            """`needs` is the only ordering GitHub has: a publish job that does not need the
            test jobs ships distributions that were never tested.""",
            "List the build job and every test job in the publish job's `needs`.",
            "actionlint (only that the needed jobs exist)",
        ),
        _rule(
            "W14",
            "error",
            "full history where hatch-vcs or relnotes read it",
            """actions/checkout fetches one commit and no tags by default: hatch-vcs then builds
            `0.1.dev1+g<hash>`, and relnotes cannot find the previous release.""",
            "Give that job's actions/checkout `fetch-depth: 0`.",
        ),
        _rule(
            "W15",
            "warning",
            "checkout does not persist credentials",
            """actions/checkout leaves the token in .git/config by default, where a later step
            or an uploaded artifact can leak it.""",
            "Add `persist-credentials: false` to every actions/checkout.",
            "zizmor artipacked",
        ),
        _rule(
            "W16",
            "error",
            "actions pinned to a full commit, with the release as a comment",
            "Tags and branches of an action can be moved to other code; a commit cannot.",
            """Write `uses: owner/action@<40-hex commit> # vX.Y.Z` (`relnotes init` writes
            such pins).""",
            "zizmor unpinned-uses, ref-version-mismatch",
        ),
        _rule(
            "W17",
            "error",
            "no caches in the publishing workflow",
            """A cache written by another run (a pull request) can poison what the release
            builds.""",
            """Remove `cache:` from setup-python, set `enable-cache: false` on setup-uv, and drop
            actions/cache from this workflow.""",
            "zizmor cache-poisoning",
        ),
        _rule(
            "W18",
            "warning",
            "no ${{ }} expressions inside run:",
            """An expression is pasted into the script before the shell sees it: a branch name or
            title can inject commands.""",
            'Pass the value through `env:` and use `"$VAR"` in the script.',
            "zizmor template-injection; actionlint (untrusted inputs)",
        ),
        _rule(
            "W19",
            "error",
            "the dist artifact reaches the publish job intact",
            """The upload and download names must agree (an unnamed download lands in
            `dist/<name>/`), the download goes to `dist/`, an empty build must fail the upload,
            and matrix legs cannot upload one name twice (409 Conflict).""",
            """Upload `name: dist`, `path: dist/`, `if-no-files-found: error` from one job;
            download `name: dist`, `path: dist/` in each publish job.""",
            "actionlint (input names only)",
        ),
        _rule(
            "W20",
            "error",
            "dist/ holds only wheels and sdists",
            """The upload rejects anything else in dist/ (checksums, SBOMs, subfolders):
            "InvalidDistribution: Unknown distribution format".""",
            """Write other files outside dist/; download one artifact by name (or `pattern` with
            `merge-multiple: true`).""",
        ),
        _rule(
            "W21",
            "error",
            "the GitHub release comes after PyPI",
            """A public release for a version that never reached PyPI cannot be taken back
            cleanly; `gh release create` without `--verify-tag` creates a missing tag.""",
            """Create the release in a job that `needs` the PyPI job, with only
            `contents: write`, and `gh release create "$GITHUB_REF_NAME" --verify-tag`.""",
        ),
        _rule(
            "W22",
            "error",
            "publishing is not in a reusable workflow",
            """PyPI matches the top-level workflow that runs, not a called one; attestations fail
            from reusable workflows.""",
            "Publish from the workflow the tag push starts; call reusable workflows for the rest.",
        ),
        _rule(
            "W23",
            "warning",
            "publish jobs only in the upstream repository",
            "Forks and mirrors run the same workflow and fail noisily at the upload.",
            "Add `github.repository == 'owner/name'` to the publish jobs' `if:`.",
        ),
        _rule(
            "W24",
            "error",
            "publishing runs are never cancelled half-way",
            """`cancel-in-progress: true` on a group that publish runs share cancels an upload
            half-way, leaving a partial release.""",
            """Use `cancel-in-progress: ${{ github.event_name == 'pull_request' }}` (or false),
            with `github.ref` in the group.""",
            "zizmor concurrency-limits (pedantic) argues the other way",
        ),
        _rule(
            "W25",
            "warning",
            "the tag's commit is on main",
            "A tag pushed on an unmerged branch publishes code no one reviewed.",
            """Before publishing, run `git merge-base --is-ancestor "$GITHUB_SHA" origin/main`
            on tag runs (with `fetch-depth: 0`).""",
        ),
        _rule(
            "W26",
            "error",
            "the built version is the tag",
            """A dirty or shallow build publishes the wrong version silently (`1.2.1.dev0`
            uploads fine).""",
            """Run `relnotes verify dist --tag "$GITHUB_REF_NAME"` after the build (or compare
            the wheel's version with the tag).""",
        ),
        _rule(
            "W27",
            "warning",
            "the build is checked before upload",
            """`twine check --strict`, check-wheel-contents and an install into a fresh virtual
            environment catch broken metadata, files and imports while they can be fixed.""",
            """After `python -m build`, run `twine check --strict dist/*` and `relnotes verify
            dist` (or check-wheel-contents and `pip install dist/*.whl` in a new venv).""",
        ),
        _rule(
            "W28",
            "error",
            "no continue-on-error on the way to PyPI",
            "A failed upload, test or release step then leaves a green run with nothing published.",
            "Remove `continue-on-error` from the publish, release and tested jobs and steps.",
        ),
        _rule(
            "W29",
            "error",
            "publish jobs run on Linux",
            "pypa/gh-action-pypi-publish is a Docker action: it runs on Linux runners only.",
            "Use `runs-on: ubuntu-latest` for the publish jobs.",
        ),
        _rule(
            "W30",
            "warning",
            "jobs have a timeout",
            "A hung job holds the runner, and the environment's approval, for six hours.",
            "Add `timeout-minutes:` to every job.",
            "check-jsonschema custom.github-workflows-require-timeout",
        ),
        _rule(
            "W31",
            "error",
            "the job that writes the release runs no third-party code",
            """A job that holds `contents: write` can rewrite the repository's tags, branches and
            releases: any package it installs, any third-party action it runs before it uses its
            token, and any `gh` put first on PATH by an earlier step runs with that power.""",
            """Render the notes in a read-only job and pass them as an artifact; in the job that
            writes, only download the artifacts and call the runner's own `/usr/bin/gh`.""",
        ),
        _rule(
            "W32",
            "warning",
            "only pinned tools touch dist/ before it is uploaded",
            """An unpinned package installed in the build job before the upload (the build tool,
            its backend through build isolation, a checker, the wheel's dependencies) can change
            the files that get published; once uploaded, the artifact is out of its reach.""",
            """Install the build tools from a requirements file with hashes (`pip install
            --require-hashes -r build-requirements.txt`), build with `--no-isolation`, upload
            dist/ right after the build, and run the checks after the upload.""",
        ),
        _rule(
            "W33",
            "warning",
            "tools are pinned where the release is built, published or written",
            """A tool installed by its name alone (`pip install twine`) is whatever the index
            holds at that moment: in a job that builds, publishes or renders the release notes,
            a new or hijacked release of it runs with that job's access and shapes what is
            released. A version pin makes each upgrade a change someone reviews; hashes make it
            exactly the files that were reviewed.""",
            """Pin each tool (`pip install "relnotes==1.4.0"`, `uvx twine@6.1.0`), or install
            them from a requirements file with hashes (`pip install --require-hashes -r
            check-requirements.txt`) that Dependabot keeps current.""",
        ),
        _rule(
            "W34",
            "error",
            "the release preview of a pull request is read-only, on the merge result",
            """`relnotes preview` on a pull request runs the pull request's code: on
            `pull_request_target`, or with write access or a secret, that code gets the base
            repository's power. And a checkout of the pull request's head instead of its
            merge with the base previews a release that misses what the base has since.""",
            """Run it on `pull_request`, in a job with `permissions: contents: read`, no
            secrets, and actions/checkout's default ref with `fetch-depth: 0`.""",
        ),
        _rule(
            "P00",
            "error",
            "pyproject.toml and the configuration can be read",
            "The build and relnotes both stop on a pyproject.toml that is not valid TOML.",
            "Fix the TOML or the configuration key named in the message.",
        ),
        _rule(
            "P01",
            "error",
            "the version comes from the tags (hatch-vcs)",
            """The pipeline is tag-driven: the build reads the version from the tag through
            hatch-vcs, so the version is never written twice.""",
            """`[build-system] requires = ["hatchling", "hatch-vcs"]`, `build-backend =
            "hatchling.build"`, `[project] dynamic = ["version"]`, `[tool.hatch.version]
            source = "vcs"`.""",
        ),
        _rule(
            "P02",
            "error",
            "no local version part",
            """(Test)PyPI rejects local versions such as `0.1.dev3+g1a2b3c4`: every main push
            would fail at the upload.""",
            """`[tool.hatch.version] raw-options = { local_scheme = "no-local-version" }` (or
            "no-local-version-strict").""",
        ),
        _rule(
            "P03",
            "warning",
            "no fallback-version",
            """A fallback hides a build without git metadata (an sdist, a shallow checkout)
            behind a made-up version instead of failing.""",
            "Remove `fallback-version` (and `fallback_version`).",
        ),
        _rule(
            "P04",
            "error",
            "a generated version file is ignored by git",
            """The build rewrites the version file: tracked, it dirties the tree and the version
            becomes `.dev0`/`+d<date>`.""",
            "`git rm --cached` the file and add it to .gitignore.",
        ),
        _rule(
            "P05",
            "error",
            "hatch-vcs reads the tags relnotes makes",
            """A `tag-pattern`/`tag_regex` that does not match tag_format's tags makes the build
            ignore every release tag.""",
            "Align `tag-pattern` with tag_format (or remove it: the default reads `v1.2.3`).",
        ),
        _rule(
            "P06",
            "warning",
            "requires-python and classifiers match the test matrix",
            "A Python version users are promised but CI never runs is untested.",
            """Test every version from requires-python's lower bound up, and list the same ones
            as classifiers.""",
        ),
    )
}

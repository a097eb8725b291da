# relnotes — every target sets itself up: a fresh clone needs only python3 (3.11+) and git.
# `make help` lists the targets.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
WORK   := .work

.DEFAULT_GOAL := help
.PHONY: help venv install demo check lint typecheck test fix bench dist hooks clean workflows \
	render-workflows rehearse doctor changelog changelog-check

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "relnotes needs Python 3.11 or newer (PYTHON=$(PYTHON))")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --group dev .  # [project].dependencies and the dev group
	@touch $(STAMP)

venv: $(STAMP) ## create .venv with the runtime and development dependencies

# A real (not editable) install: the templates are force-included into the wheel and
# importlib.resources sees them only there, so tests run against what users get.
install: $(STAMP) ## install relnotes itself into .venv (non-editable)
	@$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --force-reinstall .

demo: install ## build a sample repository and run log, notes, next-version, preview and tag --dry-run on it
	@rm -rf $(WORK)/demo
	@$(BIN)/python tests/sample_repo.py $(WORK)/demo
	@echo; echo '$$ relnotes log v0.2.0..v0.3.0'; $(BIN)/relnotes -C $(WORK)/demo log v0.2.0..v0.3.0
	@echo; echo '$$ relnotes notes v0.3.0'; $(BIN)/relnotes -C $(WORK)/demo notes v0.3.0
	@echo; echo '$$ relnotes next-version --explain'; $(BIN)/relnotes -C $(WORK)/demo next-version --explain
	@echo; echo '$$ relnotes preview'; $(BIN)/relnotes -C $(WORK)/demo preview
	@echo; echo '$$ relnotes changelog --no-unreleased'; $(BIN)/relnotes -C $(WORK)/demo changelog --no-unreleased
	@echo; echo '$$ relnotes tag --dry-run'; $(BIN)/relnotes -C $(WORK)/demo tag --dry-run 2>&1

check: lint typecheck workflows doctor test changelog-check ## lint, types, workflows, doctor, tests and a current CHANGELOG.md: what CI runs

lint: $(STAMP) ## ruff check and ruff format --check
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP) ## mypy --strict on src
	$(BIN)/mypy

# PYTEST_ARGS narrows the run (the release rehearsal runs a tagged clone's own `make check`).
PYTEST_ARGS ?=

test: install ## pytest against the installed package
	$(BIN)/python -m pytest $(PYTEST_ARGS)

WORKFLOWS := $(wildcard .github/workflows/*.yml)

# Offline: actionlint without its external linters, zizmor --offline, the vendored schema.
workflows: $(STAMP) ## lint .github: actionlint, zizmor --offline, check-jsonschema (workflows, dependabot.yml)
	$(BIN)/actionlint -shellcheck= -pyflakes= $(WORKFLOWS)
	$(BIN)/zizmor --offline --persona pedantic --no-progress --quiet .github
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows $(WORKFLOWS)
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml

doctor: install ## relnotes doctor on this project: the release rules W01-W34, P01-P06
	$(BIN)/relnotes doctor .

render-workflows: install ## rewrite .github's workflows and dependabot.yml from templates/scaffold (tests check they match)
	$(BIN)/python -c 'from relnotes.scaffold import RELNOTES, github_files; \
	[open(p, "w", encoding="utf-8").write(t) for p, t in github_files(**RELNOTES).items()]'

rehearse: install ## the tag run for real: build, verify, upload to a local pypiserver, install, notes
	$(BIN)/python -m pytest tests/test_rehearse.py -v --durations=0

# The project's own CHANGELOG.md is written by relnotes (dogfood). The check compares the
# released sections only, so a commit made after the last regeneration does not fail it.
changelog: install ## regenerate CHANGELOG.md from the project's history
	$(BIN)/relnotes changelog

changelog-check: install ## CHANGELOG.md lists every release (relnotes changelog --check)
	$(BIN)/relnotes changelog --check --no-unreleased

fix: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

PEERS := $(WORK)/bench/peers-venv

# The peers are measured from a venv of their own: never project dependencies.
$(PEERS)/.installed:
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install --quiet git-cliff commitizen git-changelog
	@touch $@

# BENCH_ARGS=--million adds the 1,000,000-commit repository (minutes to build and to read).
BENCH_ARGS ?=

bench: install $(PEERS)/.installed ## time relnotes against git log (and git-cliff, cz, git-changelog) on 10k and 100k commits
	$(BIN)/python tests/bench.py --cache $(WORK)/bench --peers $(PEERS) $(BENCH_ARGS)

dist: $(STAMP) ## build the sdist and wheel into dist/
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .

hooks: $(STAMP) ## install this repository's own pre-commit and commit-msg hooks
	$(BIN)/pre-commit install

clean: ## remove .venv, .work, dist and caches
	rm -rf $(VENV) $(WORK) dist build .pytest_cache .mypy_cache .ruff_cache

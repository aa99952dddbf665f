"""Write the hash-locked requirement files that ``make setup`` and CI install from.

    .venv/bin/python scripts/lock.py [--upgrade] [--upgrade-package NAME]...

``pyproject.toml`` keeps version *ranges* (for people who install the package); this script
resolves them once, with uv, into exact versions with hashes:

* ``requirements/site.txt``: what ``mkdocs build`` needs (the Pages workflow installs only this);
* ``requirements/dev.txt``: that plus the ``test`` extra (``make setup``, ``make test``).

Both also hold the build backend of ``[build-system]`` (setuptools), so the project itself is
installed with ``pip install --no-deps --no-build-isolation -e .`` and nothing reaches the
virtual environment without a hash. The resolution is universal (every platform, Python 3.11
and later): markers in the files choose per machine.

Re-running keeps every existing pin that still satisfies ``pyproject.toml`` (uv reads the
old file as preferences), so adding a dependency changes only what it pulls in.
``requirements/constraints.txt`` holds the few limits a universal resolution needs (a
release whose metadata promises more Pythons than its wheels cover). ``--upgrade``
moves everything to the newest allowed versions; ``--upgrade-package`` only the named ones.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LOCKS = {  # output file -> extras of pyproject.toml it includes
    "requirements/site.txt": (),
    "requirements/dev.txt": ("test",),
}
PYTHON_VERSION = "3.11"  # the lowest Python pyproject.toml allows; the resolution holds above it too


def uv_executable() -> str:
    """uv from the project's venv (the test extra pins it), else from PATH."""
    beside = Path(sys.executable).with_name("uv")
    found = str(beside) if beside.exists() else shutil.which("uv")
    if found is None:
        sys.exit("scripts/lock.py: uv not found; run `make setup` first (the test extra installs it)")
    return found


def build_requirements() -> list[str]:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["build-system"]["requires"]


def compile_command(uv: str, output: str, extras: tuple[str, ...], build_in: Path, upgrade: list[str]) -> list[str]:
    command = [
        uv,
        "pip",
        "compile",
        "--quiet",
        "--universal",
        "--python-version",
        PYTHON_VERSION,
        "--generate-hashes",
        # PyPI only, whatever index the machine's pip or uv configuration adds.
        "--index-url",
        "https://pypi.org/simple",
        "--no-config",
        "--custom-compile-command",
        "make lock",
        "--constraint",
        "requirements/constraints.txt",
        "--output-file",
        output,
        "pyproject.toml",
        str(build_in),
    ]
    for extra in extras:
        command += ["--extra", extra]
    return command + upgrade


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upgrade", action="store_true", help="newest allowed versions of everything")
    parser.add_argument("--upgrade-package", action="append", default=[], metavar="NAME")
    args = parser.parse_args(argv)
    upgrade = ["--upgrade"] if args.upgrade else []
    for name in args.upgrade_package:
        upgrade += ["--upgrade-package", name]
    uv = uv_executable()
    (ROOT / "requirements").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        # The build backend, as an extra input: [build-system] is not something uv compiles.
        build_in = Path(scratch) / "build-system.in"
        build_in.write_text("\n".join(build_requirements()) + "\n", encoding="utf-8")
        for output, extras in LOCKS.items():
            result = subprocess.run(compile_command(uv, output, extras, build_in, upgrade), cwd=ROOT)
            if result.returncode != 0:
                return result.returncode
            # uv names the temporary input in its "# via" comments; name what it stands for.
            path = ROOT / output
            path.write_text(
                path.read_text(encoding="utf-8").replace(str(build_in), "pyproject.toml [build-system]"),
                encoding="utf-8",
            )
            print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The package as ``pyproject.toml`` builds it, and the lint that ``make test`` runs first.

A clean install must print no setuptools warning, a wheel must carry every data file the code
reads, and the import order ruff checks must not depend on folders that sit untracked in the
tree (``make demo`` writes its store to ``data/``, beside the dashboard's modules).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETUPTOOLS_WARNING = re.compile(r"\w*Warning: |SetuptoolsDeprecationWarning|InformationOnly")


def _copy(names: list[str], into: Path) -> Path:
    """The named files and folders of the repository, copied without caches or build output."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    into.mkdir(parents=True, exist_ok=True)
    for name in names:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=ignore)
        else:
            shutil.copy2(source, into / name)
    return into


def test_packaging_import_order_does_not_depend_on_untracked_folders(tmp_path: Path) -> None:
    tree = _copy(["pyproject.toml", "dashboard", "bench"], tmp_path)
    # what `make demo` leaves (data/store) and folders named like the dashboard's own modules
    for folder in ("data/store", "cache", "widgets", "screens"):
        (tree / folder).mkdir(parents=True)
    ruff = Path(sys.executable).with_name("ruff")

    checked = subprocess.run(
        [str(ruff), "check", "--no-cache", "--select", "I", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.returncode == 0, checked.stdout + checked.stderr

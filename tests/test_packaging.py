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
import zipfile
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


def test_packaging_wheel_builds_without_warnings_and_carries_every_data_file(
    tmp_path: Path,
) -> None:
    tree = _copy(["pyproject.toml", "README.md", "graph", "ontology"], tmp_path / "src")
    wheels = tmp_path / "wheels"

    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    built = subprocess.run(
        [*pip, "--no-index", "--wheel-dir", str(wheels), str(tree)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert built.returncode == 0, built.stderr
    output = built.stdout + built.stderr
    assert not SETUPTOOLS_WARNING.search(output), output
    (wheel,) = wheels.glob("policygraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = [
        *(f"graph/{p.relative_to(ROOT / 'graph')}" for p in (ROOT / "graph" / "data").iterdir()),
        *(
            f"graph/{p.relative_to(ROOT / 'graph')}"
            for p in (ROOT / "graph" / "extract" / "patterns").iterdir()
        ),
        *(
            f"graph/ontology/{p.relative_to(ROOT / 'ontology')}"
            for p in (ROOT / "ontology").rglob("*")
            if p.suffix in {".ttl", ".rq"}
        ),
    ]
    assert len(shipped) > 40
    assert sorted(set(shipped) - names) == []
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "License-Expression: MIT" in zipfile.ZipFile(wheel).read(metadata).decode()


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

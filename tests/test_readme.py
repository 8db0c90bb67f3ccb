"""The README's CLI reference says what the CLI really does."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from graph.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> dict:
    root = typer.main.get_command(app)
    found: dict = {}

    def walk(group, prefix: str) -> None:  # typer ships its own click: duck-typed
        for name, command in getattr(group, "commands", {}).items():
            if getattr(command, "commands", None):
                walk(command, f"{prefix}{name} ")
            else:
                found[f"{prefix}{name}"] = command

    walk(root, "")
    return found


def _reference_rows() -> dict[str, str]:
    rows = {}
    for line in README.splitlines():
        match = re.match(r"\| `policygraph ((?:network |correct )?[a-z-]+)\b([^`]*)`", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def test_readme_lists_every_command_and_no_other():
    assert set(_reference_rows()) == set(_commands())


def test_readme_gives_every_option_of_every_command():
    rows = _reference_rows()
    checked = 0
    for name, command in _commands().items():
        for param in command.params:
            if param.param_type_name == "option" and param.name != "help":
                assert param.opts[0] in rows[name], f"{name}: {param.opts[0]} missing"
                checked += 1
    assert checked >= 10  # the options were really seen


def test_readme_gives_the_global_options():
    root = typer.main.get_command(app)
    for param in root.params:
        if param.param_type_name == "option" and param.name != "help":
            assert f"`{param.opts[0]}" in README, param.opts[0]
            if param.envvar:
                assert f"`{param.envvar}`" in README, param.envvar

"""The posthog version a project declares, from every place the issue names."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from trackplan.linter.analysis import detect_posthog_version

DECLARATIONS = {
    "pep621": ("pyproject.toml", '[project]\nname="a"\ndependencies = ["posthog>=6.1,<8"]\n'),
    "pep621_extra": (
        "pyproject.toml",
        '[project]\nname="a"\n[project.optional-dependencies]\nt = ["posthog[sentry]==5.4.0"]\n',
    ),
    "dependency_groups": (
        "pyproject.toml",
        '[dependency-groups]\ndev = ["posthoganalytics~=6.7"]\n',
    ),
    "poetry_caret": ("pyproject.toml", '[tool.poetry.dependencies]\nposthog = "^5.1"\n'),
    "poetry_table": (
        "pyproject.toml",
        '[tool.poetry.group.dev.dependencies]\nposthog = {version = ">=6.0.2"}\n',
    ),
    "uv_dev": ("pyproject.toml", '[tool.uv]\ndev-dependencies = ["posthog<6"]\n'),
    "pdm_dev": ("pyproject.toml", '[tool.pdm.dev-dependencies]\ntest = ["posthog==4.9.0"]\n'),
    "requirements": ("requirements-dev.txt", "# comment\n-r base.txt\nposthog==5.0.0  # pinned\n"),
    "setup_cfg": ("setup.cfg", "[options]\ninstall_requires =\n    posthog>=6.4\n"),
    "setup_py": ("setup.py", 'setup(name="a", install_requires=["click", "posthog>=3.0"])\n'),
}
EXPECTED = {
    "pep621": ((6, 1), "pyproject.toml"),
    "pep621_extra": ((5, 4, 0), "pyproject.toml"),
    "dependency_groups": ((6, 7), "pyproject.toml"),
    "poetry_caret": ((5, 1), "pyproject.toml"),
    "poetry_table": ((6, 0, 2), "pyproject.toml"),
    "uv_dev": ((5, 999), "pyproject.toml"),
    "pdm_dev": ((4, 9, 0), "pyproject.toml"),
    "requirements": ((5, 0, 0), "requirements-dev.txt"),
    "setup_cfg": ((6, 4), "setup.cfg"),
    "setup_py": ((3, 0), "setup.py"),
}


@pytest.mark.parametrize("kind", sorted(DECLARATIONS))
def test_declared_version_is_the_lowest_allowed(kind: str, tmp_path: Path) -> None:
    name, text = DECLARATIONS[kind]
    (tmp_path / name).write_text(text)
    found = detect_posthog_version(tmp_path)
    assert (found.version, found.source) == EXPECTED[kind]
    assert found.path == tmp_path / name


def test_config_override_wins_over_the_declaration(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("posthog>=7\n")
    found = detect_posthog_version(tmp_path, "5.4")
    assert (found.version, found.source, found.major) == ((5, 4), "config", 5)


def test_undeclared_falls_back_to_the_installed_version(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("posthog\nrequests==2.0\n")
    found = detect_posthog_version(tmp_path)
    installed = tuple(int(p) for p in metadata.version("posthog").split("."))
    assert (found.version, found.source) == (installed, "installed")


def test_unreadable_declaration_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\n")
    (tmp_path / "setup.cfg").write_text("[options]\ninstall_requires = posthog==5.2\n")
    assert detect_posthog_version(tmp_path).version == (5, 2)

"""Enables pytester for the plugin tests; the sample app is data copied into pytester dirs.

``pytest_plugins = ["pytester"]`` is refused in a conftest below the rootdir when the
whole suite runs (pytest: "Defining 'pytest_plugins' in a non-top-level conftest is no
longer supported"), so the plugin is imported when this conftest is configured instead.
"""

from __future__ import annotations

import pytest

collect_ignore = ["sample_app"]


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")

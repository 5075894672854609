"""``trackplan init``: draft a tracking plan and config from the tracking calls in the code.

Wrapper inference (:mod:`.wrappers`) finds the app's own tracking helpers; the analyzer,
told about them, reports every call; :mod:`.draft` turns the calls into plan YAML and
:mod:`.pyproject` adds ``[tool.trackplan]`` to ``pyproject.toml``.
"""

from __future__ import annotations

from trackplan.linter.init.wrappers import (
    WrapperCandidate,
    as_table,
    infer_wrappers,
    module_name,
)

__all__ = ["WrapperCandidate", "as_table", "infer_wrappers", "module_name"]

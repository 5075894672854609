"""The libcst code analyzer: recognise tracking calls by meaning and check them.

Built-in SDK knowledge (posthog, Segment, RudderStack, Mixpanel) and the project's own
wrappers are rows of one signature table; calls are matched by the qualified name their
callee resolves to, through imports, aliases, instances and project modules.

The names below are imported on first use: importing a light submodule (the model, the
SDK table, the trigger tokens) must not cost the import of libcst.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trackplan.linter.analysis.analyzer import ProjectAnalyzer
    from trackplan.linter.analysis.model import AnalysisSettings, FileAnalysis, TrackingCall
    from trackplan.linter.analysis.sdk_table import wrapper_rows
    from trackplan.linter.analysis.signatures import Signature, SignatureError, parse_signature
    from trackplan.linter.analysis.versions import PosthogVersion, detect_posthog_version

__all__ = [
    "AnalysisSettings",
    "FileAnalysis",
    "PosthogVersion",
    "ProjectAnalyzer",
    "Signature",
    "SignatureError",
    "TrackingCall",
    "detect_posthog_version",
    "parse_signature",
    "wrapper_rows",
]

_HOMES = {
    "AnalysisSettings": "model",
    "FileAnalysis": "model",
    "TrackingCall": "model",
    "PosthogVersion": "versions",
    "detect_posthog_version": "versions",
    "ProjectAnalyzer": "analyzer",
    "wrapper_rows": "sdk_table",
    "Signature": "signatures",
    "SignatureError": "signatures",
    "parse_signature": "signatures",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])

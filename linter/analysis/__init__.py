"""The libcst code analyzer: recognise tracking calls by meaning and check them.

Built-in SDK knowledge (posthog, Segment, RudderStack, Mixpanel) and the project's own
wrappers are rows of one signature table; calls are matched by the qualified name their
callee resolves to, through imports, aliases, instances and project modules.
"""

from __future__ import annotations

from trackplan.linter.analysis.analyzer import ProjectAnalyzer, wrapper_rows
from trackplan.linter.analysis.model import AnalysisSettings, FileAnalysis, TrackingCall
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

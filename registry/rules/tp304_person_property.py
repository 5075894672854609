from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class PersonProperty(Rule):
    """Person property (`$set`/`$set_once`, top level or in properties) breaks `person_properties`.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP304"
    slug = "person-property"
    default_severity = Severity.ERROR
    scopes = frozenset({"code", "payload"})
    summary = "person property (`$set`/`$set_once`, top level or in properties) breaks `person_properties`"

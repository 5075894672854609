"""Built-in SDK knowledge as data: qualified name -> signature, kind and facts.

User wrappers become rows of the same :class:`CallRow` shape, so adding an SDK means
adding rows here, not code. Instance methods are keyed by the class's qualified name
(``posthog.Client.capture``); :data:`INSTANCE_CLASSES` says which calls create such
instances and :data:`NAME_ALIASES` folds other spellings of one object onto one name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from trackplan.linter.analysis.signatures import Signature, SignatureError, parse_signature

__all__ = [
    "INSTANCE_CLASSES",
    "NAME_ALIASES",
    "SDK_MODULES",
    "CallRow",
    "RowSpec",
    "builtin_rows",
    "call_names",
    "normalise",
    "wrapper_rows",
]


@dataclass(frozen=True)
class CallRow:
    """How to read one recognised callable.

    ``event`` is the fixed event the call sends when it has no event argument
    (``$set`` for ``set``). ``removed`` is the replacement advice when the API no longer
    exists in the project's SDK version (TP502). ``legacy_positional`` marks the posthog
    >= 6 ``capture`` whose legacy positional form is TP501. ``server_capture`` marks a
    capture whose missing distinct id is worth a TP301 warning. ``sdk`` is None for a
    user wrapper.
    """

    target: str
    signature: Signature
    kind: str
    event: str | None = None
    sdk: str | None = None
    removed: str | None = None
    legacy_positional: bool = False
    server_capture: bool = False
    record: bool = True
    #: The event as a template over the call's parameters (``"app:{name}"``; a fixed
    #: event has no fields), for wrappers whose event is not one argument.
    event_template: str | None = None
    #: The event argument is an instance of a project class; its name is this class
    #: attribute (or dataclass field default), or the class name for ``__name__``.
    event_class: str | None = None
    #: ``(parameter, literal)``: the wrapper sends ``literal`` as the distinct id when the
    #: parameter is not given or falsy (``user_id or "anonymous"``).
    distinct_fallback: tuple[str, str] | None = None
    #: A literal distinct id the wrapper always sends.
    fixed_distinct: str | None = None


#: A ``[tool.trackplan.wrappers]`` value: the signature text, or a table with
#: ``signature`` and optionally ``event`` (a fixed name or a template) or ``event-class``.
WrapperSpec = str | Mapping[str, str]


@dataclass(frozen=True)
class RowSpec:
    """One line of the built-in table (``owners`` are module/class names it applies to)."""

    owners: tuple[str, ...]
    name: str
    signature: str
    kind: str
    event: str | None = None
    posthog: str | None = None  # "<6" or ">=6": only on that side of posthog 6.0
    removed: str | None = None
    legacy_positional: bool = False
    server_capture: bool = False
    record: bool = True


_PH = ("posthog", "posthog.Client")
_SEGMENT = (
    "segment.analytics",
    "segment.analytics.Client",
    "analytics",
    "analytics.Client",
    "rudderstack.analytics",
    "rudderstack.analytics.Client",
)
_MIXPANEL = ("mixpanel.Mixpanel",)

_OPTS = "**options"

SPECS: tuple[RowSpec, ...] = (
    # posthog-python 6.0.0 and later
    RowSpec(
        _PH,
        "capture",
        f"(event, *, distinct_id=None, properties=None, {_OPTS})",
        "capture",
        posthog=">=6",
        legacy_positional=True,
        server_capture=True,
    ),
    RowSpec(_PH, "set", f"(*, distinct_id=None, properties=None, {_OPTS})", "set", "$set", ">=6"),
    RowSpec(
        _PH,
        "set_once",
        f"(*, distinct_id=None, properties=None, {_OPTS})",
        "set_once",
        "$set_once",
        ">=6",
    ),
    RowSpec(
        _PH,
        "capture_exception",
        f"(exception=None, *, distinct_id=None, properties=None, {_OPTS})",
        "capture_exception",
        "$exception",
        ">=6",
    ),
    RowSpec(
        _PH,
        "identify",
        "(distinct_id=None, properties=None, **options)",
        "identify",
        "$identify",
        ">=6",
        removed="use `set(distinct_id=..., properties=...)` for person properties, "
        "or `identify_context(distinct_id)` inside `new_context()`",
    ),
    RowSpec(
        _PH,
        "page",
        "(distinct_id=None, url: None = None, properties=None, **options)",
        "page",
        "$pageview",
        ">=6",
        removed='use `capture("$pageview", distinct_id=..., properties={"$current_url": url})`',
    ),
    RowSpec(
        _PH,
        "screen",
        "(distinct_id=None, name: None = None, properties=None, **options)",
        "screen",
        "$screen",
        ">=6",
        removed='use `capture("$screen", distinct_id=..., properties={"$screen_name": name})`',
    ),
    # posthog-python 1.x - 5.x
    RowSpec(
        _PH,
        "capture",
        f"(distinct_id=None, event=None, properties=None, {_OPTS})",
        "capture",
        posthog="<6",
        server_capture=True,
    ),
    RowSpec(_PH, "set", f"(distinct_id=None, properties=None, {_OPTS})", "set", "$set", "<6"),
    RowSpec(
        _PH,
        "set_once",
        f"(distinct_id=None, properties=None, {_OPTS})",
        "set_once",
        "$set_once",
        "<6",
    ),
    RowSpec(
        _PH,
        "capture_exception",
        f"(exception=None, distinct_id=None, properties=None, {_OPTS})",
        "capture_exception",
        "$exception",
        "<6",
    ),
    RowSpec(
        _PH,
        "identify",
        f"(distinct_id=None, properties=None, {_OPTS})",
        "identify",
        "$identify",
        "<6",
    ),
    RowSpec(
        _PH,
        "page",
        f"(distinct_id=None, url: None = None, properties=None, {_OPTS})",
        "page",
        "$pageview",
        "<6",
    ),
    RowSpec(
        _PH,
        "screen",
        f"(distinct_id=None, name: None = None, properties=None, {_OPTS})",
        "screen",
        "$screen",
        "<6",
    ),
    # posthog-python, every version
    RowSpec(
        _PH,
        "alias",
        f"(previous_id: distinct_id, distinct_id, {_OPTS})",
        "alias",
        "$create_alias",
    ),
    RowSpec(
        _PH,
        "group_identify",
        f"(group_type, group_key, properties: None = None, timestamp=None, uuid=None, "
        f"disable_geoip=None, distinct_id=None, {_OPTS})",
        "group_identify",
        "$groupidentify",
    ),
    RowSpec(("posthog",), "identify_context", "(distinct_id)", "identify_context", record=False),
    # Segment 2.x (segment.analytics), Segment 1.x (analytics), RudderStack
    RowSpec(
        _SEGMENT,
        "track",
        "(user_id: distinct_id = None, event=None, properties=None, context: None = None, "
        f"timestamp=None, anonymous_id: None = None, {_OPTS})",
        "capture",
    ),
    RowSpec(
        _SEGMENT,
        "identify",
        f"(user_id: distinct_id = None, traits: properties = None, {_OPTS})",
        "identify",
    ),
    RowSpec(
        _SEGMENT,
        "alias",
        f"(previous_id: distinct_id = None, user_id: distinct_id = None, {_OPTS})",
        "alias",
    ),
    RowSpec(
        _SEGMENT,
        "group",
        f"(user_id: distinct_id = None, group_id=None, traits: None = None, {_OPTS})",
        "group_identify",
    ),
    # Mixpanel
    RowSpec(
        _MIXPANEL,
        "track",
        "(distinct_id, event_name: event, properties=None, meta: None = None)",
        "capture",
    ),
    RowSpec(_MIXPANEL, "people_set", "(distinct_id, properties, meta: None = None)", "set", "$set"),
    RowSpec(
        _MIXPANEL,
        "people_set_once",
        "(distinct_id, properties, meta: None = None)",
        "set_once",
        "$set_once",
    ),
    RowSpec(
        _MIXPANEL,
        "alias",
        "(alias_id: distinct_id, original: distinct_id, meta: None = None)",
        "alias",
    ),
)

#: Calls that create an SDK client: calling the key gives an instance of the value.
INSTANCE_CLASSES: dict[str, str] = {
    "posthog.Client": "posthog.Client",
    "segment.analytics.Client": "segment.analytics.Client",
    "analytics.Client": "analytics.Client",
    "rudderstack.analytics.Client": "rudderstack.analytics.Client",
    "mixpanel.Mixpanel": "mixpanel.Mixpanel",
}

#: Other spellings of one object, folded by prefix (longest first).
NAME_ALIASES: tuple[tuple[str, str], ...] = (
    ("posthoganalytics.client.Client", "posthog.Client"),
    ("posthoganalytics.Posthog", "posthog.Client"),
    ("posthoganalytics", "posthog"),
    ("posthog.client.Client", "posthog.Client"),
    ("posthog.Posthog", "posthog.Client"),
    ("segment.analytics.client.Client", "segment.analytics.Client"),
    ("analytics.client.Client", "analytics.Client"),
    ("rudderstack.analytics.client.Client", "rudderstack.analytics.Client"),
)

#: Top-level names of the SDK packages (prefilter tokens, look-alike checks).
SDK_MODULES: tuple[str, ...] = (
    "posthog",
    "posthoganalytics",
    "segment",
    "analytics",
    "rudderstack",
    "mixpanel",
)


def normalise(qual: str) -> str:
    """Fold another spelling of an SDK object onto its table name."""
    for alias, target in NAME_ALIASES:
        if qual == alias or qual.startswith(alias + "."):
            return target + qual[len(alias) :]
    return qual


def _applies(spec: RowSpec, posthog_major: int) -> bool:
    if spec.posthog is None:
        return True
    if spec.posthog == ">=6":
        return posthog_major >= 6
    return posthog_major < 6


def builtin_rows(posthog_major: int) -> dict[str, CallRow]:
    """The SDK rows that apply to a project on this posthog major version."""
    rows: dict[str, CallRow] = {}
    for spec in SPECS:
        if not _applies(spec, posthog_major):
            continue
        signature = parse_signature(spec.signature)
        for owner in spec.owners:
            target = f"{owner}.{spec.name}"
            rows[target] = CallRow(
                target=target,
                signature=signature,
                kind=spec.kind,
                event=spec.event,
                sdk=owner.split(".")[0],
                removed=spec.removed,
                legacy_positional=spec.legacy_positional,
                server_capture=spec.server_capture,
                record=spec.record,
            )
    return rows


def wrapper_rows(
    wrappers: Mapping[str, WrapperSpec] | Iterable[tuple[str, WrapperSpec]],
) -> dict[str, CallRow]:
    """Table rows for declared wrappers; raises :class:`SignatureError` naming the wrapper.

    A value is the signature text, or a table ``{signature = "(user)", event =
    "user_signed_up"}`` (a fixed event, or a template ``"backend:{category}:{verb}"``
    whose fields are parameters given literal arguments), or ``{signature = "(self,
    event)", event-class = "name"}`` (the event argument is an instance of a project
    class whose attribute ``name``, or the class name for ``__name__``, is the event).
    (Here, with the built-in rows, so that a lint run can check the configured
    signatures before it imports libcst.)
    """
    rows: dict[str, CallRow] = {}
    items = wrappers.items() if isinstance(wrappers, Mapping) else wrappers
    for target, spec in items:
        text = spec if isinstance(spec, str) else spec.get("signature", "")
        try:
            signature = parse_signature(text)
        except SignatureError as exc:
            raise SignatureError(f"wrapper {target!r}: {exc}") from None
        template = None if isinstance(spec, str) else spec.get("event")
        event_class = None if isinstance(spec, str) else spec.get("event-class")
        params = {p.name for p in signature.params}
        if template is not None:
            missing = [f for f in _fields(template, target) if f not in params]
            if missing:
                raise SignatureError(
                    f"wrapper {target!r}: event template field `{missing[0]}` is not a "
                    f"parameter of {text}"
                )
        if event_class is not None and "event" not in signature.roles():
            raise SignatureError(
                f"wrapper {target!r}: event-class needs a parameter with the event role in {text}"
            )
        roles = signature.roles()
        kind = "capture" if "event" in roles or template is not None else "set"
        rows[target] = CallRow(
            target, signature, kind, event_template=template, event_class=event_class
        )
    return rows


def _fields(template: str, target: str) -> list[str]:
    import string

    try:
        return [name for _, name, _, _ in string.Formatter().parse(template) if name]
    except ValueError as exc:
        raise SignatureError(f"wrapper {target!r}: event template {template!r}: {exc}") from None


def call_names(table: Mapping[str, CallRow]) -> frozenset[str]:
    """The last names of the table's targets: a call can only match a row if its callee
    ends in one of these."""
    return frozenset(target.rpartition(".")[2] for target in table)

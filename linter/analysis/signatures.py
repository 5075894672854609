"""Call signatures with roles: the one shape shared by SDK knowledge and user wrappers.

A signature is written as Python parameter text, e.g. ``"(event, distinct_id,
properties=None)"`` or ``"(self, event, **properties)"``. A parameter's *role* is
``event``, ``distinct_id`` or ``properties``: its annotation names the role when it has
one (``"(user_id: distinct_id=None, event=None)"``; the annotation ``None`` means "no
role"), otherwise its name does when it is a role name. ``**properties`` means the
call's extra keyword arguments are the event properties.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = ["ROLES", "BoundCall", "Param", "Signature", "SignatureError", "parse_signature"]

ROLES = frozenset({"event", "distinct_id", "properties"})
_SELF_NAMES = frozenset({"self", "cls"})

T = TypeVar("T")


class SignatureError(ValueError):
    """The signature text is not a Python parameter list."""


@dataclass(frozen=True)
class Param:
    """One named parameter."""

    name: str
    role: str | None
    positional: bool
    keyword: bool
    has_default: bool


@dataclass(frozen=True)
class Signature:
    """The parameters of a callable, with roles."""

    text: str
    params: tuple[Param, ...]
    varargs: bool = False
    varkw: str | None = None
    varkw_role: str | None = None

    def roles(self) -> frozenset[str]:
        """Every role some parameter carries."""
        found = {p.role for p in self.params if p.role}
        if self.varkw_role:
            found.add(self.varkw_role)
        return frozenset(found)

    def bind(
        self,
        positional: Sequence[T],
        keywords: Mapping[str, T],
        *,
        bound_method: bool = False,
    ) -> BoundCall[T]:
        """Map a call's arguments to roles the way Python binds them.

        ``bound_method`` drops a leading ``self``/``cls`` parameter (a call through an
        instance). Positional arguments beyond the named parameters are counted in
        ``extra_positional``; keywords matching no parameter go to ``extra_keywords``,
        and to the properties when ``**properties`` is declared.
        """
        params = list(self.params)
        if bound_method and params and params[0].name in _SELF_NAMES:
            params = params[1:]
        out: BoundCall[T] = BoundCall()
        positional_params = [p for p in params if p.positional]
        for index, arg in enumerate(positional):
            if index < len(positional_params):
                param = positional_params[index]
                out.by_param[param.name] = arg
                if param.role:
                    out.roles.setdefault(param.role, []).append(arg)
            else:
                out.extra_positional += 1
        by_name = {p.name: p for p in params if p.keyword}
        for name, arg in keywords.items():
            named = by_name.get(name)
            if named is None:
                out.extra_keywords[name] = arg
                continue
            out.by_param[name] = arg
            if named.role:
                out.roles.setdefault(named.role, []).append(arg)
        return out


@dataclass
class BoundCall(Generic[T]):
    """Arguments of one call by role and by parameter name."""

    roles: dict[str, list[T]] = field(default_factory=dict)
    by_param: dict[str, T] = field(default_factory=dict)
    extra_keywords: dict[str, T] = field(default_factory=dict)
    extra_positional: int = 0

    def first(self, role: str) -> T | None:
        values = self.roles.get(role)
        return values[0] if values else None


def _role_of(arg: ast.arg) -> str | None:
    note = arg.annotation
    if note is None:
        return arg.arg if arg.arg in ROLES else None
    if isinstance(note, ast.Constant) and note.value is None:
        return None
    if isinstance(note, ast.Name) and note.id in ROLES:
        return note.id
    if isinstance(note, ast.Constant) and note.value in ROLES:
        return str(note.value)
    raise SignatureError(
        f"unknown role annotation on `{arg.arg}`: use one of {', '.join(sorted(ROLES))} or None"
    )


def parse_signature(text: str) -> Signature:
    """Parse ``"(event, distinct_id, properties=None)"``; raise :class:`SignatureError`."""
    stripped = text.strip()
    if not (stripped.startswith("(") and stripped.endswith(")")):
        raise SignatureError(f"signature must be a parenthesised parameter list: {text!r}")
    try:
        tree = ast.parse(f"def _{stripped}: pass")
    except SyntaxError as exc:
        raise SignatureError(f"not a Python parameter list: {text!r} ({exc.msg})") from None
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    args = func.args
    params: list[Param] = []
    positional = [*args.posonlyargs, *args.args]
    defaults_from = len(positional) - len(args.defaults)
    for index, arg in enumerate(positional):
        params.append(
            Param(
                arg.arg,
                _role_of(arg),
                positional=True,
                keyword=index >= len(args.posonlyargs),
                has_default=index >= defaults_from,
            )
        )
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(Param(arg.arg, _role_of(arg), False, True, default is not None))
    varkw_role: str | None = None
    varkw: str | None = None
    if args.kwarg is not None:
        varkw = args.kwarg.arg
        varkw_role = "properties" if _role_of(args.kwarg) == "properties" else None
    return Signature(stripped, tuple(params), args.vararg is not None, varkw, varkw_role)

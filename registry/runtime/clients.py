"""Make every posthog-python client validate what it sends, without app changes.

Every posthog-python version from 4.5 reads ``self.before_send`` when it enqueues a
message. :func:`install` puts a data descriptor named ``before_send`` on the SDK's
client classes (``posthog.Client`` and so ``Posthog``, ``AsyncClient``, and the same
classes of ``posthoganalytics``): the app's own hook, whether passed to the
constructor, set on the module (``posthog.before_send``) or assigned later, is stored
as before, and reading the attribute returns that hook chained in front of the
validation hook (a trackplan hook the app installed itself is replaced, keeping its
chain, so e.g. its ``drop`` mode cannot hide violations from the installed hook).
Clients created before :func:`install` are covered too, because a data descriptor
wins over the instance dict. :meth:`Installation.uninstall` restores the classes.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from trackplan.registry.runtime.hook import BeforeSend, ValidationHook

__all__ = ["SDK_CLIENT_CLASSES", "Installation", "install"]

# (module, class) pairs patched when importable. Subclasses (``Posthog``) inherit.
SDK_CLIENT_CLASSES: tuple[tuple[str, str], ...] = (
    ("posthog.client", "Client"),
    ("posthog.async_client", "AsyncClient"),
    ("posthoganalytics.client", "Client"),
    ("posthoganalytics.async_client", "AsyncClient"),
)

_ATTRIBUTE = "before_send"
_CACHE = "_trackplan_before_send"
_MISSING = object()
_lock = threading.Lock()


class _ValidatingBeforeSend:
    """The descriptor: stores the app's hook, returns it chained with validation."""

    def __init__(self, hook: ValidationHook) -> None:
        self.hook = hook

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        state = obj.__dict__
        own = state.get(_ATTRIBUTE)
        cached = state.get(_CACHE)
        if cached is not None and cached[0] is own and cached[1] is self.hook:
            return cached[2]
        wrapped = self.hook.chained(_app_part(own))
        state[_CACHE] = (own, self.hook, wrapped)
        return wrapped

    def __set__(self, obj: object, value: BeforeSend | None) -> None:
        obj.__dict__[_ATTRIBUTE] = value

    def __delete__(self, obj: object) -> None:
        obj.__dict__.pop(_ATTRIBUTE, None)


def _app_part(own: object) -> BeforeSend | None:
    """The app's own hook, minus any trackplan validation the app installed itself.

    An app that validates in production (say in ``drop`` mode) would otherwise hide
    its violations from the installed hook; its own chained hook still runs.
    """
    if isinstance(own, ValidationHook):
        return own.chain
    inner = getattr(own, "__trackplan_chain__", None)
    if inner is not None:
        return _app_part(inner) if callable(inner) else None
    return own if callable(own) else None


@dataclass
class Installation:
    """The patched classes and what they held before; ``uninstall`` restores them."""

    hook: ValidationHook
    patched: list[tuple[type, object]] = field(default_factory=list)

    @property
    def classes(self) -> tuple[type, ...]:
        return tuple(cls for cls, _ in self.patched)

    def uninstall(self) -> None:
        with _lock:
            for cls, previous in reversed(self.patched):
                if previous is _MISSING:
                    if _ATTRIBUTE in cls.__dict__:
                        delattr(cls, _ATTRIBUTE)
                else:
                    setattr(cls, _ATTRIBUTE, previous)
            self.patched.clear()


def _client_classes(
    targets: tuple[tuple[str, str], ...], importer: Callable[[str], Any]
) -> list[type]:
    found: list[type] = []
    for module_name, class_name in targets:
        try:
            module = importer(module_name)
        except Exception:  # not installed, or an SDK version without that module
            continue
        cls = getattr(module, class_name, None)
        if isinstance(cls, type) and cls not in found:
            found.append(cls)
    return found


def install(
    hook: ValidationHook, targets: tuple[tuple[str, str], ...] = SDK_CLIENT_CLASSES
) -> Installation:
    """Route every client of the installed posthog SDKs through ``hook``."""
    installation = Installation(hook)
    with _lock:
        for cls in _client_classes(targets, importlib.import_module):
            previous = cls.__dict__.get(_ATTRIBUTE, _MISSING)
            setattr(cls, _ATTRIBUTE, _ValidatingBeforeSend(hook))
            installation.patched.append((cls, previous))
    return installation

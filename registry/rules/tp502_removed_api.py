from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule


class RemovedApi(Rule):
    """A posthog API removed in 6.0 is called in a project on posthog >= 6.

    **What it catches.** `identify`, `page` and `screen`, on the module or on a client, in
    a project whose declared (or installed) posthog version is 6.0 or newer. The message
    names the replacement.

    **Why it matters.** posthog 6.0.0 removed these methods. At module level the call
    raises `AttributeError` as soon as it runs, typically in the sign-up or login path; on
    a client it does the same, and the person properties, page views or screen views it
    was meant to send never arrive.

    **Example.** `posthog.identify(str(user.id), {"email": user.email})` is reported with
    the replacement `posthog.set(distinct_id=..., properties=...)`.

    **Fix.** Replace each call:

    - `identify(distinct_id, properties)` -> `set(distinct_id=distinct_id,
      properties=properties)` (or `set_once(...)` for values that must not change), plus
      `alias(previous_id, distinct_id)` to link an anonymous id, or `identify_context(id)`
      inside `new_context()` to attribute a request's events;
    - `page(distinct_id, url, properties)` -> `capture("$pageview",
      distinct_id=distinct_id, properties={"$current_url": url, ...})`;
    - `screen(distinct_id, name, properties)` -> `capture("$screen",
      distinct_id=distinct_id, properties={"$screen_name": name, ...})`.
    """

    code = "TP502"
    slug = "removed-api"
    default_severity = Severity.ERROR
    scopes = frozenset({"code"})
    summary = (
        "API removed in posthog 6 (`identify`, `page`, `screen`) used in a project on posthog >= 6"
    )
    VALID = (
        Example(
            "code",
            "import posthog\n\n"
            'posthog.set(distinct_id=str(user.id), properties={"email": user.email})\n',
        ),
        Example(
            "code",
            "import posthog\n\n"
            "posthog.capture(\n"
            '    "$pageview", distinct_id=str(user.id), properties={"$current_url": request.url}\n'
            ")\n",
        ),
    )
    INVALID = (
        Example(
            "code",
            'import posthog\n\nposthog.identify(str(user.id), {"email": user.email})\n',
        ),
        Example(
            "code",
            "import posthog\n\nposthog.page(str(user.id), request.url)\n",
        ),
        Example(
            "code",
            "from posthog import Posthog\n\n"
            'client = Posthog("phc_project_key")\n'
            'client.screen(str(user.id), "Settings")\n',
        ),
    )

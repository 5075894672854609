"""The configured version wins over the declared one: this is the 5.x shape."""
from posthog import capture, identify

capture("u1", "file_exported", {"Bad Key": True})
identify("u1", {"plan": "pro"})
capture("file_exported")

import posthog
name = "café"
posthog.capture("file_exported")

import posthog
posthog.capture("file_exported", distinct_id="")

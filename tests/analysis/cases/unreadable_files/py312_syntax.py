import posthog
type Alias = int
posthog.capture(f"{"nested"}", distinct_id="u")

import posthog

posthog.capture("excluded_by_config", distinct_id="seed")

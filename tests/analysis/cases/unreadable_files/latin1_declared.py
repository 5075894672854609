# -*- coding: latin-1 -*-
import posthog
name = "café"
posthog.capture("Café Opened", distinct_id="u")

"""The machinery behind ``trackplan validate``: payloads checked against the plan.

Apart from the lint engine (which reads source code), this package reads events
(:mod:`~trackplan.linter.validate.input`: JSON, JSONL and PostHog request bodies, line by
line, with positioned TP902 errors), checks them in worker processes
(:mod:`~trackplan.linter.validate.workers`) with the registry's validator, and renders
the verdicts (:mod:`~trackplan.linter.validate.output`, also used by ``trackplan serve``
to store violations exactly as ``validate`` prints them).
"""

"""The prefilter with thousands of tokens (inferred wrapper names on a large app)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import random, string
from trackplan.linter.prefilter import TokenMatcher
random.seed(1)
tokens = [("def " + "".join(random.choices(string.ascii_lowercase + "_", k=12)) + "(").encode()
          for _ in range(2500)]
matcher = TokenMatcher(tokens)
print(matcher(b"x = 1\\n" * 100000 + tokens[-1]), matcher(b"y = 2\\n" * 1000))
"""


def test_thousands_of_tokens_match_exactly_and_log_nothing() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split() == ["True", "False"]
    assert done.stderr == ""  # re2 would log "DFA out of memory" on the user's stderr

from posthog import Posthog
from posthog.client import Client

ph = Posthog("k", host="https://us.i.posthog.com")
_lazy = None


def configure():
    global _lazy
    _lazy = Client("k")


class Holder:
    client = Posthog("k")

from posthog import Posthog

client = Posthog("phc_key")


def get_client():
    return client

from shop.tracking.client import client


def get_posthog():
    return client

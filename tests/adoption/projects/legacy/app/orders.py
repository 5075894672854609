import posthog


def create(uid, oid):
    posthog.capture("order_created", distinct_id=uid, properties={"order_id": oid})


def old_create(uid):
    posthog.capture("order_created", distinct_id=uid, properties={})


def older_create(uid):
    posthog.capture("order_created", distinct_id=uid, properties={})


def mystery(uid):
    posthog.capture("thing_happened", distinct_id=uid)

"""Celery tasks that send events: `.delay(...)` and `.apply_async(...)` call them."""

import posthog
from celery import shared_task


@shared_task
def track_event(event_name, user_id, properties=None):
    posthog.capture(event_name, distinct_id=user_id, properties=properties)


class OrderShipped:
    action = "order_shipped"


def submit(event, user_id):
    posthog.capture(str(event.action), distinct_id=user_id)

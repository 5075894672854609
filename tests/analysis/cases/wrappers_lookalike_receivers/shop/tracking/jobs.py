from shop.tracking import tasks
from shop.tracking.tasks import OrderShipped, submit, track_event


def on_invite(user):
    track_event.delay("user_invited", user.id, {"role": "admin"})
    track_event.delay("user_invted", user.id)
    tasks.track_event.apply_async(args=["user_invited", user.id], countdown=5)
    track_event.apply_async(kwargs={"event_name": "user_joined", "user_id": user.id})
    submit(OrderShipped(), user.id)

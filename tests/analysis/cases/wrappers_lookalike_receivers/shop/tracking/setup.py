from posthog import Posthog

from shop.tracking.service import EventService

service = EventService(Posthog("phc_key"))


def refund_issued(user):
    service.emit("refund_issued", user)

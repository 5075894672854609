from app import clients
from app.analytics import Analytics
from app.clients import _posthog, get_client, get_posthog, posthog
from app.onboarding import Watcher, lookalike, offer


def main(request, user):
    analytics = Analytics(user.id)
    offer(None, analytics)
    Watcher(None, analytics=analytics).run()
    _posthog.capture("file_exported", distinct_id=user.id)
    get_posthog().capture("file_exported", distinct_id=user.id)
    get_client().capture("file_exported", distinct_id=user.id)
    posthog.capture("file_exported", distinct_id=user.id)
    clients.posthog.capture("file_exported", distinct_id=user.id)
    request.app.state.analytics_client.capture("file_exported", distinct_id=user.id)
    lookalike(object())


def flows(user):
    from app.onboarding import offer_flow

    offer_flow(None, Analytics(user.id))

from posthog import Posthog


def lifespan(app):
    app.state.analytics_client = Posthog("phc_key")

"""Mixpanel: Mixpanel(...).track, people_set, alias."""

from mixpanel import Mixpanel

mp = Mixpanel("token")

def go(user):
    mp.track(user.id, "user_signed_up", {"signup_method": "github"})
    mp.track("None", "Order Created")
    mp.people_set(user.id, {"email": "bad"})
    mp.alias("anonymous", user.id)
    Mixpanel("t").track(user.id, "file_exported")

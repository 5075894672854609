"""The sample app's own test suite: it never mentions trackplan except the fixture."""

import shopapp


def test_order_is_tracked():
    shopapp.place_order("u1", "o-1", 20)


def test_redacted_card_number_is_not_an_undeclared_property():
    shopapp.place_order("u1", "o-2", 5, card_number="4111111111111111")


def test_negative_amount():
    shopapp.place_order("u2", "o-3", -5)


def test_signup_with_unknown_method():
    shopapp.sign_up("u3", "fax")


def test_plan_change_to_unknown_plan():
    shopapp.change_plan("u4", "platinum")


def test_signup_via_google():
    shopapp.sign_up("u5", "google")

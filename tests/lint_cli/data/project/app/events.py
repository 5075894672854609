"""Event names used across the app."""

SIGNED_UP = "user_signed_up"
ORDER_CREATED = "order_created"

import posthog


def handlers(user):
    posthog.capture("coupon_applied", distinct_id=user.id)  # trackplan: ignore[TP201]
    posthog.capture("cart_emptied", distinct_id=user.id)  # noqa: E501, TP201
    posthog.capture("wishlist_shared", distinct_id=user.id)  # trackplan: ignore
    posthog.capture("gift_wrapped", distinct_id=user.id)  # trackplan: ignore[TP302]
    note = "# trackplan: ignore"; posthog.capture("review_posted", distinct_id=user.id)
    return note

SIGNED_UP = "user_signed_up"
SIGNED_UP_TYPO = "user_sined_up"

SIGNED_UP = "user_signed_up"

def track(*args, **kwargs):
    return None

class Commands:
    def __init__(self, io, coder):
        self.io = io
        self.coder = coder  # the Coder that made this object passes itself

    def run(self, inp):
        self.coder.event("command_run")

    def cmd_exit(self):
        self.coder.event("exit", reason="/exit")

    def cmd_help(self):
        self.coder.event("interactive help")

    def clone(self):
        return Commands(self.io, None)  # None: says nothing about the type


class Recorder:
    """Passed a Logger's self: `event` of a Logger is not a tracking call."""

    def __init__(self, owner):
        self.owner = owner

    def note(self):
        self.owner.event("command_run")

class Recorder:
    def capture(self, event):
        return event


def noise(recorder: Recorder):
    recorder.capture("not_an_event")

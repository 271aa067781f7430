"""The checks of a script run by make rather than pytest (`make image-test`, `make
scale-test`): each prints `ok` or `FAIL` with what was seen, and is counted."""


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)
        return ok

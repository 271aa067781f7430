"""once_per_run: test processes asking at once get one value, worked out by one of them."""

import multiprocessing
import os

from tests.support.once_per_run import once_per_run


def _ask(tmp_path_factory, log, start):
    start.wait()

    def work_out():
        with open(log, "a") as kept:
            kept.write(f"{os.getpid()}\n")
        return {"worked out by": os.getpid()}

    return once_per_run(tmp_path_factory, "the-answer", work_out)


def _ask_into(tmp_path_factory, log, start, answers):
    answers.put(_ask(tmp_path_factory, log, start))


def test_processes_asking_at_once_share_one_value_worked_out_once(tmp_path_factory, tmp_path):
    log = tmp_path / "worked-out.log"
    forking = multiprocessing.get_context("fork")
    start, answers = forking.Event(), forking.Queue()
    askers = [
        forking.Process(target=_ask_into, args=(tmp_path_factory, log, start, answers))
        for _ in range(4)
    ]
    for asker in askers:
        asker.start()
    start.set()
    got = [answers.get(timeout=30) for _ in askers]
    for asker in askers:
        asker.join(timeout=30)

    workers = log.read_text().split()
    assert len(workers) == 1
    assert got == [{"worked out by": int(workers[0])}] * 4
    # And this process, asking later, is given the same without working it out again.
    assert _ask(tmp_path_factory, log, start) == got[0]
    assert log.read_text().split() == workers

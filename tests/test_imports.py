"""Every module of the app imports on its own, whatever was imported before it.

Features read each other's models and queries; a module that only worked when something
else happened to be imported first (an import cycle) would fail in a worker, a command or
a migration that imports it first. Each module is imported into a fresh set of modules
(in a forked child of a process that has the app's libraries loaded), the modules shared
out among a process per core. The modules are in two halves, this module's and
tests/test_imports_other_half.py's, so that two test processes share them.
"""

import os
import pkgutil
import subprocess
import sys

import pytest

import webapp

IMPORT_EACH_ALONE = """
import importlib, os, sys
names = sys.argv[1:]


def ours(module):
    return module == "webapp" or module.startswith("webapp.")


# The libraries the app loads are loaded here once: those a child found by importing all
# of it, so that nothing of the app's own (nor what it registers with a library, such as
# its metrics) stays here. Then each module is imported in a child of this process, with
# none of the app's modules: nothing an import leaves behind reaches the next.
reader, writer = os.pipe()
finder = os.fork()
if finder == 0:
    os.close(reader)
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass  # said below, by the child that imports it first
    with os.fdopen(writer, "w") as out:
        out.write("\\n".join(m for m in sys.modules if not ours(m)))
    os._exit(0)
os.close(writer)
with os.fdopen(reader) as found:
    libraries = found.read().split()
os.waitpid(finder, 0)
for library in libraries:
    if library not in sys.modules:
        try:
            importlib.import_module(library)
        except Exception:
            pass  # loaded under another name, or only by its package
sys.stdout.flush()
failed = 0
for name in names:
    child = os.fork()
    if child == 0:
        try:
            importlib.import_module(name)
        except BaseException as error:
            print(f"{name}: {type(error).__name__}: {error}", flush=True)
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(child, 0)
    failed += status != 0
if not failed:
    print(f"{len(names)} modules")
sys.exit(1 if failed else 0)
"""


def app_modules():
    names = [m.name for m in pkgutil.walk_packages(webapp.__path__, "webapp.")]
    assert len(names) > 100, "the app's modules were not found"
    return names


def assert_each_imports_alone(names):
    """Import each of names first, in a fresh set of modules, in a process per core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    shares = [names[start :: max(cores, 1)] for start in range(max(cores, 1))]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", IMPORT_EACH_ALONE, *share],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for share in shares
    ]
    for process, share in zip(processes, shares, strict=True):
        out, err = process.communicate()
        assert process.returncode == 0, out + err
        assert out.strip() == f"{len(share)} modules"


# Each of some hundred modules imports the app's packages afresh: on a busy machine that
# outlasts the suite's default minute, with nothing wrong.
@pytest.mark.timeout(300)
def test_every_module_imports_first():
    assert_each_imports_alone(app_modules()[0::2])

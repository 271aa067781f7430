"""Every module of the app imports on its own, whatever was imported before it.

Features read each other's models and queries; a module that only worked when something
else happened to be imported first (an import cycle) would fail in a worker, a command or
a migration that imports it first. Each module is imported into a fresh set of modules,
the modules shared out among a process per core. The modules are in two halves, this
module's and tests/test_imports_other_half.py's, so that two test processes share them.
"""

import os
import pkgutil
import subprocess
import sys

import pytest

import webapp

IMPORT_EACH_ALONE = """
import importlib, sys
names = sys.argv[1:]
failures = []
for name in names:
    for loaded in [k for k in sys.modules if k == "webapp" or k.startswith("webapp.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as error:
        failures.append(f"{name}: {type(error).__name__}: {error}")
print("\\n".join(failures) or f"{len(names)} modules")
sys.exit(1 if failures else 0)
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

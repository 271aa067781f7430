"""Every module of the app imports on its own, whatever was imported before it.

Features read each other's models and queries; a module that only worked when something
else happened to be imported first (an import cycle) would fail in a worker, a command or
a migration that imports it first. Each module is imported into a fresh set of modules.
"""

import subprocess
import sys

IMPORT_EACH_ALONE = """
import importlib, pkgutil, sys
import webapp
names = [m.name for m in pkgutil.walk_packages(webapp.__path__, "webapp.")]
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


def test_every_module_imports_first():
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH_ALONE], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "modules" in result.stdout

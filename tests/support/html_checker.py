"""The Nu Html Checker (npm's vnu-jar, the W3C validator's engine) as a local service, for
the pages the browser tests visit (tests/browser/conftest.py, check_page).

`make test` installs the jar (VNU_JAR); one checker starts per test process, on the first
page it is given, and stops with the process. Every error counts but those about htmx's
own hx-* attributes, which HTML does not know and browsers keep as they are.
"""

import atexit
import hashlib
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
JAR = Path(
    os.environ.get("VNU_JAR") or ROOT / ".venv-tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
)
STARTUP_SECONDS = 60
# The checker lives as long as its test process and checks some hundred pages: over so
# short a life the JIT's second tier costs more processor time than it saves, and one
# collector thread beside the tests is enough. Code of the first tier alone keeps deeper
# stacks: loading the schema overflowed the stack size that sufficed with both tiers.
JAVA_OPTIONS = ("-Xss8m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
_service = {}
# The errors found in each document checked, by its digest: a test looks at the same page
# at two widths, and the checker reads only the markup.
_checked = {}


def available():
    return JAR.exists() and shutil.which("java") is not None


def _start():
    port = free_port()
    process = subprocess.Popen(
        ["java", *JAVA_OPTIONS, "-cp", str(JAR), "nu.validator.servlet.Main", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    atexit.register(process.terminate)
    url = f"http://127.0.0.1:{port}/?out=json"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
            return url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the Nu Html Checker did not start in {STARTUP_SECONDS} s")


def errors(html):
    """The checker's errors in html (a whole page), each as its message and the text
    around it, leaving out htmx's attributes."""
    digest = hashlib.sha256(html.encode()).hexdigest()
    if digest not in _checked:
        _checked[digest] = _check(html)
    return list(_checked[digest])


def _check(html):
    if "url" not in _service:
        _service["url"] = _start()
    request = urllib.request.Request(  # noqa: S310 - the local checker
        _service["url"],
        data=html.encode(),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
        messages = json.load(answer)["messages"]
    return [
        f"{message['message']} [{message.get('extract', '').strip()}]"
        for message in messages
        if message["type"] == "error" and not _about_htmx(message["message"])
    ]


def _about_htmx(text):
    return text.startswith("Attribute “hx-") and "not allowed on element" in text

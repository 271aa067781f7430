"""`make image-test`: the built image does what docs/deployment.md promises an operator.

Runs the image's own entrypoint (`release`, `web`, `worker`) with `buildah run`, which
shares this machine's loopback, against a scratch PostgreSQL database, the test Redis and
an SMTP listener (tests/support/smtp.py):

- `release` migrates the scratch database;
- `web` answers /healthz, /readyz and the home page behind a proxy (TRUSTED_PROXY_HOPS);
- a signup through `web` queues a verification email that `worker` delivers by SMTP;
- every process runs as a user other than root;
- nothing is written outside the instance and upload folders (bind-mounted here as a
  runtime mounts volumes), compared file by file, and /tmp is closed to the app's user so
  a file written and removed at once would fail too;
- the image's size is printed.

Each check prints `ok` or `FAIL` with what was seen; the last line counts them, and the
exit status is 1 when one failed. IMAGE (localhost/hearth:latest), TEST_DATABASE_URL (its
server hosts the scratch database), TEST_REDIS_URL (redis://127.0.0.1:6379/9).
"""

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg

from tests.support.checks import Checks
from tests.support.ports import free_port
from tests.support.smtp import SMTPListener

IMAGE = os.environ.get("IMAGE", "localhost/hearth:latest")
# As `make image` stores it (HEARTH_IMAGE_STORAGE, see the Makefile).
STORAGE = "--root /var/lib/containers/hearth-overlay --storage-driver overlay"
BUILDAH = ["buildah", *os.environ.get("HEARTH_IMAGE_STORAGE", STORAGE).split()]
APP_UID = 10001
WRITABLE = ("/app/instance", "/app/uploads")
# Mounted or written by the runtime (as root) while a command runs.
RUNTIME_MOUNTS = ("/proc", "/sys", "/dev")
RUNTIME_FILES = ("/run", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname")
# In the environment of every process this run starts, to find them in /proc.
MARKER = f"HEARTH_IMAGE_CHECK={os.getpid()}-{secrets.token_hex(4)}"


def buildah(*args, **kwargs):
    return subprocess.run([*BUILDAH, *args], check=True, capture_output=True, text=True, **kwargs)


def snapshot(root):
    """Every path in the container's filesystem: kind, size, mode, owner, mtime."""
    root = Path(root)
    seen = {}
    for folder, dirs, files in os.walk(root):
        inside = os.path.relpath(folder, root)
        relative = "/" if inside == "." else "/" + inside
        if relative in (*RUNTIME_MOUNTS, *WRITABLE):
            dirs[:] = []
            continue
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            key = relative.rstrip("/") + "/" + name
            seen[key] = (info.st_mode, info.st_size, info.st_uid, info.st_mtime_ns)
    return seen


def container_pids():
    """The processes this run started in the container (its marker in their environment)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if MARKER.encode() in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
    return found


def main_pids():
    """The command each `buildah run` started (buildah-chroot-exec's children)."""
    found = []
    for pid in container_pids():
        with contextlib.suppress(OSError, AttributeError):
            status = Path(f"/proc/{pid}/status").read_text()
            parent = re.search(r"^PPid:\s+(\d+)", status, re.M).group(1)
            if Path(f"/proc/{parent}/cmdline").read_bytes().startswith(b"buildah-chroot-exec"):
                found.append(pid)
    return found


def uids(pids):
    seen = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{pid}/status").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            seen[pid] = (int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1)), cmd.strip())
    return seen


def stop(process, timeout=30):
    """SIGTERM to the command `buildah run` started, as a runtime stops a container."""
    for pid in main_pids():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        for pid in container_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.kill()
        process.wait()


class Web:
    """HTTP to the image's gunicorn as a proxy in front would send it."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        sent = {
            "Host": "hearth.example.org",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "192.0.2.10",
            **(headers or {}),
        }
        if self.cookies:
            # Secure cookies: the proxy speaks HTTPS to the browser, HTTP to the app.
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text


def form_errors(page):
    """The messages a refused form shows beside its fields, else the page's start."""
    found = re.findall(r'id="[\w-]+-error"[^>]*>\s*([^<]+?)\s*<', page)
    return "; ".join(found) or page[:300]


def wait_for_health(web, process, seconds=90):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"the web command exited with {process.returncode}"
        try:
            status, _, body = web.request("GET", "/healthz")
            if status == 200:
                return None
            last = f"{status} {body[:200]}"
        except OSError as error:
            last = repr(error)
        time.sleep(0.5)
    return f"no 200 from /healthz in {seconds} s (last: {last})"


def main():
    checks = Checks()
    check = checks.check
    try:
        config = json.loads(buildah("inspect", "--type", "image", IMAGE).stdout)
    except subprocess.CalledProcessError as error:
        print(f"FAIL no image {IMAGE}: run `make image` first ({error.stderr.strip()})")
        return 1
    oci = config["OCIv1"]["config"]
    listed = buildah("images", "--format", "{{.Size}}", IMAGE).stdout.split("\n")[0]
    check(
        "the image runs the entrypoint with `web` by default, as a user other than root",
        oci.get("Entrypoint") == ["/app/docker-entrypoint.sh"]
        and oci.get("Cmd") == ["web"]
        and oci.get("User") == "hearth",
        f"Entrypoint {oci.get('Entrypoint')}, Cmd {oci.get('Cmd')}, User {oci.get('User')}",
    )
    check(
        "the image has a HEALTHCHECK and PYTHONUNBUFFERED",
        "healthz" in json.dumps(config.get("Docker", {}).get("config", {}).get("Healthcheck"))
        and "PYTHONUNBUFFERED=1" in oci.get("Env", []),
    )
    check(
        "the image declares its writable folders as volumes",
        sorted(oci.get("Volumes") or {}) == sorted(WRITABLE),
        f"Volumes {sorted(oci.get('Volumes') or {})}",
    )

    server = urllib.parse.urlsplit(
        os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/x")
    )
    database = f"hearth_image_{int(time.time())}_{os.getpid()}"
    admin_url = f"postgresql://{server.netloc}/postgres"
    database_url = f"postgresql+psycopg://{server.netloc}/{database}"
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
    queue = f"hearth-image-{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')

    smtp = SMTPListener()
    smtp.start()
    volumes = Path(tempfile.mkdtemp(prefix="hearth-image-"))
    container = buildah("from", "--pull=never", IMAGE).stdout.strip()
    # The image's own VOLUMEs off this container: buildah would mount an anonymous volume
    # of its own at each of them as well as the folder given with --volume, in either
    # order from one run to the next, and a command's files would land in either.
    buildah("config", *(part for path in WRITABLE for part in ("--volume", f"{path}-")), container)
    root = buildah("mount", container).stdout.strip()
    try:
        for name in ("instance", "uploads"):
            (volumes / name).mkdir()
            os.chown(volumes / name, APP_UID, APP_UID)
        # /tmp closed to the app's user: a write there fails the run instead of vanishing.
        os.chmod(Path(root) / "tmp", 0o755)  # noqa: S103 (narrower than its 1777)
        before = snapshot(root)
        files = sum(entry[1] for entry in before.values() if stat.S_ISREG(entry[0]))

        port = free_port()
        env = {
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "QUEUE_NAME": queue,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp.port),
            "MAIL_DEFAULT_SENDER": "Hearth <hearth@example.org>",
            "BASE_URL": "https://hearth.example.org",
            "TRUSTED_PROXY_HOPS": "1",
            "PORT": str(port),
            "WEB_CONCURRENCY": "2",
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        }
        run = [
            *BUILDAH,
            "run",
            "--isolation",
            "chroot",
            "--volume",
            f"{volumes / 'instance'}:/app/instance",
            "--volume",
            f"{volumes / 'uploads'}:/app/uploads",
            *(part for key, value in env.items() for part in ("--env", f"{key}={value}")),
            "--env",
            MARKER,
            container,
            "--",
            *oci["Entrypoint"],
        ]

        started = time.monotonic()
        release = subprocess.run(
            [*run, "release"], capture_output=True, text=True, timeout=120, check=False
        )
        with psycopg.connect(f"postgresql://{server.netloc}/{database}") as connection:
            tables = connection.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()[0]
            version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        check(
            "`release` migrates a new database",
            release.returncode == 0 and tables > 5 and len(version) == 1,
            f"exit {release.returncode}, {tables} tables, alembic at {version}, "
            f"{time.monotonic() - started:.1f} s"
            + ("" if release.returncode == 0 else "\n" + release.stderr[-2000:]),
        )

        pages = subprocess.run(
            [*run, "flask", "balancer-pages", "/app/instance/balancer-pages"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        pages_folder = volumes / "instance" / "balancer-pages"
        check(
            "`flask balancer-pages` writes the balancer's pages into a volume",
            pages.returncode == 0
            and (pages_folder / "502.http").is_file()
            and b'data-status="no-answer"' in (pages_folder / "502.http").read_bytes(),
            f"exit {pages.returncode}: {sorted(path.name for path in pages_folder.glob('*'))}"
            + ("" if pages.returncode == 0 else "\n" + pages.stderr[-2000:]),
        )

        web_log = open(volumes / "web.log", "w+")  # noqa: SIM115 (read at the end)
        web_process = subprocess.Popen([*run, "web"], stdout=web_log, stderr=subprocess.STDOUT)
        web = Web(port)
        try:
            problem = wait_for_health(web, web_process)
            check("`web` answers /healthz", problem is None, problem or "")
            status, _, body = web.request("GET", "/readyz")
            check("`web` answers /readyz: database and Redis ready", status == 200, body[:300])
            status, _, body = web.request("GET", "/")
            check(
                "`web` serves the home page behind an HTTPS proxy",
                status == 200 and "Hearth" in body,
                f"{status} {body[:200] if status != 200 else ''}",
            )
            web_users = uids(container_pids())
            workers = [cmd for _, cmd in web_users.values() if "gunicorn" in cmd]
            check(
                "`web` runs gunicorn with WEB_CONCURRENCY workers, none as root",
                len(workers) == 3 and all(uid == APP_UID for uid, _ in web_users.values()),
                f"{sorted(web_users.values())}",
            )

            address = f"image-{secrets.token_hex(4)}@example.org"
            status, _, form = web.request("GET", "/signup")
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
            # Upper and lower case, a digit and a special character, as the form asks.
            password = f"Aa1!{secrets.token_urlsafe(18)}"
            body = urllib.parse.urlencode(
                {
                    "csrf_token": token.group(1) if token else "",
                    "email": address,
                    "first_name": "Image",
                    "last_name": "Check",
                    "password": password,
                    "confirm": password,
                    "time_zone": "UTC",
                }
            )
            status, headers, answer = web.request(
                "POST",
                "/signup",
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": "https://hearth.example.org/signup",
                    "Origin": "https://hearth.example.org",
                },
            )
            refused = form_errors(answer) if status >= 400 else ""
            check(
                "`web` takes a signup and queues its email",
                status in (302, 303) and smtp.messages == [],
                f"{status} {headers.get('Location', '')} {refused}",
            )
        finally:
            stop(web_process)
            web_log.seek(0)
            web_output = web_log.read()
            web_log.close()
        check(
            "`web` stops cleanly on SIGTERM",
            web_process.returncode == 0,
            f"exit {web_process.returncode} {web_output[-2000:] if web_process.returncode else ''}",
        )

        worker_log = open(volumes / "worker.log", "w+")  # noqa: SIM115 (read at the end)
        worker = subprocess.Popen([*run, "worker"], stdout=worker_log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            worker_users = {}
            while time.monotonic() < deadline and not smtp.messages and worker.poll() is None:
                worker_users.update(uids(container_pids()))
                time.sleep(0.3)
            worker_users.update(uids(container_pids()))
            delivered = [m for m in smtp.messages if address in str(m["To"])]
            check(
                "`worker` delivers the queued email to the SMTP server",
                len(delivered) == 1 and "/verify/" in delivered[0].get_body().get_content(),
                f"{len(smtp.messages)} message(s) received"
                + (f": {delivered[0]['Subject']!r}" if delivered else ""),
            )
            check(
                "`worker` runs as a user other than root",
                worker_users and all(uid == APP_UID for uid, _ in worker_users.values()),
                f"{sorted(worker_users.values())}",
            )
        finally:
            stop(worker)
            worker_log.seek(0)
            worker_output = worker_log.read()
            worker_log.close()
        if checks.failed:
            print("--- web output (last lines)\n" + web_output[-3000:])
            print("--- worker output (last lines)\n" + worker_output[-3000:])

        after = snapshot(root)
        changed = sorted(
            path
            for path in before.keys() | after.keys()
            if before.get(path) != after.get(path)
            # What the runtime itself puts there (as root), as Docker does too.
            and not (
                path.startswith(RUNTIME_FILES) and (after.get(path) or before.get(path))[2] == 0
            )
        )
        check(
            "nothing is written outside the instance and upload folders",
            not changed,
            ", ".join(changed[:20]),
        )
        written = [
            str(path.relative_to(volumes))
            for path in volumes.rglob("*")
            if path.parent != volumes and path.stat().st_uid == APP_UID
        ]
        print(f"     written in the volumes, by uid {APP_UID}: {written[:10] or 'nothing'}")
    finally:
        smtp.stop()
        subprocess.run([*BUILDAH, "umount", container], capture_output=True, check=False)
        subprocess.run([*BUILDAH, "rm", container], capture_output=True, check=False)
        shutil.rmtree(volumes, ignore_errors=True)
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    print(f"image {IMAGE}: {listed} as buildah lists it; {files / 1e6:.0f} MB in its files")
    print(f"image: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())

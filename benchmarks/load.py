"""Talking to a running instance: one request at a time (login, probes), and wrk."""

import http.client
import json
import re
import subprocess
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

REPORT_SCRIPT = Path(__file__).with_name("wrk_report.lua")
# The same agent everywhere: Flask-Login ties a session to it, so a different one in wrk
# than at login would mark the session non-fresh and rewrite the cookie on every request.
USER_AGENT = "hearth-bench/1"
CSRF_IN_PAGE = re.compile(r'"X-CSRFToken": "([^"]+)"')
CSRF_IN_FORM = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# The status of an answer that never came whole: the connection closed before it, or in
# the middle of its body (a balancer relaying a node that died as it wrote). A browser
# reports it as a network error, and the person sends again.
DROPPED = "dropped"


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float


@dataclass
class Browser:
    """Keeps cookies the way a browser would, for one instance on loopback."""

    port: int
    cookies: dict = field(default_factory=dict)

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method, path, headers=None, body=None, timeout=30.0):
        headers = {"User-Agent": USER_AGENT, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                expired = morsel["expires"] and "1970" in morsel["expires"]
                if expired or not morsel.value or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Answer(response.status, response.headers, content, time.perf_counter() - started)

    def attempt(self, method, path, headers=None, body=None, timeout=30.0):
        """request, but an answer that never came whole is an Answer with status DROPPED
        rather than an exception, as a browser sees it. A timeout still raises."""
        started = time.perf_counter()
        try:
            return self.request(method, path, headers, body, timeout)
        except (http.client.HTTPException, ConnectionError):
            return Answer(DROPPED, http.client.HTTPMessage(), b"", time.perf_counter() - started)

    def log_in(self, email, password):
        """Log in through the login form, then settle the session (flash shown, CSRF kept)."""
        page = self.request("GET", "/login")
        html = page.body.decode()
        token = (CSRF_IN_PAGE.search(html) or CSRF_IN_FORM.search(html)).group(1)
        form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
        answer = self.request(
            "POST",
            "/login",
            headers={"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": token},
            body=form,
        )
        if answer.status not in (302, 303):
            raise RuntimeError(f"logging in as {email} answered {answer.status}")
        self.request("GET", "/")
        return self.cookie_header()


def page_headers(page, cookie):
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate, br"}
    if page.logged_in:
        headers["Cookie"] = cookie
    if page.htmx:
        headers["HX-Request"] = "true"
    return headers


def next_path(port, page, cookie):
    """The address the Next link of the page at page.next_of leads to, as it is now."""
    answer = Browser(port).request("GET", page.next_of, page_headers(page, cookie))
    return page.next_address(answer.body.decode())


def live_path(port, page, cookie):
    """The address a live part polls, as the page at page.live_of shows it now, polled
    once: the seeder writes no live topic to Redis, and a part's first poll after Redis
    forgot its topic renders it and tells Redis its version (webapp.live). The load then
    measures polls that find the version current, as an open page's nearly all are."""
    headers = page_headers(page, cookie)
    answer = Browser(port).request("GET", page.live_of, headers)
    path = page.live_address(answer.body.decode())
    Browser(port).request("GET", path, headers)
    return path


def probe(port, page, cookie, timeout, path):
    """One request as the load will send it: status, SQL statements, size and time."""
    browser = Browser(port)
    try:
        answer = browser.request("GET", path, page_headers(page, cookie), timeout=timeout)
    except TimeoutError:
        return {"status": None, "seconds": timeout, "timed_out": True}
    return {
        "status": answer.status,
        "seconds": answer.seconds,
        "timed_out": False,
        "queries": answer.headers.get("X-Hearth-Queries"),
        "bytes": len(answer.body),
        "sets_cookie": bool(answer.headers.get_all("Set-Cookie")),
    }


def run_wrk(port, page, cookie, seconds, connections, threads, path):
    """wrk against one page for `seconds`; requests, req/s and latencies in ms."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(REPORT_SCRIPT)]
    for name, value in page_headers(page, cookie).items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(  # noqa: S603  (our own wrk command line)
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    result = json.loads(line.removeprefix("BENCH "))
    return {
        "requests": result["requests"],
        "rps": result["requests"] / (result["duration_us"] / 1e6),
        "p50": result["p50_us"] / 1000,
        "p99": result["p99_us"] / 1000,
        "errors": result["status_errors"] + result["socket_errors"],
    }

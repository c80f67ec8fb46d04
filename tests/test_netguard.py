"""The SSRF guard: address classes, URL checks, connect-time checks and redirects."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import httpcore
import httpx
import pytest

from tidings.errors import BlockedAddressError, FetchError
from tidings.fetching import Accept, Fetcher, FetchResult
from tidings.netguard import GuardedBackend, GuardedTransport, blocked_reason, check_url
from tidings.settings import Settings

PAGE = "<html><body><p>Ferry timetable.</p></body></html>"


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "metadata"),
        ("169.254.1.1", "link-local"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("100.100.100.200", "metadata"),
        ("168.63.129.16", "metadata"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 (an address under test, not a bind)
        ("255.255.255.255", "a "),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fd00:ec2::254", "metadata"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "IPv6 form of a loopback"),
        ("::ffff:10.0.0.1", "IPv6 form of a private"),
        ("::ffff:169.254.169.254", "IPv6 form of a cloud metadata"),
        ("64:ff9b::a00:1", "IPv6 form of a private"),
        ("2002:7f00:1::", "IPv6 form of a loopback"),
    ],
)
def test_blocked_addresses(address: str, reason: str) -> None:
    assert reason in (blocked_reason(address) or "")


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::"]
)
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(address) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/",
        "http://[::1]/",
        "http://[::ffff:7f00:1]/",
        "http://LOCALHOST./",
        "http://printer.localhost/",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_check_url_refuses_local_targets(url: str) -> None:
    with pytest.raises(BlockedAddressError, match="refused"):
        check_url(httpx.URL(url), ())


def test_check_url_rules() -> None:
    check_url(httpx.URL("https://news.example.org/a"), ())
    check_url(httpx.URL("http://127.0.0.1:8080/"), ("127.0.0.1",))
    check_url(httpx.URL("http://[::1]:8080/"), ("[::1]",))
    with pytest.raises(BlockedAddressError):
        check_url(httpx.URL("http://localhost/"), ("127.0.0.1",))
    with pytest.raises(FetchError, match="only http and https") as caught:
        check_url(httpx.URL("file:///etc/passwd"), ())
    assert not isinstance(caught.value, BlockedAddressError)


class Recorder(httpcore.AsyncNetworkBackend):
    """An inner backend that records where it was asked to connect, and refuses."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(host)
        raise httpcore.ConnectError("no network in tests")


def fake_resolver(table: dict[str, list[str]]) -> Any:
    async def resolve(host: str, port: int) -> list[str]:
        return table[host]

    return resolve


def connect(backend: GuardedBackend, host: str) -> None:
    asyncio.run(backend.connect_tcp(host, 80, timeout=1.0))


def test_backend_refuses_names_resolving_to_private_addresses() -> None:
    inner = Recorder()
    table = {"news.test": ["93.184.216.34", "10.0.0.7"]}
    backend = GuardedBackend(inner=inner, resolver=fake_resolver(table))
    with pytest.raises(BlockedAddressError, match=r"news\.test resolves to 10\.0\.0\.7"):
        connect(backend, "news.test")
    assert inner.calls == []


def test_backend_connects_to_the_checked_address() -> None:
    inner = Recorder()
    table = {"news.test": ["93.184.216.34", "2606:4700::1111"]}
    backend = GuardedBackend(inner=inner, resolver=fake_resolver(table))
    with pytest.raises(httpcore.ConnectError):
        connect(backend, "news.test")
    assert inner.calls == ["93.184.216.34", "2606:4700::1111"]


def test_backend_skips_allowed_hosts() -> None:
    inner = Recorder()
    backend = GuardedBackend(["intranet.test"], inner=inner, resolver=fake_resolver({}))
    with pytest.raises(httpcore.ConnectError):
        connect(backend, "intranet.test")
    assert inner.calls == ["intranet.test"]


def test_backend_resolves_numeric_host_names() -> None:
    backend = GuardedBackend(inner=Recorder())
    with pytest.raises(BlockedAddressError, match="loopback"):
        connect(backend, "2130706433")  # 127.0.0.1 written as one number


def fetch(settings: Settings, url: str, **kwargs: Any) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(settings, **kwargs) as fetcher:
            return await fetcher.fetch(url, accept=Accept.PAGE)

    return asyncio.run(run())


def test_loopback_refused_unless_allowed(local_server: Any, settings: Settings) -> None:
    url = local_server.serve("/page", PAGE)
    with pytest.raises(BlockedAddressError, match="loopback") as caught:
        fetch(settings.model_copy(update={"allow_hosts": ()}), url)
    assert caught.value.url == url
    assert local_server.requests == []


def test_dns_answer_is_checked_at_connect(local_server: Any, settings: Settings) -> None:
    local_server.serve("/page", PAGE)
    transport = GuardedTransport(resolver=fake_resolver({"news.test": ["127.0.0.1"]}))
    url = f"http://news.test:{local_server.port}/page"
    with pytest.raises(BlockedAddressError, match=r"resolves to 127\.0\.0\.1") as caught:
        fetch(settings.model_copy(update={"allow_hosts": ()}), url, transport=transport)
    assert caught.value.url.startswith("http://news.test")
    assert local_server.requests == []


@pytest.mark.parametrize(
    "target", ["http://localhost:{port}/page", "http://169.254.169.254/latest/meta-data/"]
)
def test_redirect_to_local_targets_refused(
    local_server: Any, settings: Settings, target: str
) -> None:
    local_server.serve("/page", PAGE)
    location = target.format(port=local_server.port)
    url = local_server.serve("/go", status=302, headers={"Location": location})
    only_ip = settings.model_copy(update={"allow_hosts": ("127.0.0.1",)})
    with pytest.raises(BlockedAddressError, match="refused to fetch") as caught:
        fetch(only_ip, url)
    assert caught.value.url == url or caught.value.url == location
    assert not local_server.hits("/page")


@pytest.mark.parametrize(("code", "tries"), [(socket.EAI_NONAME, 1), (socket.EAI_AGAIN, 3)])
def test_unknown_host_fails_at_once_but_a_dns_hiccup_is_retried(
    settings: Settings, code: int, tries: int
) -> None:
    calls: list[str] = []

    async def failing(host: str, port: int) -> list[str]:
        calls.append(host)
        raise socket.gaierror(code, "resolver says no")

    retrying = settings.model_copy(update={"max_retries": 2, "backoff": 0.01})
    with pytest.raises(FetchError, match=r"cannot resolve gone\.test"):
        fetch(retrying, "http://gone.test/page", transport=GuardedTransport(resolver=failing))
    robots_and_page = [host for host in calls if host == "gone.test"]
    assert len(robots_and_page) == tries

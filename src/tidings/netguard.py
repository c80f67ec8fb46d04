"""The SSRF guard: outbound connections go only to public addresses.

A fetched URL comes from feeds and pages written by strangers, so a redirect or a DNS answer
could point Tidings at the machine it runs on, the local network or a cloud metadata service.
The guard refuses those addresses twice:

* `check_url` runs before every request and every redirect hop, without DNS: it refuses
  other schemes, blocked IP literals and `localhost` names, so such a URL is never connected.
* `GuardedBackend` is the network backend of the default transport. It resolves the host
  itself, checks every address, and connects to a checked address, so a DNS answer that
  changes between the check and the connection (DNS rebinding) cannot slip through.

Hosts listed in `Settings.allow_hosts` (hostname or IP literal as written in the URL) skip
the address check.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import anyio
import httpcore
import httpx

from .errors import BlockedAddressError, FetchError

__all__ = [
    "GuardedBackend",
    "GuardedTransport",
    "Resolver",
    "blocked_reason",
    "check_url",
    "normalize_host",
]

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

SCHEMES = frozenset({"http", "https"})
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")

# Cloud metadata services: AWS, GCP, Azure, Oracle, OpenStack (169.254.169.254 and its IPv6
# twin), Alibaba (100.100.100.200), Azure's wire server, AWS's IPv6 endpoint.
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "168.63.129.16",
              "fd00:ec2::254", "fd00:ec2::23", "192.0.0.192")
)  # fmt: skip

# Ranges named explicitly because `ipaddress` does not treat them all as non-global in
# every Python version.
BLOCKED_NETWORKS: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = (
    (ipaddress.ip_network("0.0.0.0/8"), "a 'this network' address"),
    (ipaddress.ip_network("100.64.0.0/10"), "a carrier-grade NAT address"),
    (ipaddress.ip_network("192.0.0.0/24"), "an IETF protocol address"),
    (ipaddress.ip_network("198.18.0.0/15"), "a benchmarking address"),
    (ipaddress.ip_network("fc00::/7"), "a unique local address"),
    (ipaddress.ip_network("fec0::/10"), "a site-local address"),
)

NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _class_reason(ip: IPAddress) -> str | None:
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
    )
    for hit, reason in checks:
        if hit:
            return reason
    for network, reason in BLOCKED_NETWORKS:
        if ip.version == network.version and ip in network:
            return reason
    return None if ip.is_global else "a non-public address"


def blocked_reason(address: str | IPAddress) -> str | None:
    """Why `address` may not be connected to, or None when it is a public address."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
    if ip in METADATA:
        return "a cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = blocked_reason(inner)
            return f"an IPv6 form of {reason}" if reason else None
    return _class_reason(ip)


def normalize_host(host: str) -> str:
    """A host as compared with `allow_hosts`: lowercase, no brackets, no trailing dot."""
    return host.strip().strip("[]").rstrip(".").lower()


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_url(url: httpx.URL, allow_hosts: Iterable[str]) -> None:
    """Refuse a URL that must not be requested, before any DNS lookup or connection."""
    if url.scheme not in SCHEMES:
        raise FetchError(f"cannot fetch {url}: only http and https URLs are fetched", url=str(url))
    host = normalize_host(url.host)
    if not host:
        raise FetchError(f"cannot fetch {url}: the URL has no host", url=str(url))
    if host in {normalize_host(h) for h in allow_hosts}:
        return
    ip = _ip_literal(host)
    reason = blocked_reason(ip) if ip is not None else None
    if ip is None and (host in LOCAL_NAMES or host.endswith(".localhost")):
        reason = "a loopback name"
    if reason:
        raise BlockedAddressError(f"refused to fetch {url}: {host} is {reason}", url=str(url))


async def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to checked, public addresses."""

    def __init__(
        self,
        allow_hosts: Iterable[str] = (),
        *,
        inner: httpcore.AsyncNetworkBackend | None = None,
        resolver: Resolver = resolve,
    ) -> None:
        self._allow = frozenset(normalize_host(h) for h in allow_hosts)
        self._inner = inner or httpcore.AnyIOBackend()
        self._resolve = resolver

    async def _addresses(self, host: str, port: int, timeout: float | None) -> list[str]:
        try:
            with anyio.fail_after(timeout):
                addresses = await self._resolve(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"timed out resolving {host}") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}: no addresses")
        for address in addresses:
            reason = blocked_reason(address)
            if reason:
                logger.warning("refused connection to %s (%s is %s)", host, address, reason)
                raise BlockedAddressError(
                    f"{host} resolves to {address}, {reason}",
                    url=host,
                )
        return addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve `host`, refuse blocked addresses, connect to the first that answers."""
        if normalize_host(host) in self._allow:
            return await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        last: Exception | None = None
        for address in await self._addresses(host, port, timeout):
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Unix sockets are local by nature and never used for fetching."""
        raise BlockedAddressError(f"refused to connect to the unix socket {path}", url=path)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool built on `GuardedBackend`; no proxies."""

    def __init__(
        self,
        allow_hosts: Iterable[str] = (),
        *,
        max_connections: int = 16,
        resolver: Resolver = resolve,
    ) -> None:
        super().__init__(trust_env=False, retries=0)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(allow_hosts, resolver=resolver),
        )

"""The exceptions Tidings raises at its library boundary.

    TidingsError
    ├── ConfigError            a setting has a bad value, or a config file cannot be read
    ├── StoreError             the store cannot be opened or migrated
    ├── InputError             an offline input (file, directory, WARC, JSONL) cannot be read
    ├── FeedError              a feed cannot be parsed into entries
    ├── ExtractionError        no article text could be extracted from a page
    ├── WriteError             an event's coverage gives no story (no usable sentences)
    ├── ChatError              a chat server cannot be reached or gives no usable answer
    ├── TranslationError       a translation was rejected (count, numbers, language)
    └── FetchError             a fetch did not give a usable response
        ├── BlockedAddressError    the host resolves to a loopback, private or metadata address
        ├── RobotsDisallowedError  the site's robots.txt disallows the URL
        ├── TooLargeError          the body is larger than the size cap
        ├── TooManyRedirectsError  more redirects than allowed, or a redirect loop
        ├── ContentTypeError       the response is not of a type the caller accepts
        └── HTTPStatusError        a status that is neither success nor "not modified"

Front ends convert these once: the CLI prints the message and exits non-zero; ingestion
records the message as the failure reason of the one item and goes on with the rest.
"""

from __future__ import annotations

__all__ = [
    "BlockedAddressError",
    "ChatError",
    "ConfigError",
    "ContentTypeError",
    "ExtractionError",
    "FeedError",
    "FetchError",
    "HTTPStatusError",
    "InputError",
    "RobotsDisallowedError",
    "StoreError",
    "TidingsError",
    "TooLargeError",
    "TooManyRedirectsError",
    "TranslationError",
    "WriteError",
]


class TidingsError(Exception):
    """Base of every error Tidings raises on purpose."""


class ConfigError(TidingsError):
    """A setting has a bad value, or the config file cannot be read."""


class StoreError(TidingsError):
    """The store cannot be opened, created or migrated."""


class InputError(TidingsError):
    """An offline input cannot be read."""


class FeedError(TidingsError):
    """A feed document gives no entries."""


class ExtractionError(TidingsError):
    """A page gives no article text."""


class ChatError(TidingsError):
    """A chat server cannot be reached, fails, or answers with something unusable."""


class WriteError(TidingsError):
    """An event's coverage gives no story: too little usable text to write from."""


class TranslationError(TidingsError):
    """A translation is rejected: texts missing, numbers lost or changed, or untranslated."""


class FetchError(TidingsError):
    """A fetch did not give a usable response."""

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url


class BlockedAddressError(FetchError):
    """The URL's host resolves to an address that is not allowed (SSRF guard)."""


class RobotsDisallowedError(FetchError):
    """The site's robots.txt disallows the URL for our user agent."""


class TooLargeError(FetchError):
    """The (decoded) body is larger than the size cap."""


class TooManyRedirectsError(FetchError):
    """More redirects than allowed, or a redirect loop."""


class ContentTypeError(FetchError):
    """The response's content type is not one the caller accepts."""


class HTTPStatusError(FetchError):
    """The server answered with a status that is neither success nor 304."""

    def __init__(self, message: str, *, url: str, status: int) -> None:
        super().__init__(message, url=url)
        self.status = status

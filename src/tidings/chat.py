"""A small client for OpenAI-compatible chat servers: Ollama, vLLM, llama.cpp's server, hosted APIs.

`ChatClient` sends one chat completion at a time (`POST {chat_base_url}/chat/completions`)
with temperature 0 and a bound on the tokens generated, and turns every way a server can
fail into a `ChatError` that says what happened and where: the server cannot be reached, it
answers too slowly, it answers with an HTTP error, or its answer is not JSON. A server that
wants an API key nobody set gives a `ConfigError` that says how to set one.

The key (`chat_api_key`) travels only in the Authorization header, and only when it is set;
it is never logged and never part of an error message, even when a server echoes it back.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

import httpx

from .errors import ChatError, ConfigError
from .settings import Settings

__all__ = [
    "ChatClient",
    "ChatMessage",
    "Completion",
    "json_answer",
    "language_name",
]

log = logging.getLogger(__name__)

MAX_ERROR_BODY = 300  # characters of a server's error answer quoted in a ChatError
KEY_HELP = (
    "set chat_api_key in the config file (tidings.toml) or the TIDINGS_CHAT_API_KEY "
    "environment variable"
)
LANGUAGE_NAMES = {
    "da": "Danish",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fi": "Finnish",
    "fr": "French",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nb": "Norwegian Bokmål",
    "nl": "Dutch",
    "nn": "Norwegian Nynorsk",
    "pl": "Polish",
    "pt": "Portuguese",
    "sv": "Swedish",
    "uk": "Ukrainian",
    "zh": "Chinese",
}


class ChatMessage(TypedDict):
    """One message of a chat: who says it, and what."""

    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class Completion:
    """The answer of a chat server: the text the model wrote, and which model wrote it."""

    text: str
    model: str | None = None
    finish_reason: str | None = None  # "stop", or "length" when max_tokens cut it short


def language_name(code: str) -> str:
    """The English name of a language code, for prompts ("nb" -> "Norwegian Bokmål")."""
    return LANGUAGE_NAMES.get(code, code)


def json_answer(text: str) -> Any:
    """The JSON value a model wrote, tolerating prose or a code fence around it.

    Raises ChatError when no JSON object or list can be read from the text.
    """
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    for opening, closing in (("{", "}"), ("[", "]")):
        start, end = text.find(opening), text.rfind(closing)
        if 0 <= start < end:
            try:
                return json.loads(text[start : end + 1])
            except ValueError:
                continue
    raise ChatError(f"the chat model's answer is not JSON: {text[:80]!r}")


class ChatClient:
    """One OpenAI-compatible chat server, as the settings name it (`chat_*`)."""

    def __init__(self, settings: Settings) -> None:
        if not settings.chat_base_url:
            raise ConfigError(
                "no chat server is configured: set chat_base_url (TIDINGS_CHAT_BASE_URL), "
                "e.g. http://127.0.0.1:8080/v1"
            )
        self.base_url = settings.chat_base_url.rstrip("/")
        self.model = settings.chat_model or None
        self._key = settings.chat_api_key
        self.timeout = settings.chat_timeout
        self._timeouts = httpx.Timeout(
            self.timeout, connect=min(settings.connect_timeout, self.timeout)
        )

    def __repr__(self) -> str:
        return f"ChatClient({self.base_url!r}, model={self.model!r})"

    def model_id(self) -> str:
        """The model to ask: the configured one, else the first the server lists."""
        if self.model:
            return self.model
        answer = self._request("GET", "/models")
        try:
            self.model = str(answer["data"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise ChatError(f"the chat server at {self.base_url} lists no model") from None
        return self.model

    def complete(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        json_object: bool = False,
    ) -> Completion:
        """The model's answer to `messages`, at temperature 0, at most `max_tokens` long.

        With `json_object` the server is asked for a JSON object (`response_format`); the
        caller still validates what comes back.
        """
        payload: dict[str, Any] = {
            "model": self.model_id(),
            "messages": messages,
            "temperature": 0,
            "max_tokens": max_tokens,
        }
        if json_object:
            payload["response_format"] = {"type": "json_object"}
        log.debug(
            "chat completion from %s: model %s, %d messages, max_tokens %d",
            self.base_url,
            payload["model"],
            len(messages),
            max_tokens,
        )
        answer = self._request("POST", "/chat/completions", payload)
        return self._completion(answer)

    def _completion(self, answer: Any) -> Completion:
        try:
            choice = answer["choices"][0]
            text = choice["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise ChatError(
                f"the chat server at {self.base_url} answered without a message"
            ) from None
        if not isinstance(text, str):
            raise ChatError(f"the chat server at {self.base_url} answered with an empty message")
        model = answer.get("model") if isinstance(answer, dict) else None
        reason = choice.get("finish_reason") if isinstance(choice, dict) else None
        return Completion(text, str(model) if model else None, str(reason) if reason else None)

    def _headers(self) -> dict[str, str]:
        key = self._key.get_secret_value()
        return {"Authorization": f"Bearer {key}"} if key else {}

    def _request(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        url = self.base_url + path
        try:
            with httpx.Client(timeout=self._timeouts) as client:  # one call: nothing left open
                response = client.request(method, url, json=payload, headers=self._headers())
        except httpx.TimeoutException:
            raise ChatError(
                f"the chat server at {self.base_url} did not answer within {self.timeout:g} s "
                "(chat_timeout)"
            ) from None
        except httpx.ConnectError as exc:
            raise ChatError(
                f"cannot connect to the chat server at {self.base_url}: "
                f"{self._redact(str(exc)) or 'connection refused'} (is it running?)"
            ) from None
        except httpx.HTTPError as exc:
            raise ChatError(
                f"the chat server at {self.base_url} failed: {type(exc).__name__}"
            ) from None
        self._raise_for_status(response)
        try:
            return response.json()
        except ValueError:
            raise ChatError(
                f"the chat server at {self.base_url} answered {path} with something that is "
                f"not JSON: {self._redact(response.text[:80])!r}"
            ) from None

    def _raise_for_status(self, response: httpx.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        if status in (401, 403):
            if not self._key.get_secret_value():
                raise ConfigError(
                    f"the chat server at {self.base_url} needs an API key (HTTP {status}): "
                    f"{KEY_HELP}"
                )
            raise ConfigError(
                f"the chat server at {self.base_url} refused the API key (HTTP {status}): "
                f"check chat_api_key ({KEY_HELP})"
            )
        body = self._redact(response.text[:MAX_ERROR_BODY].strip())
        raise ChatError(
            f"the chat server at {self.base_url} answered HTTP {status}"
            + (f": {body}" if body else "")
        )

    def _redact(self, text: str) -> str:
        """`text` without the API key, should a server or library have echoed it."""
        key = self._key.get_secret_value()
        return text.replace(key, "[key]") if key else text

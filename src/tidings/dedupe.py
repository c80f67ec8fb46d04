"""Duplicate detection: URL normalisation, exact content hashes and MinHash near-duplicates.

Three tests tell that two articles are one: the same normalised URL (tracking parameters, AMP
and mobile variants removed), the same `content_hash` (the text equal up to spacing, case and
punctuation), or a MinHash `signature` similar enough that the bodies share most of their
word 5-shingles (a wire story republished with a new intro or footer). `NearDuplicates` is an
in-memory LSH index over stored signatures, rebuilt at the start of a run.

Signatures are 128 unsigned 32-bit little-endian integers (512 bytes) made with datasketch's
`affine32` scheme and a fixed seed, so signatures stored by one run compare with the next.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import courlan
import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH

__all__ = [
    "NUM_PERM",
    "NearDuplicates",
    "content_hash",
    "normalize_url",
    "signature",
    "similarity",
]

NUM_PERM = 128
SHINGLE_WORDS = 5
_SEED = 20240601
_SCHEME = "affine32"
_DTYPE = np.dtype("<u4")

# Query parameters that only track the reader; compared in lower case.
_TRACKING_NAMES = frozenset(
    {
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "cmpid",
        "dclid",
        "fbclid",
        "ftag",
        "gclid",
        "gclsrc",
        "icid",
        "igshid",
        "mbid",
        "mc_cid",
        "mc_eid",
        "msclkid",
        "ncid",
        "ocid",
        "ref_src",
        "ref_url",
        "s_cid",
        "smid",
        "sr_share",
        "twclid",
        "wt.mc_id",
        "xtor",
        "yclid",
    }
)
_TRACKING_PREFIXES = ("utm_", "at_", "ga_", "itm_", "mtm_", "pk_", "ns_", "oly_", "vero_")
# Query parameters that ask for the AMP rendering of the same page.
_AMP_QUERY = frozenset({("amp", ""), ("amp", "1"), ("amp", "true"), ("outputtype", "amp")})
_MOBILE_HOST = re.compile(r"^(?:amp|m|mobile|www)\.(?=[^.]+\.[^.]+)")
_AMP_SEGMENT = re.compile(r"/amp(?=/|$)")
_AMP_HTML = re.compile(r"\.amp(\.html?)$")


def normalize_url(url: str) -> str:
    """The form of `url` under which two links to one page compare equal.

    Lowercases scheme and host, drops default ports, fragments, tracking parameters, AMP or
    mobile variants and the www. prefix, sorts the remaining query parameters and removes a
    trailing slash. The path keeps its case. Strings that are not http(s) URLs come back
    stripped.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url
    base = courlan.normalize_url(urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))
    scheme, netloc, path, _, _ = urlsplit(base)
    netloc = _MOBILE_HOST.sub("", netloc)
    path = _AMP_HTML.sub(r"\1", _AMP_SEGMENT.sub("", path)).rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), ""))


def _clean_query(query: str) -> str:
    kept = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if not _is_tracking(name.lower()) and (name.lower(), value.lower()) not in _AMP_QUERY
    ]
    return urlencode(sorted(kept))


def _is_tracking(name: str) -> bool:
    return name in _TRACKING_NAMES or name.startswith(_TRACKING_PREFIXES)


class _Folding(dict[int, str]):
    """Character to comparison form, worked out once per character: punctuation, modifier
    symbols, separators and controls become a space; format characters (soft hyphens,
    zero-width spaces and joiners) vanish; everything else stays."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Cf":
            char = ""
        elif category[0] in "PZC" or category == "Sk":
            char = " "
        self[code] = char
        return char


_FOLDING = _Folding()


def _comparable(text: str) -> str:
    """`text` in NFKC, case-folded, with punctuation and whitespace runs as single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().translate(_FOLDING).split())


def content_hash(text: str) -> str:
    """Hex SHA-256 of the text as compared: equal for copies that differ in spacing, case or
    punctuation marks, different as soon as a word or a number differs."""
    return hashlib.sha256(_comparable(text).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _permutations() -> npt.NDArray[np.uint32]:
    template = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    return np.asarray(template.permutations, dtype=np.uint32)


def _shingles(text: str) -> list[bytes]:
    words = _comparable(text).split()
    size = min(SHINGLE_WORDS, len(words))
    if size == 0:
        return []
    return [" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)]


def signature(text: str) -> bytes:
    """The MinHash of the text's word 5-shingles (shorter texts use shorter shingles).

    An empty text gives the signature of the empty set, equal only to other empty texts.
    """
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_permutations(), scheme=_SCHEME)
    minhash.update_batch(set(_shingles(text)))
    return np.asarray(minhash.hashvalues, dtype=_DTYPE).tobytes()


def _values(sig: bytes) -> npt.NDArray[np.uint32]:
    if len(sig) != NUM_PERM * _DTYPE.itemsize:
        raise ValueError(f"a signature is {NUM_PERM * _DTYPE.itemsize} bytes, not {len(sig)}")
    return np.frombuffer(sig, dtype=_DTYPE).astype(np.uint32)


def similarity(a: bytes, b: bytes) -> float:
    """The Jaccard similarity of two texts' shingle sets, estimated from their signatures."""
    return float(np.count_nonzero(_values(a) == _values(b))) / NUM_PERM


def _minhash(values: npt.NDArray[np.uint32]) -> MinHash:
    return MinHash(seed=_SEED, hashvalues=values, permutations=_permutations(), scheme=_SCHEME)


def _bands(threshold: float, miss: float = 1e-3) -> tuple[int, int]:
    """The (bands, rows) with the most rows per band, hence the fewest candidates, for which
    a pair exactly at the threshold is missed with probability at most `miss`."""
    best = (NUM_PERM, 1)
    for rows in range(2, NUM_PERM + 1):
        bands = NUM_PERM // rows
        if (1 - threshold**rows) ** bands > miss:
            break
        best = (bands, rows)
    return best


class NearDuplicates:
    """In-memory MinHash LSH index over signatures, keyed by article id.

    The LSH bands are chosen for recall (see `_bands`); every candidate is then checked
    against the threshold with its estimated Jaccard similarity, so no false positive comes
    back.
    """

    def __init__(self, threshold: float, num_perm: int = NUM_PERM) -> None:
        if num_perm != NUM_PERM:
            raise ValueError(f"signatures are made with {NUM_PERM} permutations, not {num_perm}")
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=_bands(threshold))
        self._signatures: dict[int, npt.NDArray[np.uint32]] = {}

    def add(self, key: int, sig: bytes) -> None:
        """Index `sig` under `key`; adding a key again replaces its signature."""
        values = _values(sig)
        known = self._signatures.get(key)
        if known is not None:
            if np.array_equal(known, values):
                return
            self._lsh.remove(key)
        self._lsh.insert(key, _minhash(values), check_duplication=False)
        self._signatures[key] = values

    def query(self, sig: bytes) -> list[tuple[int, float]]:
        """Keys whose estimated Jaccard similarity to `sig` reaches the threshold, best first."""
        values = _values(sig)
        found: list[tuple[int, float]] = []
        for key in self._lsh.query(_minhash(values)):
            score = float(np.count_nonzero(self._signatures[key] == values)) / NUM_PERM
            if score >= self.threshold:
                found.append((key, score))
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found

    def __len__(self) -> int:
        return len(self._signatures)

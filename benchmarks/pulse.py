""" "What people say" benchmark: sentiment per language, and matching posts to events.

    python -m benchmarks.pulse [--shared PATH] [--split test] [--limit N] [--no-matching]
                               [--per-event N] [--json OUT]

Sentiment: `shared/bench/pulse/sentiment.jsonl` (tweets in eight languages, Norwegian review
sentences). For each language, accuracy and macro-F1 over negative/neutral/positive of

- lexicon: VADER's compound score with its own cut-off (±0.05), what Tidings falls back to
  without a multilingual embedder;
- prototypes: the nearest labelled prototype posts (`data/sentiment_prototypes.toml`) by e5;
- combined: what `tidings.pulse` uses, the two blended by language.

Tune on `--split val` (Norwegian: `dev`), report on `test`. Published multilingual tweet
models (XLM-T) reach macro-F1 0.6-0.7 on these test sets.

Matching (a sanity check): `crisis_tweets.jsonl`, 26 crises of 2012-2013. Each crisis gets an
event profile made the way Tidings makes one from articles, from `--per-event` of its
"Related and informative" tweets (centroid of their e5 vectors, names and keywords of their
text); held-out tweets of every crisis are then scored against all 26 profiles with
`tidings.social.match_score`. Reported: how often a related tweet's best event is its own
crisis, and, at Tidings' threshold, the precision and recall of placing related tweets with
their own crisis, and the share of "Not related" tweets wrongly placed. The held-out tweets
of each crisis are also clustered into themes as `tidings.pulse` does, and the themes are
compared with the information types people labelled (purity, and the share of tweets the
themes gather).

Vectors are cached under `benchmarks/.cache/pulse/`, so a second run costs no embedding.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.vectors import CACHE, CachedEmbedder
from tidings.embedding import Embedder, make_embedder
from tidings.evidence import gather_evidence
from tidings.language import language_code
from tidings.pulse import (
    LABELS,
    MAX_THEMES,
    MIN_THEME_SHARE,
    SentimentModel,
    clean_post_text,
    cluster_vectors,
    lexicon_label,
)
from tidings.social import MATCH_THRESHOLDS, OTHER_MATCH_THRESHOLD, EventProfile, match_score

__all__ = [
    "default_shared",
    "main",
    "matching_scores",
    "score_labels",
    "sentiment_scores",
    "themes_check",
]


def default_shared() -> Path:
    return Path(__file__).resolve().parents[2] / "shared"


def score_labels(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro-F1 over the three labels."""
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(len(gold), 1)
    f1s = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        guessed, actual = predicted.count(label), list(gold).count(label)
        precision = tp / guessed if guessed else 0.0
        recall = tp / actual if actual else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return {"accuracy": round(accuracy, 3), "macro_f1": round(sum(f1s) / len(f1s), 3)}


def _rows(path: Path, split: str, limit: int | None) -> dict[str, list[dict[str, Any]]]:
    by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
    wanted = {split, "dev"} if split == "val" else {split}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["split"] in wanted and (limit is None or len(by_lang[row["lang"]]) < limit):
                by_lang[row["lang"]].append(row)
    return dict(by_lang)


def sentiment_scores(
    path: Path, split: str, embedder: Embedder, limit: int | None = None
) -> dict[str, dict[str, dict[str, float]]]:
    """Per language and method, accuracy and macro-F1."""
    model = SentimentModel(embedder)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for lang, rows in sorted(_rows(path, split, limit).items()):
        texts = [r["text"] for r in rows]
        gold = [r["label"] for r in rows]
        code = language_code(lang)
        langs = [code] * len(rows)
        vectors = embedder.embed([clean_post_text(t) or t for t in texts])
        lexicon = [lexicon_label(c) for c in model.lexicon(texts)]
        prototypes = [LABELS[i] for i in model.prototype_scores(vectors).argmax(axis=1)]
        combined = model.labels(texts, langs, vectors)
        results[lang] = {
            "lexicon": score_labels(gold, lexicon),
            "prototypes": score_labels(gold, prototypes),
            "combined": score_labels(gold, combined),
            "texts": {"count": len(rows)},
        }
    return results


# -- matching -----------------------------------------------------------------------------------


def _crises(path: Path) -> dict[str, list[dict[str, Any]]]:
    by_event: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            by_event[row["event_name"]].append(row)
    return dict(by_event)


def _profile(index: int, tweets: list[str], embedder: Embedder) -> EventProfile:
    vectors = embedder.embed(tweets)
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    entities: Counter[str] = Counter()
    keywords: Counter[str] = Counter()
    for text in tweets:
        evidence = gather_evidence("", text, lang=None, published=None)
        entities.update(evidence.entities)
        keywords.update(evidence.keywords)
    return EventProfile(
        id=index,
        centroid=centroid.astype(np.float32),
        entities=frozenset(n for n, _c in entities.most_common(50)),
        keywords=frozenset(w for w, _c in keywords.most_common(40)),
        first=None,
        last=None,
    )


def matching_scores(
    path: Path, embedder: Embedder, per_event: int, held_out: int, seed: int = 7
) -> dict[str, Any]:
    """Best-event accuracy, and precision/recall at the threshold, on held-out crisis tweets."""
    rng = random.Random(seed)
    profiles: list[EventProfile] = []
    tests: list[tuple[int | None, dict[str, Any]]] = []
    for index, (_name, rows) in enumerate(sorted(_crises(path).items())):
        informative = [r for r in rows if r["label_informativeness"] == "Related and informative"]
        rng.shuffle(informative)
        profiles.append(
            _profile(index, [clean_post_text(r["text"]) for r in informative[:per_event]], embedder)
        )
        related = [r for r in rows if r["label_informativeness"].startswith("Related")]
        held = [r for r in related if r not in informative[:per_event]]
        unrelated = [r for r in rows if r["label_informativeness"] == "Not related"]
        tests += [(index, r) for r in rng.sample(held, min(held_out, len(held)))]
        tests += [(None, r) for r in rng.sample(unrelated, min(held_out // 4, len(unrelated)))]
    texts = [clean_post_text(r["text"]) or r["text"] for _i, r in tests]
    vectors = embedder.embed(texts)
    best: list[tuple[int, float]] = []
    for text, vector in zip(texts, vectors, strict=True):
        evidence = gather_evidence("", text, lang=None, published=None)
        scored = [(match_score(vector, evidence, p), p.id) for p in profiles]
        score, event = max(scored)
        best.append((event, score))
    threshold = MATCH_THRESHOLDS.get(embedder.name, OTHER_MATCH_THRESHOLD)
    report = _matching_report(tests, best, threshold)
    report["themes"] = themes_check(tests, vectors)
    return report


def themes_check(
    tests: list[tuple[int | None, dict[str, Any]]], vectors: np.ndarray[Any, Any]
) -> list[dict[str, float]]:
    """How well each crisis's held-out tweets cluster into themes, against the information
    types people labelled (affected individuals, infrastructure, donations, ...): per
    similarity threshold, the mean number of themes, their purity, and the share of tweets
    they gather."""
    by_event: dict[int, list[int]] = defaultdict(list)
    for position, (gold, row) in enumerate(tests):
        if gold is not None and row["label_info_type"] not in ("Not labeled", "Not applicable"):
            by_event[gold].append(position)
    rows = []
    for cut in (0.82, 0.84, 0.86, 0.88, 0.9):
        themes, pure, covered = [], [], []
        for positions in by_event.values():
            clusters = cluster_vectors(vectors[positions], cut)
            kept = [c for c in clusters if len(c) >= max(2, MIN_THEME_SHARE * len(positions))]
            kept = kept[:MAX_THEMES]
            types = [tests[positions[i]][1]["label_info_type"] for c in kept for i in c]
            majority = sum(
                Counter(tests[positions[i]][1]["label_info_type"] for i in c).most_common(1)[0][1]
                for c in kept
            )
            themes.append(len(kept))
            pure.append(majority / len(types) if types else 0.0)
            covered.append(len(types) / len(positions))
        rows.append(
            {
                "threshold": cut,
                "themes": round(float(np.mean(themes)), 2),
                "purity": round(float(np.mean(pure)), 3),
                "covered": round(float(np.mean(covered)), 3),
            }
        )
    return rows


def _matching_report(
    tests: list[tuple[int | None, dict[str, Any]]], best: list[tuple[int, float]], threshold: float
) -> dict[str, Any]:
    related = [(gold, b) for (gold, _r), b in zip(tests, best, strict=True) if gold is not None]
    unrelated = [b for (gold, _r), b in zip(tests, best, strict=True) if gold is None]
    report: dict[str, Any] = {
        "related_tweets": len(related),
        "unrelated_tweets": len(unrelated),
        "best_event_accuracy": round(sum(g == e for g, (e, _s) in related) / len(related), 3),
        "sweep": [],
    }
    for cut in sorted({threshold, *(round(0.80 + 0.01 * k, 2) for k in range(17))}):
        placed = [(g, e) for g, (e, s) in related if s >= cut]
        wrongly = sum(s >= cut for _e, s in unrelated)
        right = sum(g == e for g, e in placed)
        row = {
            "threshold": cut,
            "precision": round(right / (len(placed) + wrongly), 3) if placed or wrongly else 0.0,
            "recall": round(right / len(related), 3),
            "unrelated_placed": round(wrongly / max(len(unrelated), 1), 3),
        }
        report["sweep"].append(row)
        if cut == threshold:
            report["at_threshold"] = row
    return report


# -- the command --------------------------------------------------------------------------------


def _print_sentiment(results: dict[str, dict[str, dict[str, float]]]) -> None:
    print(f"{'lang':<5} {'n':>5}  {'lexicon acc/F1':>15}  {'prototypes':>12}  {'combined':>12}")
    for lang, methods in results.items():
        cells = [
            f"{methods[m]['accuracy']:.3f}/{methods[m]['macro_f1']:.3f}"
            for m in ("lexicon", "prototypes", "combined")
        ]
        count = int(methods["texts"]["count"])
        print(f"{lang:<5} {count:>5}  {cells[0]:>15}  {cells[1]:>12}  {cells[2]:>12}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--split", default="test", choices=["train", "val", "test"])
    parser.add_argument("--limit", type=int, help="texts per language")
    parser.add_argument("--no-matching", action="store_true")
    parser.add_argument("--per-event", type=int, default=20, help="tweets per crisis profile")
    parser.add_argument("--held-out", type=int, default=40, help="related tweets per crisis")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    bench = args.shared / "bench" / "pulse"
    if not bench.is_dir():
        print(f"no benchmark data at {bench}", file=sys.stderr)
        return 2
    embedder = CachedEmbedder(make_embedder("e5"), CACHE / "pulse")
    started = time.monotonic()
    results: dict[str, Any] = {
        "split": args.split,
        "sentiment": sentiment_scores(bench / "sentiment.jsonl", args.split, embedder, args.limit),
    }
    _print_sentiment(results["sentiment"])
    if not args.no_matching:
        results["matching"] = matching_scores(
            bench / "crisis_tweets.jsonl", embedder, args.per_event, args.held_out
        )
        print(json.dumps(results["matching"], indent=1))
    results["seconds"] = round(time.monotonic() - started, 1)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

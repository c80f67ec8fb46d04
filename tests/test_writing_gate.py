"""Quality gate: stories written for the dev events must state no fact their sources lack,
and must keep covering the facts several reports share, above the recorded floor.

The extractive writer writes one story for each of the first gold events of ECB+ and
MEANTIME (the gold clusters are the coverage, so writing is measured apart from
clustering), every story passes the faithfulness check, and `benchmarks.writing` re-checks
each fact independently of the writer's own report. The hashing embedder keeps the gate
fast; `python -m benchmarks.writing` measures the same with e5.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.writing import EDITIONS, load_events, run_writer  # noqa: E402

from tidings.embedding import make_embedder  # noqa: E402
from tidings.extractive import ExtractiveWriter  # noqa: E402

BASELINE = json.loads((Path(__file__).with_name("eval_baseline.json")).read_text())
EVENTS_PER_DATASET = 12


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_stories_state_only_supported_facts_and_cover_shared_ones(shared: Path) -> None:
    events_file = shared / "bench" / "clustering" / "events.jsonl"
    if not events_file.is_file():
        pytest.skip(f"clustering benchmark data not found at {events_file}")
    embedder = make_embedder("hashing")
    events = load_events(shared, limit=EVENTS_PER_DATASET)
    results = {
        r.dataset: r
        for r in run_writer(
            "extractive", ExtractiveWriter(embedder, languages=EDITIONS), events, embedder
        )
    }
    overall = results["all"]
    assert overall.stories == 2 * EVENTS_PER_DATASET
    assert overall.failed == 0
    assert overall.unsupported_lenient <= BASELINE["writing_unsupported_max"], overall.examples
    assert overall.shared_covered >= BASELINE["writing_shared_covered"], (
        f"shared facts covered {overall.shared_covered:.3f} fell below the floor "
        f"{BASELINE['writing_shared_covered']}"
    )
    assert overall.redundant <= BASELINE["writing_redundant_max"]

"""Quality gate: extraction must not score below its recorded floor on the benchmark pages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.extraction import load_pages, run, tidings_body  # noqa: E402

BASELINE = json.loads((Path(__file__).with_name("eval_baseline.json")).read_text())


@pytest.mark.slow
def test_extraction_f1_stays_above_its_floor(shared: Path) -> None:
    root = shared / "bench" / "extraction"
    if not (root / "ground-truth.json").is_file():
        pytest.skip(f"extraction benchmark data not found at {root}")
    pages = load_pages(shared)
    assert len(pages) == 181
    result = run("tidings", tidings_body, pages)
    floor = BASELINE["extraction_f1"]
    assert result.scores.f1 >= floor, (
        f"extraction F1 {result.scores.f1:.4f} fell below the floor {floor} "
        f"(precision {result.scores.precision:.4f}, recall {result.scores.recall:.4f})"
    )

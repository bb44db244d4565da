"""Skill extractor throughput on one core: offers per second and peak memory, 10k and 20k offers.

The bundled API offers (1,729) are repeated, each copy with its own offer id, up to the size
measured. Time and memory are measured in separate passes: tracemalloc slows Python down, so
offers/second comes from an untraced pass and the peak from a traced one.
"""

from __future__ import annotations

import os

# One core: BLAS/OpenMP threads off before numpy is imported, and the process pinned to one CPU.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402

from matching.extract import SkillExtractor, default_snapshot_dir  # noqa: E402
from matching.offers import bundled  # noqa: E402


def repeated_offers(offers: pd.DataFrame, size: int) -> pd.DataFrame:
    copies = -(-size // len(offers))
    frame = pd.concat([offers] * copies, ignore_index=True).head(size)
    frame["offer_id"] = frame["offer_id"] + "-" + (frame.index // len(offers)).astype(str)
    return frame[["offer_id", "title", "description", "rome_code"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000])
    parser.add_argument("--snapshot-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    snapshot_dir = args.snapshot_dir or default_snapshot_dir()
    started = time.perf_counter()
    extractor = SkillExtractor.from_snapshot(snapshot_dir)
    print(f"extractor built and fitted in {time.perf_counter() - started:.1f} s")
    offers, _ = bundled(snapshot_dir)
    extractor.extract(offers)  # warm the token cache as a long-running asset would have it

    print(f"{'offers':>8} {'seconds':>8} {'offers/s':>9} {'skills':>8} {'peak MB (tracemalloc)':>22}")
    for size in args.sizes:
        frame = repeated_offers(offers, size)
        started = time.perf_counter()
        result = extractor.extract(frame)
        elapsed = time.perf_counter() - started
        tracemalloc.start()
        tracemalloc.reset_peak()
        extractor.extract(frame)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{size:>8} {elapsed:>8.2f} {size / elapsed:>9.0f} {len(result):>8} {peak / 2**20:>22.1f}")
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS: {max_rss:.0f} MB (includes the referential, the model and the input frames)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

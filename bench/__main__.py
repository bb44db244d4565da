"""Skill extractor throughput on one core, cold and warm, at 10,000 and 100,000 distinct offers; scoring in 1 and 2 processes.

Offers: the postings of a built warehouse (1,879 on the bundled snapshot), each copy made distinct (its own id, and a description
whose sentences are rotated and completed with one sentence of another offer and a reference
line), so that no text repeats. *Cold*: a fresh extractor (empty token and occupation caches, empty stem cache) reads
the offers once, as the pipeline asset does; *warm*: the same extractor reads them again. Both
wall-clock and CPU time are printed: on a shared machine the CPU figure is the per-core rate.
The build of the extractor (referentials, dictionary, automaton) and its fit are timed apart.

Last, on every core: the pipeline's scoring (the cross-fitted extractor) of 100,000 distinct offers
in one worker process, then two (matching.fitted_extractor.apply_in_processes), and the speed-up.
"""

from __future__ import annotations

import os

# One core: BLAS/OpenMP threads off before numpy is imported, and the process pinned to one CPU.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402

from matching.extract import CrossFitted, SkillExtractor, fitted  # noqa: E402
from matching.extractor_inputs import ExtractorInputs, load_extractor_inputs  # noqa: E402
from matching.fitted_extractor import apply_in_processes  # noqa: E402
from matching.offers import OFFER_COLUMNS  # noqa: E402
from matching.text import split_sentences  # noqa: E402


def distinct_offers(offers: pd.DataFrame, size: int) -> pd.DataFrame:
    """``size`` offers, copies of the bundled ones whose descriptions never repeat."""
    count = len(offers)
    sentences = [split_sentences(text) for text in offers["description"].fillna("")]
    rows = []
    for index in range(size):
        source, copy = index % count, index // count
        pieces = sentences[source]
        shift = copy % max(len(pieces), 1)
        extra = sentences[(source * 7919 + copy * 104_729) % count]
        offer_id = f"{offers['offer_id'].iat[source]}x{copy}"
        # A reference line as offers carry: a word no other offer has, and a text that never repeats.
        description = "\n".join(
            [
                *pieces[shift:],
                *pieces[:shift],
                extra[copy % max(len(extra), 1)] if extra else "",
                f"Référence {offer_id}",
            ]
        )
        rows.append((offer_id, offers["title"].iat[source], description, offers["rome_code"].iat[source]))
    return pd.DataFrame(rows, columns=OFFER_COLUMNS)


def timed(extractor: SkillExtractor, frame: pd.DataFrame) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    rows = len(extractor.extract(frame))
    return time.perf_counter() - wall, time.process_time() - cpu, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--warehouse", required=True, type=Path, help="a built warehouse (make run)")
    parser.add_argument(
        "--processes-offers",
        type=int,
        default=100_000,
        help="then score this many offers with the pipeline's cross-fitted extractor in 1 and 2 processes (0: skip)",
    )
    args = parser.parse_args(argv)
    all_cpus = set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else set()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(all_cpus)[0]})

    started = time.perf_counter()
    inputs = load_extractor_inputs(args.warehouse)
    base = SkillExtractor.from_inputs(inputs)
    built = time.perf_counter() - started
    offers, labels = inputs.offers, inputs.labels
    started = time.perf_counter()
    extractor, _ = fitted(base, offers, labels)
    print(f"extractor built in {built:.1f} s, fitted (cross-validated) in {time.perf_counter() - started:.1f} s")

    print(
        f"{'offers':>8} {'pass':>5} {'wall s':>7} {'cpu s':>7} {'offers/s wall':>14} {'offers/cpu-s':>13} {'skills':>8}"
    )
    for size in args.sizes:
        frame = distinct_offers(offers, size)
        cold = extractor.cold()
        for name in ("cold", "warm"):
            wall, cpu, rows = timed(cold, frame)
            print(f"{size:>8} {name:>5} {wall:>7.1f} {cpu:>7.1f} {size / wall:>14.0f} {size / cpu:>13.0f} {rows:>8}")
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"process max RSS: {max_rss:.0f} MB (referentials, model, input frames; offers are processed in chunks of 2,000)"
    )
    print(f"distinct descriptions at the largest size: {frame['description'].nunique()} of {len(frame)}")
    if args.processes_offers:
        processes_speed_up(inputs, base, distinct_offers(offers, args.processes_offers), all_cpus)
    return 0


def processes_speed_up(inputs: ExtractorInputs, base: SkillExtractor, frame: pd.DataFrame, cpus: set[int]) -> None:
    """The pipeline's scoring (the cross-fitted extractor, matching.fitted_extractor) of ``frame``
    in one worker process, then two: wall seconds and the speed-up, on every core of the machine."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, cpus)
    cross_fitted = CrossFitted.from_inputs(inputs, base)
    folds = cross_fitted.folds_of(frame)
    walls = {}
    for processes in (1, 2):
        started = time.perf_counter()
        # cold caches each time, as a night's step starts with the artefact it loads
        cold = CrossFitted(
            {fold: extractor.cold() for fold, extractor in cross_fitted.fold_extractors.items()},
            cross_fitted.known,
            cross_fitted.validation,
        )
        skills, _ = apply_in_processes(cold, frame, folds, processes)
        walls[processes] = time.perf_counter() - started
        print(
            f"cross-fitted scoring of {len(frame):,} offers in {processes} process(es): {walls[processes]:.1f} s wall, {len(skills):,} skills"
        )
    print(
        f"speed-up from one to two processes: {walls[1] / walls[2]:.2f}x (cores: {len(cpus)}, load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    raise SystemExit(main())

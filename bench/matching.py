"""Match scoring cost at the bundled scale and at k times it (default 1x and 10x).

Reads the matchers' inputs from a built warehouse (`make run` first), then replicates postings,
trainings, their skills and links, and candidates k times (new ids; each copy shifted by up to
~2 km so copies are distinct points in the same places, as a denser region would be). Prints
seconds, output rows and peak memory per scale: with blocking by occupation and grid cell, time
should grow about linearly with k for trainings x postings, not as k squared.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from matching.candidate_matches import CandidateInputs, match_candidates
from matching.training_matches import MatchInputs, match_trainings
from matching.warehouse_inputs import read_candidate_inputs, read_match_inputs


def _replicate(table: pa.Table, copies: int, id_columns: tuple[str, ...], shift_points: bool = False) -> pa.Table:
    parts = []
    rng = np.random.default_rng(copies)
    for copy in range(copies):
        part = table
        for column in id_columns:
            values = pc.cast(part.column(column), pa.string())
            part = part.set_column(
                part.schema.get_field_index(column),
                column,
                pc.binary_join_element_wise(values, pa.scalar(f"~{copy}"), ""),
            )
        if shift_points and copy and "latitude" in part.column_names:
            for column in ("latitude", "longitude"):
                shift = rng.uniform(-0.02, 0.02, part.num_rows)
                shifted = pc.add(pc.cast(part.column(column), pa.float64()), pa.array(shift))
                part = part.set_column(part.schema.get_field_index(column), column, shifted)
        parts.append(part)
    return pa.concat_tables(parts)


def scaled(inputs: MatchInputs, candidates: CandidateInputs, k: int) -> tuple[MatchInputs, CandidateInputs]:
    return (
        MatchInputs(
            postings=_replicate(inputs.postings, k, ("posting_id",), shift_points=True),
            posting_skills=_replicate(inputs.posting_skills, k, ("posting_id",)),
            trainings=_replicate(inputs.trainings, k, ("training_id",), shift_points=True),
            training_occupations=_replicate(inputs.training_occupations, k, ("training_id",)),
            training_skills=_replicate(inputs.training_skills, k, ("training_id",)),
            mobility=inputs.mobility,
        ),
        CandidateInputs(
            candidates=_replicate(candidates.candidates, k, ("candidate_id",), shift_points=True),
            candidate_occupations=_replicate(candidates.candidate_occupations, k, ("candidate_id",)),
            candidate_skills=_replicate(candidates.candidate_skills, k, ("candidate_id",)),
        ),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=Path("data/warehouse.duckdb"))
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        parser.error(f"{args.warehouse}: no warehouse; run `make run` first")
    inputs = read_match_inputs(args.warehouse)
    candidates = read_candidate_inputs(args.warehouse)
    print(
        f"{'scale':>5} {'postings':>9} {'trainings':>10} {'candidates':>10} {'training s':>10} "
        f"{'rows':>7} {'candidate s':>11} {'rows':>7} {'max RSS MB':>10}"
    )
    for k in args.scales:
        scaled_inputs, scaled_candidates = scaled(inputs, candidates, k)
        started = time.perf_counter()
        training_rows = len(match_trainings(scaled_inputs))
        training_seconds = time.perf_counter() - started
        started = time.perf_counter()
        candidate_rows = len(match_candidates(scaled_inputs, scaled_candidates))
        candidate_seconds = time.perf_counter() - started
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{k:>5} {scaled_inputs.postings.num_rows:>9} {scaled_inputs.trainings.num_rows:>10} "
            f"{scaled_candidates.candidates.num_rows:>10} {training_seconds:>10.2f} {training_rows:>7} "
            f"{candidate_seconds:>11.2f} {candidate_rows:>7} {rss:>10.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

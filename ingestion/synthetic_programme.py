"""A clearly labelled SYNTHETIC cohort of a regional training programme, for when no file exists.

The programme follow-up reads the operator's ``private/programme_participants.csv``; without it,
the pipeline runs on this synthetic cohort so that the funnel can be built and inspected. Nothing
here describes a real person. The sizes are **assumptions** echoing the public figures of "Numéric
Emploi Grand Est" (about 500 applications and 200 trainees a year, 80 to 90 % back in work), never
measurements:

- ``APPLICATIONS_PER_YEAR`` applications a year over ``COHORT_YEARS`` years before the reference
  date (the latest month of the jobseekers file, so the same inputs give the same file), each
  selected with probability ``SELECTION_SHARE`` (200 / 500);
- residence: a commune of the region in proportion to its jobseekers (as the synthetic
  candidates); gender: F with the national share of women among jobseekers, else M;
- training: one of the region's trainings leading to a digital occupation (ROME domain M18 and
  digital-transition flag), at most ``PROGRAMME_TRAININGS`` of them, drawn once;
- a trainee starts ``SELECTION_DAYS`` after applying and ends ``TRAINING_DAYS`` later (about 400
  hours); an ended training is completed with probability ``COMPLETION_SHARE``; 6 and 12 months after
  the end, when that date is past, a completer is in work with probability ``IN_WORK_6_MONTHS`` /
  ``IN_WORK_12_MONTHS`` (empty = not known yet).

References read ``SYNTHETIC-P000001`` ...; the file name ends in ``_SYNTHETIC.csv`` and
``is_synthetic`` is ``true`` on every row. Draws come from one seeded numpy generator, vectorised.

Command line::

    python -m ingestion.synthetic_programme --warehouse data/warehouse.duckdb --region 44 \\
        --output data/synthetic/programme_participants_SYNTHETIC.csv --seed 20261201
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ingestion.synthetic_candidates import (
    jobseeker_commune_weights,
    jobseeker_reference_date,
    women_jobseeker_share,
    write_synthetic_file,
)

PROGRAMME_CODE = "NUMERIC_EMPLOI_GE"
# Assumptions, labelled as such (the programme's public orders of magnitude, not its data).
APPLICATIONS_PER_YEAR = 500
SELECTION_SHARE = 200 / 500
COHORT_YEARS = 2
COMPLETION_SHARE = 0.9
IN_WORK_6_MONTHS = 0.8
IN_WORK_12_MONTHS = 0.85
PROGRAMME_TRAININGS = 8
SELECTION_DAYS = 30
TRAINING_DAYS = 90
# 6 and 12 months after the end of the training, in days.
FOLLOW_UP_DAYS = (183, 365)
DEFAULT_SEED = 20261201


@dataclass(frozen=True)
class CohortInputs:
    """commune_weights: commune_code, jobseekers; training_ids: the programme's candidate trainings."""

    commune_weights: pd.DataFrame
    training_ids: list[str]
    women_share: float | None
    reference_date: date


def generate(inputs: CohortInputs, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The synthetic participants, one row per application, in the private file's schema."""
    if not inputs.training_ids:
        raise ValueError("no training of the region leads to a digital occupation: cannot draw a programme cohort")
    if inputs.commune_weights.empty:
        raise ValueError("no commune of the region has jobseekers: cannot draw a programme cohort")
    rng = np.random.default_rng(seed)
    count = APPLICATIONS_PER_YEAR * COHORT_YEARS
    weights = inputs.commune_weights["jobseekers"].to_numpy(dtype=float)
    trainings = np.array(sorted(inputs.training_ids))
    chosen = rng.choice(trainings, size=min(PROGRAMME_TRAININGS, len(trainings)), replace=False)
    reference = pd.Timestamp(inputs.reference_date)
    applied = reference - pd.to_timedelta(rng.integers(0, 365 * COHORT_YEARS, size=count), unit="D")
    selected = rng.random(count) < SELECTION_SHARE
    end = applied + pd.Timedelta(days=SELECTION_DAYS + TRAINING_DAYS)
    ended = selected & (end <= reference)
    completed = ended & (rng.random(count) < COMPLETION_SHARE)
    known_6 = completed & (end + pd.Timedelta(days=FOLLOW_UP_DAYS[0]) <= reference)
    known_12 = completed & (end + pd.Timedelta(days=FOLLOW_UP_DAYS[1]) <= reference)
    in_work_6 = rng.random(count) < IN_WORK_6_MONTHS
    in_work_12 = rng.random(count) < IN_WORK_12_MONTHS
    women = rng.random(count) < (inputs.women_share or 0.0)

    def flag(values: np.ndarray, known: np.ndarray) -> pd.Series:
        return pd.Series(np.where(values, "true", "false")).where(known, "")

    participants = pd.DataFrame(
        {
            "participant_ref": "SYNTHETIC-P" + pd.Series(np.arange(1, count + 1)).astype(str).str.zfill(6),
            "programme_code": PROGRAMME_CODE,
            "applied_at": applied.strftime("%Y-%m-%d"),
            "is_selected": np.where(selected, "true", "false"),
            "training_id": rng.choice(chosen, size=count),
            "training_end_at": pd.Series(end.strftime("%Y-%m-%d")).where(selected, ""),
            "has_completed": pd.Series(np.where(completed, "true", "false")).where(ended, ""),
            "employed_6_months": flag(in_work_6, known_6),
            "employed_12_months": flag(in_work_12, known_12),
            "commune_code": rng.choice(
                inputs.commune_weights["commune_code"].to_numpy(), size=count, p=weights / weights.sum()
            ),
            "gender": "" if inputs.women_share is None else np.where(women, "F", "M"),
            "is_synthetic": "true",
        }
    )
    return participants.sort_values(["applied_at", "participant_ref"], kind="stable").reset_index(drop=True)


def load_cohort_inputs(warehouse: Path, region: str) -> CohortInputs:
    """Read the generator's inputs from the built warehouse (read-only)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        commune_weights = jobseeker_commune_weights(connection, region)
        training_ids = [
            row[0]
            for row in connection.execute(
                """
                select distinct trainings.training_id
                from marts.trainings as trainings
                -- the catalogue and certification links (built before the title similarity, which
                -- waits for the Python steps; this cohort is drawn before them)
                join intermediate.int_training_occupations_linked as links using (training_id)
                join marts.occupations as occupations using (rome_code)
                where trainings.region_code = ? and occupations.is_digital
                  and coalesce(trainings.is_published, true)
                order by trainings.training_id
                """,
                [region],
            ).fetchall()
        ]
        women_share = women_jobseeker_share(connection)
        reference_date = jobseeker_reference_date(connection, warehouse)
    return CohortInputs(commune_weights, training_ids, women_share, reference_date)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--region", default="44")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    arguments = parser.parse_args(argv)
    participants = generate(load_cohort_inputs(arguments.warehouse, arguments.region), arguments.seed)
    path = write_synthetic_file(arguments.output, participants)
    print(f"wrote {len(participants)} SYNTHETIC programme applications to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

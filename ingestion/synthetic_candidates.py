"""A clearly labelled SYNTHETIC candidates file, built only from open aggregates.

Real candidates come from the operator (``$PASSERELLE_DATA_DIR/private/candidates.csv``); when
there is none, the pipeline runs on this synthetic population so that every table can be built and
inspected. Nothing here describes a real person. Each synthetic candidate is drawn as follows:

- commune of residence: in proportion to the number of jobseekers per commune (France Travail
  DEFM counts for communes of more than 5,000 inhabitants, the latest month of the file);
- sought occupation: in proportion to the occupation mix of the region's job postings (the
  recruiters' ROME codes, near duplicates excluded);
- origin occupation: with probability ``RETRAINING_SHARE`` a ROME mobility source of the sought
  occupation (someone retraining towards it), else the sought occupation itself;
- skills: each item of the origin occupation (``coherence_item``) is held with probability
  ``CORE_SKILL_PROBABILITY`` for core items and ``OTHER_SKILL_PROBABILITY`` for the others;
- mobility radius: one of 10, 20, 30 or 50 km; gender: F with the national share of women among
  category-A jobseekers (DARES), else M; registration date: uniform over the two years before
  the latest month of the jobseekers file (so the same inputs always give the same file).

References read ``SYNTHETIC-000001`` ...; the file name ends in ``_SYNTHETIC.csv`` and its
``is_synthetic`` column is ``true`` on every row. Draws are vectorised with a seeded numpy
generator, so the same inputs and seed give the same file.

Command line::

    python -m ingestion.synthetic_candidates --warehouse data/warehouse.duckdb --region 44 \
        --output data/synthetic/candidates_SYNTHETIC.csv --count 2000 --seed 20261129
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

RETRAINING_SHARE = 0.35
CORE_SKILL_PROBABILITY = 0.75
OTHER_SKILL_PROBABILITY = 0.25
RADIUS_CHOICES_KM = np.array([10.0, 20.0, 30.0, 50.0])
RADIUS_PROBABILITIES = np.array([0.2, 0.35, 0.3, 0.15])
DEFAULT_COUNT = 2000
DEFAULT_SEED = 20261129
SYNTHETIC_SUFFIX = "_SYNTHETIC.csv"


@dataclass(frozen=True)
class OpenAggregates:
    """The open inputs of the generator.

    commune_weights: commune_code, jobseekers
    occupation_mix: rome_code, postings
    mobility: rome_code, target_rome_code
    occupation_items: rome_code, skill_code, is_core
    women_share: share of women among jobseekers (0..1), or None to leave gender empty
    reference_date: registration dates fall in the two years before it
    """

    commune_weights: pd.DataFrame
    occupation_mix: pd.DataFrame
    mobility: pd.DataFrame
    occupation_items: pd.DataFrame
    women_share: float | None
    reference_date: date


def _draw(rng: np.random.Generator, values: pd.Series, weights: pd.Series, size: int) -> np.ndarray:
    probabilities = weights.to_numpy(dtype=float)
    if len(values) == 0 or probabilities.sum() <= 0:
        raise ValueError("cannot draw from an empty or zero-weight distribution")
    return rng.choice(values.to_numpy(), size=size, p=probabilities / probabilities.sum())


def generate(aggregates: OpenAggregates, count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The synthetic candidates, one row per candidate, in the private file's schema."""
    rng = np.random.default_rng(seed)
    candidates = pd.DataFrame(
        {
            "candidate_ref": "SYNTHETIC-" + pd.Series(np.arange(1, count + 1)).astype(str).str.zfill(6),
            "commune_code": _draw(
                rng, aggregates.commune_weights["commune_code"], aggregates.commune_weights["jobseekers"], count
            ),
            "sought_rome_code": _draw(
                rng, aggregates.occupation_mix["rome_code"], aggregates.occupation_mix["postings"], count
            ),
        }
    )
    # Retraining: pick, for the candidates drawn to retrain, one mobility source of the sought code.
    sources = aggregates.mobility.rename(
        columns={"rome_code": "origin_rome_code", "target_rome_code": "sought_rome_code"}
    )
    retraining = rng.random(count) < RETRAINING_SHARE
    options = candidates.loc[retraining, ["candidate_ref", "sought_rome_code"]].merge(sources, on="sought_rome_code")
    options["draw"] = rng.random(len(options))
    chosen = options.sort_values("draw").drop_duplicates("candidate_ref")[["candidate_ref", "origin_rome_code"]]
    candidates = candidates.merge(chosen, on="candidate_ref", how="left")
    candidates["origin_rome_code"] = candidates["origin_rome_code"].fillna(candidates["sought_rome_code"])

    held = candidates[["candidate_ref", "origin_rome_code"]].merge(
        aggregates.occupation_items.rename(columns={"rome_code": "origin_rome_code"}), on="origin_rome_code"
    )
    probability = np.where(held["is_core"].to_numpy(dtype=bool), CORE_SKILL_PROBABILITY, OTHER_SKILL_PROBABILITY)
    held = held.loc[rng.random(len(held)) < probability]
    skills = (
        held.sort_values(["candidate_ref", "skill_code"])
        .assign(skill_code=lambda frame: frame["skill_code"].astype("int64").astype(str))
        .groupby("candidate_ref")["skill_code"]
        .agg(";".join)
        .rename("skill_codes")
    )
    candidates = candidates.merge(skills, on="candidate_ref", how="left")

    sought = candidates["sought_rome_code"]
    candidates["sought_rome_codes"] = sought.where(
        candidates["origin_rome_code"] == sought, sought + ";" + candidates["origin_rome_code"]
    )
    candidates["max_distance_km"] = rng.choice(RADIUS_CHOICES_KM, size=count, p=RADIUS_PROBABILITIES)
    if aggregates.women_share is None:
        candidates["gender"] = ""
    else:
        candidates["gender"] = np.where(rng.random(count) < aggregates.women_share, "F", "M")
    offsets = rng.integers(0, 730, size=count)
    candidates["registered_at"] = pd.to_datetime(aggregates.reference_date) - pd.to_timedelta(offsets, unit="D")
    candidates["registered_at"] = candidates["registered_at"].dt.strftime("%Y-%m-%d")
    candidates["is_synthetic"] = "true"
    return candidates[
        [
            "candidate_ref",
            "sought_rome_codes",
            "skill_codes",
            "commune_code",
            "max_distance_km",
            "gender",
            "registered_at",
            "is_synthetic",
        ]
    ]


def jobseeker_commune_weights(connection: duckdb.DuckDBPyConnection, region: str) -> pd.DataFrame:
    """commune_code, jobseekers: the region's communes weighted by their jobseekers (latest month)."""
    return connection.execute(
        """
        -- The DEFM file repeats some (commune, month) keys with different values: average them.
        with latest as (
            select territory_code as commune_code, month, avg(jobseekers) as jobseekers
            from staging.stg_jobseekers__jobseeker_counts
            where territory_level = 'commune'
            group by territory_code, month
        )
        select latest.commune_code, latest.jobseekers
        from latest
        join marts.territories as territories
          on territories.territory_level = 'commune' and territories.territory_code = latest.commune_code
        where territories.region_code = ?
          and latest.month = (select max(month) from latest) and latest.jobseekers > 0
        order by latest.commune_code
        """,
        [region],
    ).df()


def women_jobseeker_share(connection: duckdb.DuckDBPyConnection) -> float | None:
    """The national share of women among category-A jobseekers (DARES), 0..1, or None."""
    women = connection.execute(
        "select women_share_pct / 100.0 from staging.stg_dares__women_jobseeker_shares where is_total limit 1"
    ).fetchone()
    return float(women[0]) if women and women[0] is not None else None


def jobseeker_reference_date(connection: duckdb.DuckDBPyConnection, warehouse: Path) -> date:
    """The latest month of the jobseekers file: synthetic dates are drawn before it (reproducible)."""
    reference = connection.execute("select max(month) from staging.stg_jobseekers__jobseeker_counts").fetchone()
    return _required(reference, f"{warehouse}: staging.stg_jobseekers__jobseeker_counts is empty")


def load_open_aggregates(warehouse: Path, region: str) -> OpenAggregates:
    """Read the generator's inputs from the built warehouse (read-only)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        commune_weights = jobseeker_commune_weights(connection, region)
        # The postings as located and deduplicated by dbt, before the occupation inference joins
        # them in marts.job_postings: rome_code is the recruiter's own, so the generator does not
        # wait for the extraction (and the candidates' models are built in the same dbt step as
        # the extraction's).
        occupation_mix = connection.execute(
            """
            select rome_code, count(*) as postings
            from intermediate.int_job_postings_duplicates_flagged
            where duplicate_of is null and located_region_code = ?
            group by rome_code
            order by rome_code
            """,
            [region],
        ).df()
        if occupation_mix["postings"].sum() < 50:
            # Too few postings in the region to give a mix: use every posting of the snapshot.
            occupation_mix = connection.execute(
                "select rome_code, count(*) as postings from intermediate.int_job_postings_duplicates_flagged "
                "where duplicate_of is null group by rome_code order by rome_code"
            ).df()
        mobility = connection.execute(
            "select rome_code, target_rome_code from staging.stg_rome__mobility_links order by all"
        ).df()
        occupation_items = connection.execute(
            """
            select items.rome_code, items.skill_code, items.is_core
            from staging.stg_rome__occupation_items as items
            join marts.skills as skills using (skill_code)
            where skills.kind <> 'work_context'
            order by items.rome_code, items.skill_code
            """
        ).df()
        reference_date = jobseeker_reference_date(connection, warehouse)
        women_share = women_jobseeker_share(connection)
    return OpenAggregates(
        commune_weights=commune_weights,
        occupation_mix=occupation_mix,
        mobility=mobility,
        occupation_items=occupation_items,
        women_share=women_share,
        reference_date=reference_date,
    )


def _required(row: tuple | None, message: str) -> date:
    if row is None or row[0] is None:
        raise ValueError(message)
    return row[0]


def write_synthetic_file(output: Path, rows: pd.DataFrame) -> Path:
    """Write a SYNTHETIC file (its name must end in _SYNTHETIC.csv) in one atomic replace."""
    if not output.name.endswith(SYNTHETIC_SUFFIX):
        raise ValueError(f"{output}: a synthetic file must be named *{SYNTHETIC_SUFFIX}")
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_suffix(".tmp")
    rows.to_csv(temporary, index=False)
    temporary.replace(output)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--region", default="44")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    arguments = parser.parse_args(argv)
    candidates = generate(load_open_aggregates(arguments.warehouse, arguments.region), arguments.count, arguments.seed)
    path = write_synthetic_file(arguments.output, candidates)
    print(f"wrote {len(candidates)} SYNTHETIC candidates to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

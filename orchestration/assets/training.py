"""Training supply steps in Python: text links and skills before the training marts, coverage after."""

import dagster as dg
import duckdb

from ingestion.landing import land_derived
from matching.training_links import to_markdown
from matching.training_text import compute
from orchestration.assets.dbt import dbt_model_keys
from orchestration.executors import WAREHOUSE_OP_TAGS, WAREHOUSE_POOL
from orchestration.metadata import markdown_preview
from orchestration.resources import PasserellePaths

SOURCE = "matching"

TITLE_LINKS = dg.AssetKey([SOURCE, "training_title_links"])
BLOCK_ITEMS = dg.AssetKey([SOURCE, "rncp_skill_block_items"])
CONTENT_SKILLS = dg.AssetKey([SOURCE, "training_content_skills"])

_TEXT_INPUTS = dbt_model_keys(
    "trainings",
    "int_training_occupations_linked",
    "int_certification_romes_merged",
    "stg_rome__occupations",
    "int_occupation_labels_unioned",
    "stg_rome__items",
    "stg_rome__occupation_items",
    "stg_kit_apprentissage__rncp_skill_blocks",
)


@dg.multi_asset(
    pool=WAREHOUSE_POOL,
    op_tags=WAREHOUSE_OP_TAGS,
    specs=[
        dg.AssetSpec(
            TITLE_LINKS,
            deps=_TEXT_INPUTS,
            group_name=SOURCE,
            kinds={"python", "parquet"},
            description=(
                "One row per (training, historic ROME parent code) linked by the similarity of the training's "
                "title (and content text) to ROME 4.0 fiche labels and appellations (matching.training_links), "
                "for the trainings no catalogue code, RNCP fiche or diploma code links; up to 3 codes per "
                "training, each above the threshold chosen on the tuning part. The evaluation (precision at 1 "
                "and 3 on the trainings whose codes are known) is in this asset's metadata on every run."
            ),
        ),
        dg.AssetSpec(
            BLOCK_ITEMS,
            deps=_TEXT_INPUTS,
            group_name=SOURCE,
            kinds={"python", "parquet"},
            description=(
                "One row per (RNCP skill block of the Kit v1.4, ROME 4.0 item) whose label the block covers "
                "(TF-IDF coverage >= 0.6; candidates: the items of the certification's ROME codes). "
                "Source: stg_kit_apprentissage__rncp_skill_blocks, matching.training_skills."
            ),
        ),
        dg.AssetSpec(
            CONTENT_SKILLS,
            deps=_TEXT_INPUTS,
            group_name=SOURCE,
            kinds={"python", "parquet"},
            description=(
                "One row per (training, ROME 4.0 item) found in the training's content text (LHEO contenu/"
                "objectif, CPF sample), candidates the items of its occupations. Source: marts.trainings."
            ),
        ),
    ],
)
def training_text_links(context: dg.AssetExecutionContext, paths: PasserellePaths):  # noqa: ANN201 - yields results
    """Title similarity links, RNCP block items and content-text skills, computed in one pass."""
    outputs = compute(paths.warehouse_path)
    evaluation = outputs.evaluation
    report = to_markdown(evaluation)
    context.log.info("Title similarity evaluation:\n" + report)

    links = outputs.title_links
    rows = land_derived(
        paths.data_path,
        SOURCE,
        "training_title_links",
        links,
        origin="matching.training_links on marts.trainings",
        run_id=context.run_id,
    ).rows
    linked = int(links["training_id"].nunique())
    yield dg.MaterializeResult(
        asset_key=TITLE_LINKS,
        metadata={
            "dagster/row_count": dg.MetadataValue.int(rows),
            "trainings_read": dg.MetadataValue.int(outputs.trainings_read),
            "trainings_without_better_link": dg.MetadataValue.int(outputs.trainings_unlinked),
            "trainings_linked_by_title": dg.MetadataValue.int(linked),
            "threshold": dg.MetadataValue.float(evaluation.threshold),
            "label_weight": dg.MetadataValue.float(evaluation.label_weight),
            "precision_at_1_report": dg.MetadataValue.float(evaluation.figure("precision_at_1")),
            "precision_at_3_report": dg.MetadataValue.float(evaluation.figure("precision_at_3")),
            "hit_at_3_report": dg.MetadataValue.float(evaluation.figure("hit_at_3")),
            "share_linked_report": dg.MetadataValue.float(evaluation.figure("share_linked")),
            "evaluation": dg.MetadataValue.md(report),
            "preview": markdown_preview(links),
        },
    )

    blocks = outputs.block_items
    rows = land_derived(
        paths.data_path,
        SOURCE,
        "rncp_skill_block_items",
        blocks,
        origin="matching.training_skills on Kit v1.4 skill blocks",
        run_id=context.run_id,
    ).rows
    yield dg.MaterializeResult(
        asset_key=BLOCK_ITEMS,
        metadata={
            "dagster/row_count": dg.MetadataValue.int(rows),
            "blocks_read": dg.MetadataValue.int(outputs.blocks_read),
            "blocks_with_item": dg.MetadataValue.int(int(blocks["skill_block_code"].nunique())),
            "certifications_with_item": dg.MetadataValue.int(int(blocks["rncp_code"].nunique())),
            "preview": markdown_preview(blocks),
        },
    )

    content = outputs.content_skills
    rows = land_derived(
        paths.data_path,
        SOURCE,
        "training_content_skills",
        content,
        origin="matching.training_skills on marts.trainings",
        run_id=context.run_id,
    ).rows
    yield dg.MaterializeResult(
        asset_key=CONTENT_SKILLS,
        metadata={
            "dagster/row_count": dg.MetadataValue.int(rows),
            "trainings_with_content_skill": dg.MetadataValue.int(int(content["training_id"].nunique())),
            "preview": markdown_preview(content),
        },
    )


COVERAGE_SQL = "select * from marts.training_coverage order by source = 'all' desc, source"


@dg.asset(
    pool=WAREHOUSE_POOL,
    op_tags=WAREHOUSE_OP_TAGS,
    key=dg.AssetKey(["reports", "training_supply_coverage"]),
    group_name="reports",
    kinds={"python"},
    deps=dbt_model_keys("training_coverage", "training_skills"),
)
def training_supply_coverage(context: dg.AssetExecutionContext, paths: PasserellePaths) -> dg.MaterializeResult:
    """The coverage of the training supply on this run, as metadata only (no table of its own: the
    figures are marts.training_coverage, read here so that they show on the asset in the UI):
    trainings read, with a place, linked to at least one occupation (share, by link method), with
    skills (share, by origin)."""
    with duckdb.connect(str(paths.warehouse_path), read_only=True) as connection:
        coverage = connection.execute(COVERAGE_SQL).df()
        by_origin = connection.execute(
            "select origin, count(distinct training_id) as trainings, count(*) as rows "
            "from marts.training_skills group by origin order by origin"
        ).df()
    overall = coverage[coverage["source"] == "all"].iloc[0]
    read = int(overall["trainings_read"])
    methods = [column.removeprefix("linked_by_") for column in coverage.columns if column.startswith("linked_by_")]
    share_by_method = {method: round(int(overall[f"linked_by_{method}"]) / read, 4) for method in methods}
    share_by_origin = {row.origin: round(int(row.trainings) / read, 4) for row in by_origin.itertuples()}
    context.log.info(
        f"{read} trainings: {overall['share_linked']:.1%} linked ({share_by_method}), "
        f"{overall['share_with_place']:.1%} placed, {overall['share_with_skills']:.1%} with skills ({share_by_origin})"
    )
    return dg.MaterializeResult(
        metadata={
            "trainings_read": dg.MetadataValue.int(read),
            "share_with_place": dg.MetadataValue.float(float(overall["share_with_place"])),
            "share_linked": dg.MetadataValue.float(float(overall["share_linked"])),
            "share_linked_by_method": dg.MetadataValue.json(share_by_method),
            "share_with_skills": dg.MetadataValue.float(float(overall["share_with_skills"])),
            "share_with_skills_by_origin": dg.MetadataValue.json(share_by_origin),
            "training_skills_rows_by_origin": dg.MetadataValue.json(
                {row.origin: int(row.rows) for row in by_origin.itertuples()}
            ),
            "by_source": markdown_preview(coverage, rows=20),
        }
    )

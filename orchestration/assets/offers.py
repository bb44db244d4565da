"""France Travail job offers by creation day: live from the API, or the bundled snapshot."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import pandas as pd

from ingestion import france_travail, snapshot_offers
from ingestion.france_travail_api import created_on, day_window
from ingestion.geography import region_departements
from ingestion.landing import INGESTED_AT, PARQUET_NAME, LandedPartition, land, partition_path, read_manifest
from ingestion.rules import quarantine_rule_failures
from ingestion.snapshot_offers import offers_table_directory, plan_snapshot_days, write_index
from ingestion.tables import ParsedTable
from orchestration.resources import FranceTravailApi, PasserellePaths

OFFERS_TABLE = snapshot_offers.TABLE
OFFERS_KEY = dg.AssetKey([france_travail.SOURCE, OFFERS_TABLE])

# One partition per UTC creation day; end_offset=1 makes today's (partial) day a partition too.
offer_days = dg.DailyPartitionsDefinition(start_date="2022-01-01", end_offset=1, timezone="UTC")


@dg.asset(
    key=OFFERS_KEY,
    group_name=france_travail.SOURCE,
    description=france_travail.DESCRIPTION,
    partitions_def=offer_days,
    # A range of days (a backfill, the nightly re-read, `passerelle run`) is one run, not one per day.
    backfill_policy=dg.BackfillPolicy.single_run(),
    # Each day that lands is reported by its own materialization (below); in snapshot mode a day
    # of the range without bundled offers lands nothing and stays unmaterialized.
    output_required=False,
    kinds={"python", "parquet"},
    tags={"passerelle/layer": "raw"},
)
def france_travail_job_offers(
    context: dg.AssetExecutionContext, paths: PasserellePaths, france_travail_api: FranceTravailApi
) -> Iterator[dg.AssetMaterialization]:
    """Grain: one row per offer and creation-day partition (live: each offer once per day;
    snapshot: once per bundled file holding it). Source: the "Offres d'emploi v2" search of the
    region (live) or the bundled API responses (snapshot)."""
    days = [date.fromisoformat(key) for key in context.partition_keys]
    if france_travail_api.offers_source == "live":
        landed = _land_live(context, paths, france_travail_api, days)
    else:
        landed = _land_snapshot(context, paths, days)
    for partition, (result, notes) in landed.items():
        yield dg.AssetMaterialization(
            asset_key=OFFERS_KEY,
            partition=partition,
            metadata={
                "dagster/row_count": dg.MetadataValue.int(result.rows),
                "rows_read": (
                    dg.MetadataValue.int(int(result.manifest["rows_read"]))  # type: ignore[arg-type]
                    if result.manifest["rows_read"] is not None
                    else dg.MetadataValue.text("not counted")
                ),
                "rows_quarantined": dg.MetadataValue.int(int(result.manifest["rows_quarantined"])),  # type: ignore[arg-type]
                "path": dg.MetadataValue.path(str(result.path)),
                "origin": dg.MetadataValue.text(str(result.manifest["origin"])),
                **{f"note_{key}": dg.MetadataValue.text(str(value)) for key, value in notes.items()},
                # A day the run did not land again (snapshot: its files unchanged) stands as landed then.
                **(
                    {"landed_in_run": dg.MetadataValue.text(str(result.manifest.get("run_id")))}
                    if result.manifest.get("run_id") != context.run_id
                    else {}
                ),
            },
        )


Landed = dict[str, tuple[LandedPartition, dict[str, object]]]


def _land_live(
    context: dg.AssetExecutionContext, paths: PasserellePaths, api: FranceTravailApi, days: list[date]
) -> Landed:
    search = api.offers_search()
    departements = region_departements(paths.snapshot_path, paths.region)
    landed: Landed = {}
    for day in days:
        start, end = day_window(day)
        collection = search.collect(paths.region, departements, start, end)
        offers, outside = created_on(collection.offers, day)
        partition = day.isoformat()
        parsed = france_travail.parse_offers(offers, f"offres_search_region_{paths.region}_{partition}.json")
        parsed, rejected_per_rule = quarantine_rule_failures(parsed, france_travail.RULES)
        kept = _keep_offers_no_longer_online(paths.data_path, partition, parsed)
        notes: dict[str, object] = {
            "queries": len(collection.queries),
            "queries_split": len(collection.split_queries),
            "pages": collection.pages,
            "offers_received": collection.offers_received,
            "offers_of_the_day": len(offers),
            # Created at the window's closing midnight: they land with the next day.
            "offers_of_another_day": outside,
            "offers_kept_from_previous_landing": kept,
            "rows_quarantined_per_rule": rejected_per_rule,
            **{key: value for key, value in parsed.notes.items() if key.endswith("_scrubbed")},
        }
        result = land(
            paths.data_path,
            france_travail.SOURCE,
            OFFERS_TABLE,
            parsed,
            partition=partition,
            origin=f"live:{search.search_url} region={paths.region} created={partition}",
            run_id=context.run_id,
        )
        context.log.info(
            f"{partition}: {result.rows} offers landed ({len(parsed.rejects)} quarantined, {kept} kept from the "
            f"previous landing) from {len(collection.queries)} queries ({len(collection.split_queries)} split), "
            f"{collection.pages} pages"
        )
        landed[partition] = (result, notes)
    return landed


def _keep_offers_no_longer_online(data_dir: Path, partition: str, parsed: ParsedTable) -> int:
    """Add to ``parsed`` the offers an earlier landing of the day holds and the API no longer returns.

    The API only returns offers online now: re-reading a day a week later must update the offers
    still online without erasing those withdrawn since, or the history would shrink.
    """
    previous_file = partition_path(data_dir, "raw", france_travail.SOURCE, OFFERS_TABLE, partition) / PARQUET_NAME
    if not previous_file.exists():
        return 0
    previous = pd.read_parquet(previous_file).drop(columns=[INGESTED_AT], errors="ignore")
    gone = previous.loc[~previous["offer_id"].isin(parsed.rows["offer_id"])]
    if gone.empty:
        return 0
    gone = gone[list(parsed.rows.columns)].astype(parsed.rows.dtypes.to_dict())
    parsed.rows = pd.concat([parsed.rows, gone], ignore_index=True)
    return len(gone)


def _land_snapshot(context: dg.AssetExecutionContext, paths: PasserellePaths, days: list[date]) -> Landed:
    """The snapshot's offers, each in the partition of its creation day, parsing only the files
    the requested days need (ingestion.snapshot_offers); days without any are left as they are."""
    table_directory = offers_table_directory(paths.data_path)
    plan = plan_snapshot_days(paths.snapshot_path, table_directory, [day.isoformat() for day in days])
    if any(plan.rejected_per_rule.values()):
        context.log.warning(f"france_travail.job_offers: rows quarantined per rule: {plan.rejected_per_rule}")
    landed: Landed = {}
    parsed = plan.parsed
    for partition in plan.to_land:
        assert parsed is not None  # days to land come from parsed files
        rows = parsed.rows.loc[plan.row_days == partition].reset_index(drop=True)
        rejects = parsed.rejects.loc[(plan.reject_days == partition).fillna(False)].reset_index(drop=True)
        read_from = set(rows["_source_file"]) | set(rejects.get("_source_file", pd.Series(dtype="string")))
        day_table = ParsedTable(
            rows=rows,
            rejects=rejects,
            files=[file for file in parsed.files if file.name in read_from],
            encodings={name: encoding for name, encoding in parsed.encodings.items() if name in read_from},
            encoding_evidence={
                name: evidence for name, evidence in parsed.encoding_evidence.items() if name in read_from
            },
        )
        if parsed.records_read is not None:
            # The files' records were counted per file and checked whole; a day holds its share.
            day_table.records_read = day_table.rows_accounted
            day_table.counted_as = f"{parsed.counted_as}, checked for each file parsed, then split by day"
        origin = "snapshot:" + ",".join(
            str(file.relative_to(paths.snapshot_path)) if file.is_relative_to(paths.snapshot_path) else str(file)
            for file in day_table.files
        )
        result = land(
            paths.data_path,
            france_travail.SOURCE,
            OFFERS_TABLE,
            day_table,
            partition=partition,
            origin=origin,
            run_id=context.run_id,
        )
        landed[partition] = (result, {})
    for partition in plan.standing:
        standing = partition_path(paths.data_path, "raw", france_travail.SOURCE, OFFERS_TABLE, partition)
        landed[partition] = (LandedPartition(path=standing, manifest=read_manifest(standing)), {})
    # Last: a run killed before this point parses the same files again.
    write_index(table_directory, plan.index)
    context.log.info(
        f"snapshot: {len(plan.to_land)} days landed ({sum(landed[day][0].rows for day in plan.to_land)} rows) and "
        f"{len(plan.standing)} standing as landed, of {len(days)} requested; {plan.files_parsed} offer files "
        f"parsed, {plan.files_skipped} unchanged and not needed"
    )
    return dict(sorted(landed.items()))

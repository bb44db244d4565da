"""Row accounting: records are counted apart from the parsers, so a dropped row fails the asset."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from ingestion import geography
from ingestion.accounting import RowAccountingError, UncountedRecordsError, count_delimited_records, parse_counted
from ingestion.casting import REJECT_REASON
from ingestion.catalog import by_key
from ingestion.landing import land, read_manifest
from ingestion.readers.files import decode
from ingestion.tables import ParsedTable, RawTable, empty_rejects
from orchestration.assets.raw import build_raw_asset
from orchestration.resources import OpenDataSources, PasserellePaths

REGIONS = "geo_cog/v_region_2024.csv"  # 18 régions, the real COG 2024 file


def _regions_table(parse: object) -> RawTable:
    return RawTable("geography", "regions", "test copy of the régions", parse)  # type: ignore[arg-type]


def _dropping_parser(snapshot_dir: Path) -> ParsedTable:
    """The real régions parser, then a row lost the way a careless `dropna` loses it."""
    parsed = geography.parse("regions", snapshot_dir)
    parsed.rows = parsed.rows.iloc[1:].reset_index(drop=True)
    return parsed


def test_a_parser_that_drops_a_row_fails_the_landing_naming_table_and_numbers(
    snapshot_dir: Path, tmp_path: Path
) -> None:
    parsed = parse_counted(_regions_table(_dropping_parser), snapshot_dir)
    assert (parsed.records_read, len(parsed.rows), len(parsed.rejects)) == (18, 17, 0)
    with pytest.raises(RowAccountingError) as raised:
        land(tmp_path, "geography", "regions", parsed, partition="snapshot", origin="test")
    assert str(raised.value) == (
        "geography.regions: 18 source records read (delimited records (csv module), blank lines included) "
        "but 17 rows landed + 0 quarantined = 17; +1 rows unaccounted for"
    )
    assert not (tmp_path / "raw" / "geography" / "regions").exists()  # nothing landed


def test_the_raw_asset_of_a_dropping_parser_fails_and_the_honest_one_materializes(
    snapshot_dir: Path, tmp_path: Path
) -> None:
    paths = PasserellePaths(data_dir=str(tmp_path), snapshot_dir=str(snapshot_dir), region="44")
    failed = dg.materialize(
        [build_raw_asset(_regions_table(_dropping_parser))],
        resources={"paths": paths, "open_data": OpenDataSources()},
        raise_on_error=False,
    )
    assert not failed.success
    failure = next(event for event in failed.all_events if event.event_type_value == "STEP_FAILURE")
    assert "+1 rows unaccounted for" in str(failure.event_specific_data.error)
    honest = dg.materialize(
        [build_raw_asset(_regions_table(lambda d: geography.parse("regions", d)))],
        resources={"paths": paths, "open_data": OpenDataSources()},
    )
    metadata = honest.asset_materializations_for_node("geography__regions")[0].metadata
    assert metadata["rows_read"].value == 18 and metadata["dagster/row_count"].value == 18
    manifest = read_manifest(tmp_path / "raw" / "geography" / "regions" / "snapshot")
    assert (manifest["rows_read"], manifest["rows"], manifest["rows_quarantined"]) == (18, 18, 0)
    assert manifest["source_files"][0]["encoding_evidence"] == "utf-8: strict UTF-8 decode"


def _copy_with_lines(snapshot_dir: Path, tmp_path: Path, edit: object) -> tuple[Path, list[str]]:
    lines = decode(snapshot_dir / REGIONS).text.splitlines(keepends=True)
    edited = edit(lines)  # type: ignore[operator]
    target = tmp_path / "geo_cog" / "v_region_2024.csv"
    target.parent.mkdir(parents=True)
    target.write_text("".join(edited), encoding="utf-8")
    return tmp_path, edited


def test_blank_lines_are_counted_and_quarantined_not_skipped(snapshot_dir: Path, tmp_path: Path) -> None:
    copy, _ = _copy_with_lines(snapshot_dir, tmp_path, lambda lines: [*lines[:5], "\n", *lines[5:], "\n"])
    parsed = parse_counted(_regions_table(lambda d: geography.parse("regions", d)), copy)
    assert (parsed.records_read, len(parsed.rows), len(parsed.rejects)) == (20, 18, 2)
    assert parsed.rejects[REJECT_REASON].tolist() == ["blank record: no value in any column"] * 2
    assert parsed.rejects["_row_number"].tolist() == ["5", "20"]  # the 5th record after the header, and the last


def test_records_with_quoted_newlines_count_once(snapshot_dir: Path, tmp_path: Path) -> None:
    def quote_a_name_with_a_newline(lines: list[str]) -> list[str]:
        fields = lines[1].rstrip("\r\n").split(",")
        fields[-1] = '"' + fields[-1].strip('"') + '\nsur deux lignes"'
        return [lines[0], ",".join(fields) + "\r\n", *lines[2:]]

    copy, edited = _copy_with_lines(snapshot_dir, tmp_path, quote_a_name_with_a_newline)
    assert len("".join(edited).splitlines()) == 20  # 20 text lines, 18 records
    assert count_delimited_records("".join(edited), ",", has_header=True) == 18
    parsed = parse_counted(_regions_table(lambda d: geography.parse("regions", d)), copy)
    assert (parsed.records_read, len(parsed.rows), len(parsed.rejects)) == (18, 18, 0)


def test_a_table_nobody_counted_is_refused_before_landing(snapshot_dir: Path) -> None:
    # A parser reading a file with plain pandas: no counting reader saw it, so no count exists.
    def uncounted(directory: Path) -> ParsedTable:
        path = directory / "geo_cog" / "v_region_2024.csv"
        return ParsedTable(rows=pd.read_csv(path, dtype="string"), rejects=empty_rejects(), files=[path])

    with pytest.raises(UncountedRecordsError, match=r"geography\.regions: the records of \['v_region_2024\.csv'\]"):
        parse_counted(_regions_table(uncounted), snapshot_dir)


@pytest.mark.parametrize(
    ("key", "records", "method"),
    [
        # The 17 indicators of the referential; 8,900 period and characteristic entries of the two answers.
        (("france_travail_stats", "indicators"), 17, "JSON array length"),
        (("france_travail_stats", "indicator_values"), 8900, "JSON period entries + their characteristic entries"),
        # Every quoted key of the two passage formats, and of the five label formats.
        (("fap", "rome_v3_to_fap2009"), 2341, "quoted keys of the value statements (regular expressions)"),
        (("fap", "fap2009_format_labels"), 339, "quoted keys of the value statements (regular expressions)"),
        # FORMACODE, NSF and ROME codes under each formation, and under each offer summary.
        (("lheo", "formation_codes"), 4, "code elements of <formation><domaine-formation> (streaming XML parse)"),
        (
            ("lheo", "offer_summary_codes"),
            81,
            "code elements of <resume-offre><domaine-formation> (streaming XML parse)",
        ),
    ],
)
def test_nested_documents_are_counted_from_the_document(
    snapshot_dir: Path, key: tuple[str, str], records: int, method: str
) -> None:
    parsed = parse_counted(by_key()[key], snapshot_dir)
    assert (parsed.records_read, parsed.rows_accounted, parsed.counted_as) == (records, records, method)

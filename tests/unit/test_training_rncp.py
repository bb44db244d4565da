"""France compétences RNCP export parsers: files found by prefix, in a folder or a zip."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from ingestion import rncp
from ingestion.errors import SourceFileError

SAMPLE = "france_competences_export_sample_2024-02-22"


def test_every_export_table_on_the_real_sample(snapshot_dir: Path) -> None:
    counts = {table: len(rncp.parse_export_table(table, snapshot_dir).rows) for table in rncp.EXPORT_TABLES}
    assert counts == {
        "fiches": 9,
        "fiche_romes": 15,
        "fiche_formacodes": 5,
        "fiche_nsf": 10,
        "fiche_certificateurs": 6,
        "fiche_partenaires": 10,
        "fiche_blocs_competences": 6,
        "fiche_voies_acces": 34,
        "fiche_ccn": 2,
        "fiche_successions": 9,
    }


def test_values_tab_stripped_and_dates(snapshot_dir: Path) -> None:
    fiches = rncp.parse_export_table("fiches", snapshot_dir).rows.set_index("numero_fiche")
    assert fiches.loc["RNCP509", "intitule"] == "Agent vérificateur d'appareils extincteurs"
    assert str(fiches.loc["RNCP509", "date_fin_enregistrement"]) == "2023-08-31"
    certifiers = rncp.parse_export_table("fiche_certificateurs", snapshot_dir).rows
    assert certifiers.iloc[0]["siret_certificateur"] == "11004301500012"
    romes = rncp.parse_export_table("fiche_romes", snapshot_dir).rows
    assert romes.iloc[0][["numero_fiche", "code_rome"]].tolist() == ["RNCP509", "I1203"]
    formacodes = rncp.parse_export_table("fiche_formacodes", snapshot_dir).rows
    assert formacodes.iloc[0]["formacode"] == "42872"


def test_latest_export_inside_a_zip_wins(snapshot_dir: Path, tmp_path: Path) -> None:
    (tmp_path / rncp.FOLDER).mkdir()
    shutil.copytree(snapshot_dir / rncp.FOLDER / SAMPLE, tmp_path / rncp.FOLDER / SAMPLE)
    with zipfile.ZipFile(tmp_path / rncp.FOLDER / "export-fiches-csv-2024-03-01.zip", "w") as archive:
        archive.writestr(
            "export_fiches_CSV_Rome_2024_03_01.csv",
            '"Numero_Fiche";"Codes_Rome_Code";"Codes_Rome_Libelle"\r\n"RNCP1";"M1805";"Études et développement informatique"\r\n',
        )
    parsed = rncp.parse_export_table("fiche_romes", tmp_path)
    assert parsed.rows["code_rome"].tolist() == ["M1805"]
    assert parsed.files[0].name == "export_fiches_CSV_Rome_2024_03_01.csv"


def test_missing_file_and_bad_header_are_clear_errors(snapshot_dir: Path, tmp_path: Path) -> None:
    (tmp_path / rncp.FOLDER).mkdir()
    with pytest.raises(SourceFileError, match=r"export_fiches_CSV_Rome_\*\.csv: files: expected one RNCP export file"):
        rncp.parse_export_table("fiche_romes", tmp_path)
    (tmp_path / rncp.FOLDER / "export_fiches_CSV_Rome_2024_02_22.csv").write_text('"Numero";"Code"\n"RNCP1";"M1805"\n')
    with pytest.raises(SourceFileError, match=r"header: expected columns \['Numero_Fiche', 'Codes_Rome_Code'"):
        rncp.parse_export_table("fiche_romes", tmp_path)

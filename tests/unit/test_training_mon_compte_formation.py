"""Mon Compte Formation parser, on a small file written here in the documented export format.

There is NO real copy of the catalogue in the bundle: the file below follows the column list of
the Opendatasoft export (';' separated; ingestion.mon_compte_formation.SCHEMA), with made-up but
plausible values.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion import mon_compte_formation as mcf
from ingestion.errors import SourceFileError

HEADER = (
    "date_extract;nom_of;siret;numero_formation;intitule_formation;points_forts;objectif_formation;contenu_formation;"
    "resultats_attendus_formation;type_referentiel;code_rncp;code_rs;code_inventaire;code_certifinfo;"
    "intitule_certification;libelle_niveau_sortie_formation;code_formacode_1;code_formacode_2;code_formacode_3;"
    "code_formacode_4;code_formacode_5;libelle_code_formacode_principal;code_rome_1;code_rome_2;code_rome_3;"
    "code_rome_4;code_rome_5;code_nsf_1;code_nsf_2;code_nsf_3;libelle_nsf_1;libelle_nsf_2;libelle_nsf_3;nb_action;"
    "nb_session_active;nb_session_a_distance;nombre_heures_total_min;nombre_heures_total_max;nombre_heures_total_mean;"
    "frais_ttc_tot_min;frais_ttc_tot_max;frais_ttc_tot_mean;nom_region;code_region;nom_departement;code_departement;"
    "coderegion_export;nbaction_nbheures"
)
ROWS = [
    "2024-05-02;ORGANISME TEST;12345678900012;01_FORM_1;Développeur web et web mobile;Projet en entreprise;"
    "Concevoir une application;HTML CSS JavaScript;Titre professionnel;RNCP;RNCP37674;;;108370;"
    "Développeur web et web mobile;Niveau 5;31054;31067;;;;Développement web;M1805;M1855;;;;326;;;"
    "Informatique;;;3;2;1;399;399;399.0;5900;5900;5900.0;Grand Est;44;Bas-Rhin;67;44;3",
    "2024-05-02;AUTRE OF;98765432100034;01_FORM_2;Cariste CACES R489;;Conduire un chariot;;;RS;;RS5632;;;"
    "CACES R489;;31812;;;;;Cariste;N1101;;;;;311;;;Transport;;;1;1;0;35;35;35.0;sur devis;950;950.0;"
    "Grand Est;44;Moselle;57;44;1",
]


def _write(tmp_path: Path, header: str = HEADER, rows: list[str] = ROWS) -> Path:
    folder = tmp_path / mcf.FOLDER
    folder.mkdir(exist_ok=True)
    path = folder / "moncompteformation_catalogueformation.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_documented_format(tmp_path: Path) -> None:
    _write(tmp_path)
    parsed = mcf.parse_catalogue(tmp_path)
    assert len(parsed.rows) == 1 and len(parsed.rejects) == 1  # "sur devis" is not a price
    row = parsed.rows.iloc[0]
    assert (row["numero_formation"], row["code_rncp"], row["code_rome_1"], row["code_rome_2"]) == (
        "01_FORM_1",
        "RNCP37674",
        "M1805",
        "M1855",
    )
    assert (row["nb_action"], row["frais_ttc_tot_mean"], row["code_departement"]) == (3, 5900.0, "67")
    assert parsed.rejects.iloc[0]["reject_reason"] == "column 'frais_ttc_tot_min': expected a number, found 'sur devis'"


def test_older_export_aliases_and_missing_rome_columns(tmp_path: Path) -> None:
    names = HEADER.split(";")
    keep = [i for i, name in enumerate(names) if not name.startswith("code_rome_")]
    header = (
        ";".join(names[i] for i in keep).replace("date_extract", "date_chargement").replace(";siret;", ";siret_of;")
    )
    rows = [";".join(row.split(";")[i] for i in keep) for row in ROWS[:1]]
    _write(tmp_path, header, rows)
    row = mcf.parse_catalogue(tmp_path).rows.iloc[0]
    assert (row["siret"], row["date_extract"]) == ("12345678900012", "2024-05-02")
    assert row[["code_rome_1", "code_rome_5"]].isna().all()


def test_other_file_is_a_clear_error(tmp_path: Path) -> None:
    _write(tmp_path, "title;rome\n", ["x;M1805"])
    with pytest.raises(
        SourceFileError, match=r"header: expected the Mon Compte Formation columns \['numero_formation'"
    ):
        mcf.parse_catalogue(tmp_path)


def test_not_registered_in_snapshot_mode() -> None:
    assert mcf.TABLES == []
    assert mcf.LIVE_TABLE.key == ("mon_compte_formation", "catalogue")

"""France compétences' daily RNCP / RS export: fiches and their ROME, Formacode, NSF, blocks, bodies.

The export is a zip ``export-fiches-csv-YYYY-MM-DD.zip`` of ten ``;``-separated, fully quoted UTF-8
files named ``export_fiches_CSV_<Kind>_YYYY_MM_DD.csv``. The date changes every day, so files are
found by prefix, in a folder or inside the zip, and the latest date wins. SIRET cells start with a
TAB inside the quotes: the typing step strips it. The bundled copy is a real but tiny export of
2024-02-22 (9 fiches): a parser fixture, not a referential.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from ingestion.accounting import count_delimited_records, note_records
from ingestion.casting import Column, apply_schema
from ingestion.errors import SourceFileError
from ingestion.readers.files import decode, with_provenance
from ingestion.rules import NO_RULES, ROME_CODE, TableRules, matches
from ingestion.tables import ParsedTable, RawTable

SOURCE = "rncp"
FOLDER = "rncp"
_NAME = re.compile(r"^export_fiches_CSV_(?P<kind>.+)_(?P<date>\d{4}_\d{2}_\d{2})\.csv$")
_DATE = "%d/%m/%Y"


@dataclass(frozen=True)
class ExportTable:
    kind: str
    description: str
    schema: list[Column]


def _c(name: str, source: str, column_type: str = "string", **options: object) -> Column:
    return Column(name, column_type, source=source, **options)  # type: ignore[arg-type]


_FICHE = _c("numero_fiche", "Numero_Fiche", required=True)

EXPORT_TABLES: dict[str, ExportTable] = {
    "fiches": ExportTable(
        "Standard",
        "One row per RNCP or RS fiche of France compétences' daily export: title, European level, "
        "dates, registration type, active flag (file export_fiches_CSV_Standard_*).",
        [
            _c("id_fiche", "Id_Fiche", "int"),
            _FICHE,
            _c("intitule", "Intitule"),
            _c("abrege_libelle", "Abrege_Libelle"),
            _c("abrege_intitule", "Abrege_Intitule"),
            _c("nomenclature_europe_niveau", "Nomenclature_Europe_Niveau"),
            _c("nomenclature_europe_intitule", "Nomenclature_Europe_Intitule"),
            _c("accessible_nouvelle_caledonie", "Accessible_Nouvelle_Caledonie", "bool"),
            _c("accessible_polynesie_francaise", "Accessible_Polynesie_Francaise", "bool"),
            _c("date_dernier_jo", "Date_dernier_jo", "date", date_format=_DATE),
            _c("date_decision", "Date_Decision", "date", date_format=_DATE),
            _c("date_fin_enregistrement", "Date_Fin_Enregistrement", "date", date_format=_DATE),
            _c("date_effet", "Date_Effet", "date", date_format=_DATE),
            _c("type_enregistrement", "Type_Enregistrement"),
            _c("validation_partielle", "Validation_Partielle", "bool"),
            _c("actif", "Actif"),
        ],
    ),
    "fiche_romes": ExportTable(
        "Rome",
        "One row per (fiche, ROME code) of the RNCP export: the certification to occupation link.",
        [_FICHE, _c("code_rome", "Codes_Rome_Code", required=True), _c("libelle_rome", "Codes_Rome_Libelle")],
    ),
    "fiche_formacodes": ExportTable(
        "Formacode",
        "One row per (fiche, Formacode) of the RNCP export; the label repeats the code ('42872 : ...').",
        [_FICHE, _c("formacode", "Formacode_Code", required=True), _c("formacode_libelle", "Formacode_Libelle")],
    ),
    "fiche_nsf": ExportTable(
        "Nsf",
        "One row per (fiche, NSF speciality) of the RNCP export; the first 3 characters are the NSF group.",
        [_FICHE, _c("nsf_code", "Nsf_Code", required=True), _c("nsf_intitule", "Nsf_Intitule")],
    ),
    "fiche_certificateurs": ExportTable(
        "Certificateurs",
        "One row per (fiche, certifying body) of the RNCP export, with the body's SIRET (leading TAB stripped).",
        [_FICHE, _c("siret_certificateur", "Siret_Certificateur"), _c("nom_certificateur", "Nom_Certificateur")],
    ),
    "fiche_partenaires": ExportTable(
        "Partenaires",
        "One row per (fiche, partner organisation) of the RNCP export, with SIRET and habilitation.",
        [
            _FICHE,
            _c("nom_partenaire", "Nom_Partenaire"),
            _c("siret_partenaire", "Siret_Partenaire"),
            _c("habilitation_partenaire", "Habilitation_Partenaire"),
        ],
    ),
    "fiche_blocs_competences": ExportTable(
        "Blocs_De_Compétences",
        "One row per skill block of an RNCP fiche in the export: block code and wording.",
        [
            _FICHE,
            _c("bloc_competences_code", "Bloc_Competences_Code", required=True),
            _c("bloc_competences_libelle", "Bloc_Competences_Libelle"),
        ],
    ),
    "fiche_voies_acces": ExportTable(
        "VoixdAccès",
        "One row per (fiche, access route) of the RNCP export (VAE, apprenticeship, ...).",
        [_FICHE, _c("si_jury", "Si_Jury")],
    ),
    "fiche_ccn": ExportTable(
        "CCN",
        "One row per fiche with up to three collective agreements (CCN) of the RNCP export.",
        [
            _FICHE,
            *(_c(f"ccn_{i}_{part.lower()}", f"Ccn_{i}_{part}") for i in (1, 2, 3) for part in ("Numero", "Libelle")),
        ],
    ),
    "fiche_successions": ExportTable(
        "Ancienne_Nouvelle_Certification",
        "One row per fiche of the RNCP export with the fiche it replaces or is replaced by.",
        [
            _FICHE,
            _c("ancienne_certification", "Ancienne_Certification"),
            _c("nouvelle_certification", "Nouvelle_Certification"),
        ],
    ),
}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def find_export_file(snapshot_dir: Path, kind: str) -> tuple[Path, bytes]:
    """The latest ``export_fiches_CSV_<kind>_YYYY_MM_DD.csv`` under ``rncp/``, plain or inside a zip."""
    root = snapshot_dir / FOLDER
    candidates: list[tuple[str, Path, str | None]] = []
    for path in sorted(root.rglob("*")):
        match = _NAME.match(_nfc(path.name))
        if path.is_file() and match and match["kind"] == _nfc(kind):
            candidates.append((match["date"], path, None))
        elif path.is_file() and path.suffix == ".zip":
            try:
                with zipfile.ZipFile(path) as archive:
                    names = archive.namelist()
            except zipfile.BadZipFile as error:
                raise SourceFileError(path, "zip archive", "a valid zip file", str(error)) from error
            for member in names:
                member_match = _NAME.match(_nfc(Path(member).name))
                if member_match and member_match["kind"] == _nfc(kind):
                    candidates.append((member_match["date"], path, member))
    if not candidates:
        raise SourceFileError(
            root / f"export_fiches_CSV_{kind}_*.csv", "files", "one RNCP export file of that kind", "none"
        )
    _, path, member = max(candidates, key=lambda candidate: candidate[0])
    if member is None:
        return path, path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        return path / member, archive.read(member)


def parse_export_table(table: str, snapshot_dir: Path) -> ParsedTable:
    spec = EXPORT_TABLES[table]
    path, data = find_export_file(snapshot_dir, spec.kind)
    decoded = decode(path, data)
    note_records(path, count_delimited_records(decoded.text, ";", has_header=True), "delimited records (csv module)")
    try:
        frame = pd.read_csv(
            io.StringIO(decoded.text),
            sep=";",
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError) as error:
        raise SourceFileError(path, "CSV structure", "';'-separated, quoted text", str(error)) from error
    missing = [column.source_name for column in spec.schema if column.source_name not in frame.columns]
    if missing:
        raise SourceFileError(path, "header", f"columns {missing}", f"columns {list(frame.columns)}")
    rows, rejects = apply_schema(with_provenance(frame, path), spec.schema)
    return ParsedTable(rows=rows, rejects=rejects, files=[path], encodings={path.name: decoded.encoding})


RULES: dict[str, TableRules] = {
    "fiches": TableRules(unique=("numero_fiche",)),
    "fiche_romes": TableRules(row_rules=(matches("code_rome", ROME_CODE, "rome_code"),)),
}

TABLES: list[RawTable] = [
    RawTable(
        SOURCE, table, spec.description, partial(parse_export_table, table), spec.schema, RULES.get(table, NO_RULES)
    )
    for table, spec in EXPORT_TABLES.items()
]

"""France Travail "Offres d'emploi v2": job offers in the API format, one row per offer per file.

Inputs, all bundled in the API's own shape:

- JSON arrays of offers as returned in ``resultats`` by ``GET /offresdemploi/v2/offres/search``
  (a whole search response, an object holding a ``resultats`` array, is accepted too); live mode
  hands the API's offers to :func:`parse_offers` in memory (ingestion/france_travail_api.py);
- the mounaTay ``.psv`` file: the same offers flattened by pandas with dotted column names
  (``lieuTravail.libelle``), ``|``-separated, whose list fields are Python repr strings.

Both are brought to the same frame of dotted API names, then to one typed schema. Personal data
never lands: the ``contact`` and ``agence`` blocks are dropped whatever the file, and e-mail
addresses and French phone numbers become ``[email]`` and ``[tel]`` in every text field (the
quarantine gets the scrubbed text too). List fields (competences, formations, …) stay JSON text.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.accounting import note_records
from ingestion.casting import REJECT_REASON, Column, apply_schema
from ingestion.errors import SourceFileError
from ingestion.readers.files import ROW_NUMBER, SOURCE_FILE, read_delimited, read_json, snapshot_files, with_provenance
from ingestion.rules import COMMUNE_CODE, ROME_CODE, TableRules, matches, non_negative, not_in_future
from ingestion.tables import ParsedTable, RawTable

SOURCE = "france_travail"

# (folder, pattern) of the bundled offer files; only DERIVED_ copies are bundled (no contact data).
OFFER_FILES: tuple[tuple[str, str], ...] = (
    ("france_travail_offres", "DERIVED_*.json"),
    ("france_travail_offres_more", "DERIVED_*.json"),
    ("france_travail_offres_more", "DERIVED_*.psv"),
    ("france_travail_offres_national_2026", "DERIVED_*.json"),
)

# Blocks that hold recruiters' names, phones and e-mails: never read past the parser.
PERSONAL_BLOCKS = ("contact", "agence")

EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
# French numbers: 0X or +33 X / 0033 X (optional "(0)"), then four pairs, with optional space, dot
# or dash between the groups; not inside a longer run of digits (SIRET, references).
PHONE_PATTERN = r"(?<![\d+])(?:(?:\+|00)\s?33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)"
# PHONE_PATTERN without its lookarounds (RE2 has none) and with Python's Unicode classes spelled
# out for RE2 (its \s and \d are ASCII): every cell PHONE_PATTERN matches, this matches too.
_ANY_SPACE = r"[\s\x0b\x1c-\x1f\x85\p{Z}]"
PHONE_CANDIDATE = (
    rf"(?:(?:\+|00){_ANY_SPACE}?33(?:{_ANY_SPACE}|[.-])?(?:\(0\)(?:{_ANY_SPACE}|[.-])?)?|0)[1-9]"
    rf"(?:(?:{_ANY_SPACE}|[.-])?\p{{Nd}}{{2}}){{4}}"
)
EMAIL_MARK = "[email]"
PHONE_MARK = "[tel]"

# API list fields: (dotted API name, landed column holding their JSON text).
LIST_FIELDS: dict[str, str] = {
    "competences": "competences_json",
    "formations": "formations_json",
    "langues": "langues_json",
    "permis": "permis_json",
    "qualitesProfessionnelles": "qualites_professionnelles_json",
    "contexteTravail.horaires": "contexte_travail_horaires_json",
    "contexteTravail.conditionsExercice": "contexte_travail_conditions_exercice_json",
    "salaire.listeComplements": "salaire_liste_complements_json",
    "origineOffre.partenaires": "origine_offre_partenaires_json",
}

ISO = "ISO8601"

SCHEMA: list[Column] = [
    Column("offer_id", source="id", required=True),
    Column("intitule", source="intitule"),
    Column("description", source="description"),
    Column("date_creation", "timestamp", source="dateCreation", date_format=ISO),
    Column("date_actualisation", "timestamp", source="dateActualisation", date_format=ISO),
    Column("rome_code", source="romeCode"),
    Column("rome_libelle", source="romeLibelle"),
    Column("appellation_libelle", source="appellationlibelle"),
    Column("type_contrat", source="typeContrat"),
    Column("type_contrat_libelle", source="typeContratLibelle"),
    Column("nature_contrat", source="natureContrat"),
    Column("experience_exige", source="experienceExige"),
    Column("experience_libelle", source="experienceLibelle"),
    Column("experience_commentaire", source="experienceCommentaire"),
    Column("alternance", "bool", source="alternance"),
    Column("nombre_postes", "int", source="nombrePostes"),
    Column("lieu_travail_libelle", source="lieuTravail.libelle"),
    Column("lieu_travail_commune", source="lieuTravail.commune"),
    Column("lieu_travail_code_postal", source="lieuTravail.codePostal"),
    Column("lieu_travail_latitude", "float", source="lieuTravail.latitude"),
    Column("lieu_travail_longitude", "float", source="lieuTravail.longitude"),
    Column("entreprise_nom", source="entreprise.nom"),
    Column("entreprise_description", source="entreprise.description"),
    Column("entreprise_url", source="entreprise.url"),
    Column("entreprise_logo", source="entreprise.logo"),
    Column("entreprise_entreprise_adaptee", "bool", source="entreprise.entrepriseAdaptee"),
    Column("entreprise_adaptee", "bool", source="entrepriseAdaptee"),
    Column("employeur_handi_engage", "bool", source="employeurHandiEngage"),
    Column("code_naf", source="codeNAF"),
    Column("secteur_activite", source="secteurActivite"),
    Column("secteur_activite_libelle", source="secteurActiviteLibelle"),
    Column("tranche_effectif_etab", source="trancheEffectifEtab"),
    Column("qualification_code", source="qualificationCode"),
    Column("qualification_libelle", source="qualificationLibelle"),
    Column("salaire_libelle", source="salaire.libelle"),
    Column("salaire_commentaire", source="salaire.commentaire"),
    Column("salaire_complement1", source="salaire.complement1"),
    Column("salaire_complement2", source="salaire.complement2"),
    Column("duree_travail_libelle", source="dureeTravailLibelle"),
    Column("duree_travail_libelle_converti", source="dureeTravailLibelleConverti"),
    Column("complement_exercice", source="complementExercice"),
    Column("condition_exercice", source="conditionExercice"),
    Column("deplacement_code", source="deplacementCode"),
    Column("deplacement_libelle", source="deplacementLibelle"),
    Column("offres_manque_candidats", "bool", source="offresManqueCandidats"),
    Column("accessible_th", "bool", source="accessibleTH"),
    Column("origine_offre_origine", source="origineOffre.origine"),
    Column("origine_offre_url_origine", source="origineOffre.urlOrigine"),
    *[Column(column, source=field) for field, column in LIST_FIELDS.items()],
]

DESCRIPTION = (
    "One row per job offer per input file (the same offer id may appear in several files), in the "
    "France Travail 'Offres d'emploi v2' API format: typed scalar fields, list fields (competences, "
    "formations, langues, permis, qualitesProfessionnelles) as JSON text. The contact and agence "
    "blocks are dropped and e-mails / French phone numbers scrubbed to [email] / [tel] in all text. "
    "Partitioned by creation day (UTC): raw/france_travail/job_offers/<YYYY-MM-DD>/. Source: live, the "
    "search of the region's offers created that day (PASSERELLE_OFFERS_SOURCE=live); snapshot, the "
    "bundled DERIVED_ copies of API search results (ingestion/snapshot/france_travail_offres*)."
)


def read_offers_json(path: Path) -> tuple[pd.DataFrame, str]:
    """The offers of an API-format JSON file as a frame with dotted API column names.

    ``_row_number`` is the offer's 1-based position in the array (JSON has no row lines).
    """
    document, encoding = read_json(path, "an array of offers or an object with a 'resultats' array")
    if isinstance(document, dict) and isinstance(document.get("resultats"), list):
        offers = document["resultats"]
    elif isinstance(document, list):
        offers = document
    else:
        found = f"an object with keys {sorted(document)[:8]}" if isinstance(document, dict) else type(document).__name__
        raise SourceFileError(path, "top level", "an array of offers or an object with a 'resultats' array", found)
    note_records(path, len(offers), "JSON array elements")
    return offers_frame(offers, path), encoding


def offers_frame(offers: list[object], origin: Path) -> pd.DataFrame:
    """API offer objects as a frame with dotted API column names, personal blocks dropped.

    ``origin`` names where the offers come from (a file, or the name given to a live response)
    in ``_source_file``; ``_row_number`` is the offer's 1-based position.
    """
    not_objects = [index for index, offer in enumerate(offers) if not isinstance(offer, dict)]
    if not_objects:
        raise SourceFileError(
            origin,
            f"offer {not_objects[0] + 1} of the array",
            "a JSON object per offer",
            type(offers[not_objects[0]]).__name__,
        )
    # Personal blocks go before flattening so that no column of theirs ever exists.
    kept = [{key: value for key, value in offer.items() if key not in PERSONAL_BLOCKS} for offer in offers]  # type: ignore[union-attr]
    frame = pd.json_normalize(kept) if kept else pd.DataFrame()
    for field in LIST_FIELDS:
        if field in frame.columns:
            frame[field] = _lists_to_json(frame[field])
    return with_provenance(frame, origin)


def _lists_to_json(values: pd.Series) -> pd.Series:
    """Python lists (from parsed JSON) to JSON text; missing stays missing."""
    present = values.map(lambda value: isinstance(value, list | dict))
    result = pd.Series(pd.NA, index=values.index, dtype="object")
    result[present] = values[present].map(lambda value: json.dumps(value, ensure_ascii=False))
    return result


def python_repr_lists_to_json(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Cells holding Python repr of lists (``"[{'code': '100341', ...}]"``) to JSON text.

    The mounaTay file was written by pandas from API objects, so its list cells are ``repr`` of
    Python lists, not JSON (single quotes, ``True``). ``ast.literal_eval`` reads them safely (it
    evaluates literals only); it runs per cell, acceptable for this 150-row file. Returns the JSON
    text and a mask of the cells that are not a readable list literal.
    """

    def convert(text: object) -> object:
        try:
            parsed = ast.literal_eval(str(text))
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None
        return json.dumps(parsed, ensure_ascii=False) if isinstance(parsed, list) else None

    present = values.notna() & (values.astype("string").str.strip() != "")
    converted = pd.Series(pd.NA, index=values.index, dtype="object")
    converted[present] = values[present].map(convert)
    failed = present & converted.isna()
    return converted, failed


def read_offers_psv(path: Path) -> tuple[pd.DataFrame, str, pd.Series]:
    """The offers of a pandas-flattened ``|`` file: dotted API names, list cells made JSON.

    Returns the frame, its encoding and, per row, why its list cells could not be read ('' if fine).
    """
    frame, encoding = read_delimited(path, separator="|", expected_columns=["id"])
    frame = frame.drop(columns=[c for c in frame.columns if c.split(".")[0] in PERSONAL_BLOCKS])
    reasons = pd.Series("", index=frame.index, dtype="object")
    for field in LIST_FIELDS:
        if field in frame.columns:
            frame[field], failed = python_repr_lists_to_json(frame[field])
            reasons[failed] += f"column {field!r}: expected a Python list literal; "
    return frame, encoding, reasons


def _may_match(values: pd.Series, pattern: str) -> pd.Series:
    """Cells that may match, found by RE2 in Arrow (compiled, vectorised): a superset of the cells
    the Python pattern matches, so that the Python pattern only runs on those."""
    arrow = pa.array(values, type=pa.large_string(), from_pandas=True)
    found = pc.match_substring_regex(arrow, pattern).fill_null(False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index)


def scrub_personal_data(frame: pd.DataFrame, text_columns: list[str]) -> tuple[pd.DataFrame, dict[str, int]]:
    """Replace e-mail addresses by [email] and French phone numbers by [tel] in ``text_columns``.

    Returns the scrubbed frame and how many of each were replaced. Python's patterns run only on
    the cells that may hold one (an "@"; PHONE_CANDIDATE): most descriptions hold neither.
    """
    counts = {"emails_scrubbed": 0, "phones_scrubbed": 0}
    scrubbed = frame.copy()
    for column in text_columns:
        if column not in scrubbed.columns:
            continue
        values = scrubbed[column].astype("string")
        for pattern, candidate, mark, count in (
            (EMAIL_PATTERN, "@", EMAIL_MARK, "emails_scrubbed"),
            (PHONE_PATTERN, PHONE_CANDIDATE, PHONE_MARK, "phones_scrubbed"),
        ):
            may = _may_match(values, candidate)
            if may.any():
                counts[count] += int(values[may].str.count(pattern).sum())
                values = values.copy()
                values[may] = values[may].str.replace(pattern, mark, regex=True)
        scrubbed[column] = values
    return scrubbed, counts


def parse_offer_file(path: Path) -> ParsedTable:
    """One offer file (JSON array, search response, or flattened .psv) to typed rows."""
    if path.name.removesuffix(".gz").endswith(".psv"):
        frame, encoding, list_reasons = read_offers_psv(path)
    else:
        frame, encoding = read_offers_json(path)
        list_reasons = pd.Series("", index=frame.index, dtype="object")
    parsed = _typed_offers(frame, list_reasons, path.name)
    parsed.files, parsed.encodings = [path], {path.name: encoding}
    return parsed


def parse_offers(offers: list[object], origin: str) -> ParsedTable:
    """Offer objects received from the API (never written to disk as received) to typed rows,
    exactly as a file of them would be; ``origin`` is what ``_source_file`` says."""
    frame = offers_frame(offers, Path(origin))
    return _typed_offers(frame, pd.Series("", index=frame.index, dtype="object"), origin)


def _typed_offers(frame: pd.DataFrame, list_reasons: pd.Series, origin: str) -> ParsedTable:
    ignored = sorted(set(frame.columns) - {spec.source_name for spec in SCHEMA} - {SOURCE_FILE, ROW_NUMBER})
    for spec in SCHEMA:
        if spec.source_name not in frame.columns:
            frame[spec.source_name] = pd.NA
    # Only declared fields go on, so an unknown (possibly personal) field reaches neither zone.
    frame = frame[[SOURCE_FILE, ROW_NUMBER, *[spec.source_name for spec in SCHEMA]]]
    # Every text field but the id: an id that looks like a phone number is still an id, and
    # scrubbing it would merge distinct offers under one "[tel]".
    text_columns = [spec.source_name for spec in SCHEMA if spec.type == "string" and spec.name != "offer_id"]
    frame, counts = scrub_personal_data(frame, text_columns)
    unreadable = list_reasons != ""
    rows, rejects = apply_schema(frame.loc[~unreadable], SCHEMA)
    if unreadable.any():
        bad = frame.loc[unreadable].astype("string")
        bad[REJECT_REASON] = list_reasons[unreadable].str.rstrip("; ")
        rejects = pd.concat([rejects, bad], ignore_index=True)
    notes: dict[str, object] = {f"{origin}: {key}": value for key, value in counts.items()}
    if ignored:
        notes[f"{origin}: fields not landed"] = ", ".join(ignored)
    return ParsedTable(rows=rows, rejects=rejects, files=[], notes=notes)


def offer_files(snapshot_dir: Path) -> list[Path]:
    """The offer files of every folder of OFFER_FILES present: a folder may be absent (a generated
    snapshot holds one), but at least one file must be found."""
    files = [
        path
        for folder, pattern in OFFER_FILES
        for path in snapshot_files(snapshot_dir, folder, pattern, required=False)
    ]
    if not files:
        where = ", ".join(f"{folder}/{pattern}" for folder, pattern in OFFER_FILES)
        raise SourceFileError(snapshot_dir, "offer files", f"at least one of {where}", "none")
    return files


def parse_job_offers(snapshot_dir: Path) -> ParsedTable:
    return combine_offer_files([parse_offer_file(path) for path in offer_files(snapshot_dir)])


def combine_offer_files(parts: list[ParsedTable]) -> ParsedTable:
    """The parsed offer files as one table, with the personal data scrubbed counted over all of them."""
    parsed = ParsedTable.combine(parts)
    totals = {"emails_scrubbed": 0, "phones_scrubbed": 0}
    for key, value in parsed.notes.items():
        for total in totals:
            if key.endswith(total):
                totals[total] += int(value)  # type: ignore[call-overload]
    parsed.notes.update(totals)
    return parsed


RULES = TableRules(
    unique=("offer_id",),
    row_rules=(
        matches("rome_code", ROME_CODE, "rome_code"),
        matches("lieu_travail_commune", COMMUNE_CODE, "commune_code"),
        not_in_future("date_creation"),
        not_in_future("date_actualisation"),
        # No inside_france rule: 24 bundled offers carry latitude and longitude swapped; the offer is
        # placed by its commune code, and quarantining it would drop a real posting from the counts.
        *non_negative("nombre_postes"),
    ),
)

TABLES: list[RawTable] = [RawTable(SOURCE, "job_offers", DESCRIPTION, parse_job_offers, SCHEMA, RULES)]

"""Carif-Oref / Intercarif training offers in LHEO 2.2 XML: full offers and the summary index form.

LHEO ("Langage Harmonisé d'Échange d'informations sur l'Offre de formation") is the format every
Carif-Oref exports. Two shapes are read, told apart by their root element:

- ``<lheo><offres><formation>`` full offers: a formation with its codes, certification and
  responsible organisation, its ``<action>`` elements (place of training, hours) and their
  ``<session>`` elements (dates);
- ``<lheo-index><resumes-offres><resume-offre>`` summaries served by the Intercarif web service:
  one action-session each, with codes, place, hours, dates and coordinates in ``<extras>``.

Elements are looked up in the document's own namespace (``http://www.lheo.org/2.2``), never by
bare name. Repeated codes (``code-FORMACODE``, ``code-NSF``, ``code-ROME``) land in child tables,
one row per code, with their ``ref`` (Formacode version) and ``tag`` attributes. Dates stay text
(``YYYYMMDD``; ``00000000`` means none and becomes NULL; ``YYYYMM00`` is a month, resolved in staging).
XML has no vectorised reader: the loop is over elements of the offer tree, which is bounded by the
size of one regional export.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ingestion.accounting import count_xml_elements
from ingestion.casting import Column, apply_schema, columns
from ingestion.errors import SourceFileError
from ingestion.readers.documents import local_name, namespace_of, parse_xml, xml_text
from ingestion.readers.files import read_bytes, snapshot_files, with_provenance
from ingestion.rules import COMMUNE_CODE, NO_RULES, TableRules, inside_france, matches, non_negative
from ingestion.tables import ParsedTable, RawTable

SOURCE = "lheo"
FOLDER = "formation_samples"
PATTERN = "*.xml"
NAMESPACE_PREFIX = "http://www.lheo.org/"
FULL_ROOT = "lheo"
INDEX_ROOT = "lheo-index"
CODE_ELEMENTS = ("code-FORMACODE", "code-NSF", "code-ROME")
NO_DATE = frozenset({"00000000"})


class _Finder:
    """Namespace-aware lookups relative to one document: paths are written without prefixes."""

    def __init__(self, root: ElementTree.Element):
        self.namespaces = {"l": namespace_of(root)} if namespace_of(root) else {}

    def _path(self, path: str) -> str:
        if not self.namespaces:
            return path
        return "/".join(
            part if part in (".", "..") or part.startswith("@") else f"l:{part}" for part in path.split("/")
        )

    def find(self, element: ElementTree.Element, path: str) -> ElementTree.Element | None:
        return element.find(self._path(path), self.namespaces)

    def findall(self, element: ElementTree.Element, path: str) -> list[ElementTree.Element]:
        return element.findall(self._path(path), self.namespaces)

    def text(self, element: ElementTree.Element, path: str) -> str | None:
        return xml_text(self.find(element, path))

    def extra(self, element: ElementTree.Element, group: str, info: str) -> str | None:
        for extras in self.findall(element, "extras"):
            if extras.get("info") == group:
                for extra in self.findall(extras, "extra"):
                    if extra.get("info") == info:
                        return xml_text(extra)
        return None


def _documents(snapshot_dir: Path, root_name: str) -> list[tuple[Path, ElementTree.Element, _Finder]]:
    """Every LHEO file of the folder whose root is ``root_name``; any other XML root is an error."""
    documents = []
    for path in snapshot_files(snapshot_dir, FOLDER, PATTERN):
        root = parse_xml(path)
        namespace = namespace_of(root)
        if not namespace.startswith(NAMESPACE_PREFIX):
            raise SourceFileError(
                path, "root element", f"an element in the LHEO namespace {NAMESPACE_PREFIX}...", root.tag
            )
        if local_name(root.tag) not in (FULL_ROOT, INDEX_ROOT):
            raise SourceFileError(path, "root element", f"<{FULL_ROOT}> or <{INDEX_ROOT}>", f"<{local_name(root.tag)}>")
        if local_name(root.tag) == root_name:
            documents.append((path, root, _Finder(root)))
    return documents


def _code_rows(finder: _Finder, owner: ElementTree.Element, key: str) -> list[dict[str, str | None]]:
    domain = finder.find(owner, "domaine-formation")
    if domain is None:
        return []
    return [
        {
            "offer_numero": key,
            "code_type": local_name(code.tag).removeprefix("code-"),
            "code": xml_text(code),
            "ref": code.get("ref"),
            "tag": code.get("tag"),
        }
        for code in domain
        if local_name(code.tag) in CODE_ELEMENTS
    ]


def _typed(
    path_rows: list[tuple[Path, list[dict[str, str | None]]]], schema: list[Column], element: str | None = None
) -> ParsedTable:
    """Type the rows read from each file; ``element``: the XML element one row stands for, counted
    in the files by a separate streaming parse for the row accounting."""
    frames = []
    for path, rows in path_rows:
        frame = pd.DataFrame(rows, columns=[spec.source_name for spec in schema], dtype="string")
        frames.append(with_provenance(frame, path))
    frame = pd.concat(frames, ignore_index=True)
    typed, rejects = apply_schema(frame, schema)
    parsed = ParsedTable(
        rows=typed,
        rejects=rejects,
        files=[path for path, _ in path_rows],
        encodings={path.name: "xml" for path, _ in path_rows},
    )
    if element is not None:
        parsed.records_read = sum(count_xml_elements(read_bytes(path), element) for path, _ in path_rows)
        parsed.counted_as = f"<{element}> elements (streaming XML parse)"
    return parsed


def _require(path: Path, rows: list[dict[str, str | None]], what: str) -> None:
    if not rows:
        raise SourceFileError(path, what, f"at least one <{what.rsplit('/', 1)[-1]}> element", "none")


# ---- full offers -------------------------------------------------------------------------------

FORMATION_SCHEMA = columns(
    Column("formation_numero", required=True),
    Column("date_creation", null_values=NO_DATE),
    Column("date_maj", null_values=NO_DATE),
    Column("intitule_formation", required=True),
    "objectif_formation",
    "resultats_attendus",
    "contenu_formation",
    Column("certifiante", "bool"),
    "code_niveau_entree",
    "code_niveau_sortie",
    "code_rncp",
    "code_certifinfo",
    "organisme_numero",
    "organisme_siret",
    "nom_organisme",
    "raison_sociale",
)

ACTION_SCHEMA = columns(
    Column("formation_numero", required=True),
    Column("action_numero", required=True),
    "code_public_vise",
    "modalites_enseignement",
    "lieu_codepostal",
    "lieu_ville",
    "lieu_departement",
    "lieu_code_insee_commune",
    "lieu_region",
    Column("lieu_latitude", "float"),
    Column("lieu_longitude", "float"),
    Column("nombre_heures_centre", "int"),
    Column("nombre_heures_entreprise", "int"),
    Column("nombre_heures_total", "int"),
    "formateur_siret",
    "raison_sociale_formateur",
)

SESSION_SCHEMA = columns(
    Column("formation_numero", required=True),
    Column("action_numero", required=True),
    Column("session_numero", required=True),
    Column("periode_debut", null_values=NO_DATE),
    Column("periode_fin", null_values=NO_DATE),
    "etat_recrutement",
)

CODE_SCHEMA = columns(
    Column("offer_numero", required=True),
    Column("code_type", required=True),
    Column("code", required=True),
    "ref",
    "tag",
)


def _formations(snapshot_dir: Path) -> list[tuple[Path, ElementTree.Element, _Finder, list[ElementTree.Element]]]:
    found = []
    for path, root, finder in _documents(snapshot_dir, FULL_ROOT):
        formations = finder.findall(root, "offres/formation")
        if not formations:
            raise SourceFileError(path, "lheo/offres", "at least one <formation> element", "none")
        found.append((path, root, finder, formations))
    return found


def _formation_row(finder: _Finder, formation: ElementTree.Element) -> dict[str, str | None]:
    responsible = finder.find(formation, "organisme-formation-responsable")
    return {
        "formation_numero": formation.get("numero"),
        "date_creation": formation.get("datecrea"),
        "date_maj": formation.get("datemaj"),
        "intitule_formation": finder.text(formation, "intitule-formation"),
        "objectif_formation": finder.text(formation, "objectif-formation"),
        "resultats_attendus": finder.text(formation, "resultats-attendus"),
        "contenu_formation": finder.text(formation, "contenu-formation"),
        "certifiante": finder.text(formation, "certifiante"),
        "code_niveau_entree": finder.text(formation, "code-niveau-entree"),
        "code_niveau_sortie": finder.text(formation, "code-niveau-sortie"),
        "code_rncp": finder.text(formation, "certification/code-RNCP"),
        "code_certifinfo": finder.text(formation, "certification/code-CERTIFINFO"),
        "organisme_numero": responsible.get("numero") if responsible is not None else None,
        "organisme_siret": finder.text(formation, "organisme-formation-responsable/SIRET-organisme-formation/SIRET"),
        "nom_organisme": finder.text(formation, "organisme-formation-responsable/nom-organisme"),
        "raison_sociale": finder.text(formation, "organisme-formation-responsable/raison-sociale"),
    }


def _action_row(finder: _Finder, formation: ElementTree.Element, action: ElementTree.Element) -> dict[str, str | None]:
    address = "lieu-de-formation/coordonnees/adresse"
    return {
        "formation_numero": formation.get("numero"),
        "action_numero": action.get("numero"),
        "code_public_vise": ";".join(filter(None, (xml_text(e) for e in finder.findall(action, "code-public-vise"))))
        or None,
        "modalites_enseignement": finder.text(action, "modalites-enseignement"),
        "lieu_codepostal": finder.text(action, f"{address}/codepostal"),
        "lieu_ville": finder.text(action, f"{address}/ville"),
        "lieu_departement": finder.text(action, f"{address}/departement"),
        "lieu_code_insee_commune": finder.text(action, f"{address}/code-INSEE-commune"),
        "lieu_region": finder.text(action, f"{address}/region"),
        "lieu_latitude": finder.text(action, f"{address}/geolocalisation/latitude"),
        "lieu_longitude": finder.text(action, f"{address}/geolocalisation/longitude"),
        "nombre_heures_centre": finder.text(action, "nombre-heures-centre"),
        "nombre_heures_entreprise": finder.text(action, "nombre-heures-entreprise"),
        "nombre_heures_total": finder.text(action, "nombre-heures-total"),
        "formateur_siret": finder.text(action, "organisme-formateur/SIRET-formateur/SIRET"),
        "raison_sociale_formateur": finder.text(action, "organisme-formateur/raison-sociale-formateur"),
    }


def parse_formations(snapshot_dir: Path) -> ParsedTable:
    parts = [
        (path, [_formation_row(finder, f) for f in formations])
        for path, _, finder, formations in _formations(snapshot_dir)
    ]
    return _typed(parts, FORMATION_SCHEMA, "formation")


def parse_actions(snapshot_dir: Path) -> ParsedTable:
    parts = []
    for path, _, finder, formations in _formations(snapshot_dir):
        rows = [_action_row(finder, f, a) for f in formations for a in finder.findall(f, "action")]
        _require(path, rows, "offres/formation/action")
        parts.append((path, rows))
    return _typed(parts, ACTION_SCHEMA, "action")


def parse_sessions(snapshot_dir: Path) -> ParsedTable:
    parts = []
    for path, _, finder, formations in _formations(snapshot_dir):
        rows = [
            {
                "formation_numero": f.get("numero"),
                "action_numero": a.get("numero"),
                "session_numero": s.get("numero"),
                "periode_debut": finder.text(s, "periode/debut"),
                "periode_fin": finder.text(s, "periode/fin"),
                "etat_recrutement": finder.text(s, "etat-recrutement"),
            }
            for f in formations
            for a in finder.findall(f, "action")
            for s in finder.findall(a, "session")
        ]
        parts.append((path, rows))
    return _typed(parts, SESSION_SCHEMA, "session")


def _with_code_count(parsed: ParsedTable, owner: str) -> ParsedTable:
    """The code elements under ``<owner><domaine-formation>``, counted apart from the parser."""
    parsed.records_read = sum(
        count_xml_elements(read_bytes(path), *CODE_ELEMENTS, within=(owner, "domaine-formation"))
        for path in parsed.files
    )
    parsed.counted_as = f"code elements of <{owner}><domaine-formation> (streaming XML parse)"
    return parsed


def parse_formation_codes(snapshot_dir: Path) -> ParsedTable:
    parts = [
        (path, [row for f in formations for row in _code_rows(finder, f, f.get("numero") or "")])
        for path, _, finder, formations in _formations(snapshot_dir)
    ]
    return _with_code_count(_typed(parts, CODE_SCHEMA), "formation")


# ---- summaries (resumes-offres) ----------------------------------------------------------------

SUMMARY_SCHEMA = columns(
    Column("resume_numero", required=True),
    Column("intitule_formation", required=True),
    "organisme_numero",
    "nom_organisme",
    "siret",
    "codepostal",
    "code_insee_commune",
    "ville",
    "departement",
    "region",
    Column("certifiante", "bool"),
    "code_niveau_entree",
    "code_niveau_sortie",
    "modalites_enseignement",
    Column("nombre_heures_total", "int"),
    Column("periode_debut", null_values=NO_DATE),
    Column("periode_fin", null_values=NO_DATE),
    Column("session_count", "int"),
    "code_rncp",
    "code_certifinfo",
    Column("latitude", "float"),
    Column("longitude", "float"),
)


def _summaries(snapshot_dir: Path) -> list[tuple[Path, _Finder, list[ElementTree.Element]]]:
    found = []
    for path, root, finder in _documents(snapshot_dir, INDEX_ROOT):
        summaries = finder.findall(root, "resumes-offres/resume-offre")
        if not summaries:
            raise SourceFileError(path, "lheo-index/resumes-offres", "at least one <resume-offre> element", "none")
        found.append((path, finder, summaries))
    return found


def _summary_row(finder: _Finder, summary: ElementTree.Element) -> dict[str, str | None]:
    sessions = finder.findall(summary, "session")
    organisme = finder.find(summary, "nom-organisme")
    # A summary usually holds one session; with several, the span from first start to last end.
    starts = sorted(filter(None, (finder.text(s, "periode/debut") for s in sessions)))
    ends = sorted(filter(None, (finder.text(s, "periode/fin") for s in sessions)))
    return {
        "resume_numero": summary.get("numero"),
        "intitule_formation": finder.text(summary, "intitule-formation"),
        "organisme_numero": organisme.get("numero") if organisme is not None else None,
        "nom_organisme": xml_text(organisme),
        "siret": finder.text(summary, "SIRET"),
        "codepostal": finder.text(summary, "codepostal"),
        "code_insee_commune": finder.text(summary, "code-INSEE-commune"),
        "ville": finder.text(summary, "ville"),
        "departement": finder.text(summary, "departement"),
        "region": finder.text(summary, "region"),
        "certifiante": finder.text(summary, "certifiante"),
        "code_niveau_entree": finder.text(summary, "code-niveau-entree"),
        "code_niveau_sortie": finder.extra(summary, "complements", "code-niveau-sortie"),
        "modalites_enseignement": finder.text(summary, "modalites-enseignement"),
        "nombre_heures_total": finder.text(summary, "nombre-heures-total"),
        "periode_debut": starts[0] if starts else None,
        "periode_fin": ends[-1] if ends else None,
        "session_count": str(len(sessions)),
        "code_rncp": finder.text(summary, "certification/code-RNCP"),
        "code_certifinfo": finder.text(summary, "certification/code-CERTIFINFO"),
        "latitude": finder.extra(summary, "geolocalisation", "latitude"),
        "longitude": finder.extra(summary, "geolocalisation", "longitude"),
    }


def parse_summaries(snapshot_dir: Path) -> ParsedTable:
    return _typed(
        [(path, [_summary_row(finder, s) for s in summaries]) for path, finder, summaries in _summaries(snapshot_dir)],
        SUMMARY_SCHEMA,
        "resume-offre",
    )


def parse_summary_codes(snapshot_dir: Path) -> ParsedTable:
    parsed = _typed(
        [
            (path, [row for s in summaries for row in _code_rows(finder, s, s.get("numero") or "")])
            for path, finder, summaries in _summaries(snapshot_dir)
        ],
        CODE_SCHEMA,
    )
    return _with_code_count(parsed, "resume-offre")


_ORIGIN = "Source: Carif-Oref LHEO 2.2 XML (bundled: the trefle sample of Carif Centre 'Etoile', 2017)."
_INDEX_ORIGIN = (
    "Source: Intercarif web service, LHEO 2.2 'resumes-offres' (bundled: 11 Île-de-France summaries, 2017-2019)."
)

PARSERS: dict[str, tuple[str, Callable[[Path], ParsedTable]]] = {
    "formations": (
        "One row per LHEO formation (full offer): title, objectives, content, certification "
        f"(RNCP, CERTIFINFO), levels, responsible organisation. {_ORIGIN}",
        parse_formations,
    ),
    "actions": (
        "One row per LHEO action of a formation: place of training (INSEE code, coordinates), "
        f"hours, public, training organisation. {_ORIGIN}",
        parse_actions,
    ),
    "sessions": (
        f"One row per LHEO session of an action: start and end dates (YYYYMMDD text), recruitment state. {_ORIGIN}",
        parse_sessions,
    ),
    "formation_codes": (
        "One row per code of a full LHEO formation's domaine-formation: code_type FORMACODE "
        f"(ref = version, tag = principal), NSF or ROME. {_ORIGIN}",
        parse_formation_codes,
    ),
    "offer_summaries": (
        "One row per LHEO resume-offre (one action-session): title, organisation, place, "
        f"coordinates, hours, dates, certification. {_INDEX_ORIGIN}",
        parse_summaries,
    ),
    "offer_summary_codes": (
        f"One row per code (FORMACODE, NSF, ROME) of an LHEO resume-offre. {_INDEX_ORIGIN}",
        parse_summary_codes,
    ),
}

SCHEMAS: dict[str, list[Column]] = {
    "formations": FORMATION_SCHEMA,
    "actions": ACTION_SCHEMA,
    "sessions": SESSION_SCHEMA,
    "formation_codes": CODE_SCHEMA,
    "offer_summaries": SUMMARY_SCHEMA,
    "offer_summary_codes": CODE_SCHEMA,
}


RULES: dict[str, TableRules] = {
    "formations": TableRules(unique=("formation_numero",)),
    "actions": TableRules(
        unique=("action_numero",),
        row_rules=(
            matches("lieu_code_insee_commune", COMMUNE_CODE, "commune_code"),
            inside_france("lieu_latitude", "lieu_longitude"),
            *non_negative("nombre_heures_centre", "nombre_heures_entreprise", "nombre_heures_total"),
        ),
    ),
    "sessions": TableRules(unique=("action_numero", "session_numero")),
    "offer_summaries": TableRules(
        unique=("resume_numero",),
        row_rules=(
            matches("code_insee_commune", COMMUNE_CODE, "commune_code"),
            inside_france("latitude", "longitude"),
            *non_negative("nombre_heures_total"),
        ),
    ),
}

TABLES: list[RawTable] = [
    RawTable(SOURCE, table, description, parse, SCHEMAS[table], RULES.get(table, NO_RULES))
    for table, (description, parse) in PARSERS.items()
]

"""ROME 4.0 (France Travail, RefRomeCsv v460): occupations, appellations, skills and their links.

Bundled as the CSV export of the referential (UTF-8, comma, fully quoted). Codes stay text;
``code_ogr`` identifiers are integers. The O/N flags stay text here ('O', 'N' or empty, as
published); staging turns them into booleans.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from ingestion.casting import Column, columns
from ingestion.readers.delimited import parse_delimited
from ingestion.readers.files import newest_file
from ingestion.rules import NO_RULES, ROME_CODE, TableRules, matches
from ingestion.tables import ParsedTable, RawTable

FOLDER = "rome_v460"
SOURCE = "rome"

TRANSITION_FLAGS = ("transition_eco", "transition_num", "transition_demo", "emploi_reglemente", "emploi_cadre")

SCHEMAS: dict[str, tuple[str, list[Column]]] = {
    "fiches": (
        "unix_referentiel_code_rome_v[0-9][0-9][0-9]_utf8.csv",
        columns(
            Column("code_rome", required=True),
            Column("code_fiche_metier", "int"),
            Column("code_ogr", "int", required=True),
            Column("libelle_rome", required=True),
            *TRANSITION_FLAGS,
            Column("code_rome_parent", required=True),
        ),
    ),
    "appellations": (
        "unix_referentiel_appellation_v[0-9][0-9][0-9]_utf8.csv",
        columns(
            Column("code_ogr", "int", required=True),
            Column("libelle_appellation_long", required=True),
            "libelle_appellation_court",
            Column("code_rome", required=True),
            *TRANSITION_FLAGS,
            "classification",
            "origine",
            "code_rome_parent",
            "peu_usite",
        ),
    ),
    "competences": (
        "unix_referentiel_competence_v[0-9][0-9][0-9]_utf8.csv",
        columns(
            Column("code_ogr", "int", required=True),
            "nature",
            Column("libelle_competence", required=True),
            "definition",
            Column("code_ogr_macro_comp", "int"),
            "code_macro_comp",
            "cat_comp",
            "sous_cat_comp",
            "transition_eco",
            "transition_num",
            "libelle_heterogeneite",
            "libelle_origine",
        ),
    ),
    "savoirs": (
        "unix_referentiel_savoir_v[0-9][0-9][0-9]_utf8.csv",
        columns(
            Column("code_ogr_savoir", "int", required=True),
            Column("libelle_savoir", required=True),
            "categorie_savoir",
            "sous_categorie_savoir",
            "transition_eco",
            "transition_num",
        ),
    ),
    "contextes_travail": (
        "unix_referentiel_contexte_travail_v[0-9][0-9][0-9]_utf8.csv",
        columns(
            Column("code_ogr", "int", required=True),
            Column("libelle_cont_travail", required=True),
            Column("code_type_cont_trav", "int"),
            "libelle_type_cont_trav",
        ),
    ),
    "items": (
        "unix_item_v[0-9][0-9][0-9]_utf8.csv",
        columns(
            Column("code_ogr", "int", required=True), Column("libelle", required=True), Column("code_rubrique", "int")
        ),
    ),
    "coherence_items": (
        "unix_coherence_item_v[0-9][0-9][0-9]_utf8.csv",
        columns(Column("code_rome", required=True), Column("code_ogr", "int", required=True), "coeur_metier"),
    ),
    "mobility": (
        "unix_rubrique_mobilite_v[0-9][0-9][0-9]_utf8.csv",
        columns(
            Column("code_rome", required=True), Column("code_rome_cible", required=True), Column("numero_ordre", "int")
        ),
    ),
    "domains": (
        "unix_cr_gd_dp_v[0-9][0-9][0-9]_utf8.csv",
        columns(
            Column("code_rome", required=True),
            "libelle_rome",
            Column("code_grand_domaine", required=True),
            "libelle_grand_domaine",
            Column("code_domaine_professionel", required=True),
            "libelle_domaine_professionel",
        ),
    ),
    "texts": (
        "unix_texte_v[0-9][0-9][0-9]_utf8.csv",
        columns(
            Column("code_rome", required=True),
            Column("code_compo_bloc", "int"),
            "libelle_type_texte",
            Column("position_phrase", "int"),
            Column("libelle_texte", required=True),
        ),
    ),
}

DESCRIPTIONS = {
    "fiches": "One row per ROME 4.0 fiche (1,584: 532 historic v3 codes and their 4.0 children), with transition flags and parent v3 code. Source: France Travail RefRomeCsv v460, unix_referentiel_code_rome.",
    "appellations": "One row per ROME 4.0 appellation (job title, 13,120) with its fiche. Source: RefRomeCsv v460, unix_referentiel_appellation.",
    "competences": "One row per ROME 4.0 competence (savoir-faire, savoir-être, macro-compétence; 18,317). Source: RefRomeCsv v460, unix_referentiel_competence.",
    "savoirs": "One row per ROME 4.0 savoir (knowledge item, 15,354). Source: RefRomeCsv v460, unix_referentiel_savoir.",
    "contextes_travail": "One row per ROME 4.0 work context (179). Source: RefRomeCsv v460, unix_referentiel_contexte_travail.",
    "items": "One row per ROME 4.0 item (33,850): the union of competences, savoirs and work contexts that offers' competences codes join to. Source: RefRomeCsv v460, unix_item.",
    "coherence_items": "One row per (fiche, item): the occupation to skill/knowledge matrix (104,219), coeur_metier marks core items. Source: RefRomeCsv v460, unix_coherence_item.",
    "mobility": "One row per (fiche, target fiche): ROME mobility links (14,912). Source: RefRomeCsv v460, unix_rubrique_mobilite.",
    "domains": "One row per ROME 4.0 fiche with its grand domaine and domaine professionnel (1,584). Source: RefRomeCsv v460, unix_cr_gd_dp.",
    "texts": "One row per sentence of a fiche's definition or access text (11,980). Source: RefRomeCsv v460, unix_texte.",
}


def parse(table: str, snapshot_dir: Path) -> ParsedTable:
    file_name, schema = SCHEMAS[table]
    return parse_delimited(newest_file(snapshot_dir, FOLDER, file_name), schema)


RULES: dict[str, TableRules] = {
    "fiches": TableRules(
        unique=("code_rome",),
        row_rules=(matches("code_rome", ROME_CODE, "rome_code"), matches("code_rome_parent", ROME_CODE, "rome_code")),
    ),
    "appellations": TableRules(unique=("code_ogr",), row_rules=(matches("code_rome", ROME_CODE, "rome_code"),)),
    "competences": TableRules(unique=("code_ogr",)),
    "savoirs": TableRules(unique=("code_ogr_savoir",)),
    "contextes_travail": TableRules(unique=("code_ogr",)),
    "items": TableRules(unique=("code_ogr",)),
    "coherence_items": TableRules(
        unique=("code_rome", "code_ogr"), row_rules=(matches("code_rome", ROME_CODE, "rome_code"),)
    ),
    "mobility": TableRules(
        unique=("code_rome", "code_rome_cible"),
        row_rules=(matches("code_rome", ROME_CODE, "rome_code"), matches("code_rome_cible", ROME_CODE, "rome_code")),
    ),
    "domains": TableRules(unique=("code_rome",), row_rules=(matches("code_rome", ROME_CODE, "rome_code"),)),
    "texts": TableRules(row_rules=(matches("code_rome", ROME_CODE, "rome_code"),)),
}

TABLES: list[RawTable] = [
    RawTable(SOURCE, table, DESCRIPTIONS[table], partial(parse, table), SCHEMAS[table][1], RULES.get(table, NO_RULES))
    for table in SCHEMAS
]

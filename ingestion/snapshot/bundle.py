"""Rebuild the bundled snapshot from a folder holding the original open-data downloads.

Run once by a maintainer (``python ingestion/snapshot/bundle.py DOWNLOADS_DIR``, where
``DOWNLOADS_DIR`` has one subfolder per entry of ``BUNDLE`` below); the result is
committed. Files keep their original format; CSV-like files above 300 kB are gzipped to keep the
snapshot small, which every reader in ``ingestion`` opens transparently.
"""

from __future__ import annotations

import gzip
import shutil
import sys
from pathlib import Path

GZIP_ABOVE_BYTES = 300_000
GZIPPABLE_SUFFIXES = {".csv", ".tsv", ".psv", ".txt"}

# Folder of the downloads -> files to bundle. Only DERIVED_ copies of offers and trainings
# (contact blocks already removed); oracle-only files are left out.
BUNDLE: dict[str, list[str]] = {
    "rome_v460": [
        "unix_referentiel_code_rome_v460_utf8.csv",
        "unix_referentiel_appellation_v460_utf8.csv",
        "unix_referentiel_competence_v460_utf8.csv",
        "unix_referentiel_savoir_v460_utf8.csv",
        "unix_referentiel_contexte_travail_v460_utf8.csv",
        "unix_item_v460_utf8.csv",
        "unix_coherence_item_v460_utf8.csv",
        "unix_rubrique_mobilite_v460_utf8.csv",
        "unix_cr_gd_dp_v460_utf8.csv",
        "unix_texte_v460_utf8.csv",
    ],
    "fap": [
        "passage_fap2009_romev3.txt",
        "intitule_fap2009.txt",
        "Intitules_FAP2009.csv",
        "dares_nomenclature_fap2021.csv",
    ],
    "rome_crosswalks": ["Correspondance_ROME_ISCO08.xlsx"],
    "esco": [
        "occupations_fr.csv",
        "skills_fr.csv",
        "ISCOGroups_fr.csv",
        "skillGroups_fr.csv",
        "broaderRelationsOccPillar.csv",
        "broaderRelationsSkillPillar.csv",
    ],
    "bmo": ["Base_open_data_BMO_2024.xlsx", "metiers_en_tension_mars_2024.csv"],
    "geo_cog": ["v_commune_2024.csv", "v_departement_2024.csv", "v_region_2024.csv"],
    "geo_zonages": [
        "Export_Communes_Zones_Emploi_2020.csv",
        "France_Travail_Bassin_Emploi_2021.csv",
    ],
    "france_travail_offres": [
        "DERIVED_nocontact_offres_M1801_database_admin_980_2025-01-12.json",
        "DERIVED_nocontact_offres_K23_nettoyage_521_2024-11-28.json",
    ],
    "france_travail_offres_more": [
        "DERIVED_nocontact_vimchun_offres_404939_biostatisticien_178_2024-11-30.json",
        "DERIVED_nocontact_mounaTay_offres_emploi_ardeche07_150.psv",
    ],
    "france_travail_offres_national_2026": ["DERIVED_nocontact_francetravail_2026.json"],
    "france_travail_stats_api": [
        "referentiel_indicateurs_response.json",
        "stat-demandeurs_DE_1_REG75_A1203_response.json",
        "stat-dynamique-emploi_REG75_response.json",
    ],
    "jobseekers_defm": ["odis_emploi_demandeur_communes_2020-2024.csv"],
    "inserjeunes": ["*.csv"],
    "dares_portraits": [
        "tensions.csv",
        "evol_tensions.csv",
        "part_femmes.csv",
        "part_femmes_3niv.csv",
        "part_femmes_un_an_demandeurs_emploi_A.csv",
        "serie_demandeurs_emploi_A_ABC.csv",
        "input_carte1.csv",
        "fap225_rome.csv",
        "FAP_PCS.csv",
    ],
    "training_rco_apprentissage_2020": [
        "DERIVED_rco_formations_apprentissage_2020-11_national.csv",
        "DERIVED_rco_offre_info_apprentissage_2020-06-25_nomail.csv",
    ],
    "rncp_kit_v1_4": [
        "rncp_rome.v1.4.csv",
        "rncp_info.v1.4.csv",
        "codes_diplomes.v1.4.csv",
        "rncp_blocs_competences.v1.4.csv",
    ],
    "rncp": [
        "Kit_apprentissage_20250131.xlsx",
        "bcn_N_FORMATION_DIPLOME_subset_utf8.csv",
        "france_competences_export_sample_2024-02-22/*",
    ],
    "formacode": [
        "formacode_V12_V13_correspondance.tsv",
        "DERIVED_bob_emploi_rome_formacode_extract.csv",
    ],
    "nsf": ["nsf_groupes_specialites_index_formations.csv"],
    "formation_samples": ["*.xml", "bob_cpf_trainings_sample.csv"],
    "training_catalogue": [
        "rco_catalogue_apprentissage_extract_2020-11.json",
        "DERIVED_scrubbed_catalogue_apprentissage_formations_fixture_2rows.json",
        "onisep_ideo_formations_initiales_en_france_2022.csv",
        "onisep_metier_rome_v3.csv",
    ],
}


def bundle(shared_data: Path, snapshot: Path) -> None:
    for folder, patterns in BUNDLE.items():
        target_folder = snapshot / folder
        target_folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared_data / folder / "SOURCE.txt", target_folder / "SOURCE.txt")
        for pattern in patterns:
            matches = sorted(p for p in (shared_data / folder).glob(pattern) if p.is_file())
            if not matches:
                raise FileNotFoundError(f"{shared_data / folder}: nothing matches {pattern!r}")
            for source_file in matches:
                relative = source_file.relative_to(shared_data / folder)
                target = target_folder / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                if source_file.suffix.lower() in GZIPPABLE_SUFFIXES and source_file.stat().st_size > GZIP_ABOVE_BYTES:
                    # mtime=0 keeps the archive byte-identical from one bundling to the next.
                    packed_path = target.with_name(target.name + ".gz")
                    with (
                        source_file.open("rb") as raw,
                        packed_path.open("wb") as sink,
                        gzip.GzipFile(
                            filename=source_file.name, fileobj=sink, mode="wb", compresslevel=9, mtime=0
                        ) as packed,
                    ):
                        shutil.copyfileobj(raw, packed)
                else:
                    shutil.copyfile(source_file, target)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python ingestion/snapshot/bundle.py DOWNLOADS_DIR (one subfolder per BUNDLE entry)")
    bundle(Path(sys.argv[1]), Path(__file__).resolve().parent)

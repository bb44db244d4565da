"""Every raw table of the training supply: catalogues of training actions and their referentials.

One module per source (each is a dbt source and a Dagster asset group):

- ``rco``: Réseau des Carif-Oref apprenticeship flow (CSV national copy, JSON) and Offre Info extraction;
- ``lheo``: Carif-Oref LHEO 2.2 XML, full offers and the ``resumes-offres`` index form;
- ``catalogue_apprentissage``: the enriched apprenticeship catalogue (JSON with ``rome_codes``);
- ``cpf``: a sample of an older CPF API extract; ``mon_compte_formation``: the Mon Compte Formation
  export (no bundled copy, so no table in snapshot mode);
- ``kit_apprentissage``: France compétences' Kit (v1.4 RNCP to ROME, RNCP fiches, CFD to RNCP, skill
  blocks; 2025 CFD to RNCP);
- ``rncp``: France compétences' daily RNCP export; ``bcn``: BCN diplomas; ``onisep``: Onisep formations
  and métier to ROME; ``formacode``: Formacode V12 to V13 and a ROME extract; ``nsf``: NSF groups.
"""

from __future__ import annotations

from ingestion import (
    bcn,
    catalogue_apprentissage,
    cpf,
    formacode,
    kit_apprentissage,
    lheo,
    mon_compte_formation,
    nsf,
    onisep,
    rco,
    rncp,
)
from ingestion.tables import RawTable

TABLES: list[RawTable] = [
    *rco.TABLES,
    *lheo.TABLES,
    *catalogue_apprentissage.TABLES,
    *cpf.TABLES,
    *mon_compte_formation.TABLES,
    *kit_apprentissage.TABLES,
    *rncp.TABLES,
    *bcn.TABLES,
    *onisep.TABLES,
    *formacode.TABLES,
    *nsf.TABLES,
]

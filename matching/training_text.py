"""The training supply's text steps, read from the built warehouse (read-only) and computed together.

One pass gives the three derived tables the training marts union in:

- ``training_title_links``: training -> ROME by title (and content) similarity
  (:mod:`matching.training_links`), only for the trainings that no catalogue code, RNCP fiche or
  diploma code links (``int_training_occupations_linked`` is empty for them), with the evaluation
  of the method on the trainings whose codes are known;
- ``rncp_skill_block_items``: each RNCP skill block of the Kit v1.4 -> the ROME items it covers
  (:mod:`matching.training_skills`), candidates the items of the certification's ROME codes;
- ``training_content_skills``: the ROME items a training's content text covers, candidates the
  items of every occupation the training is linked to (any method, title links included).

Evaluation units (the known codes of a training are those of its most trusted link method,
compared at the historic v3 parent level, ``code_rome_parent``):

- ``catalogue_title``: titles the catalogue wrote itself (title_origin 'catalogue': the Offre Info
  extraction, LHEO, CPF...), one unit per distinct (title, content, certification);
- ``certification_title``: the RCO flow's actions, whose only title is that of their certification
  (RNCP or diploma). Their known codes come from the same certification, but through France
  compétences' RNCP -> ROME table, which the similarity never reads: the title is evidence, not
  the answer, so the comparison is not circular. What would be wrong is counting a certification
  once per action (39,000 actions share 2,000 certifications): each distinct (title,
  certification) is one unit. These are the texts the method is actually applied to (the unlinked
  trainings are RCO actions whose certification is too recent for the Kit v1.4).

The split is fixed by the certification (sha256 of the RNCP code, else of the training id), so
that every title of one certification falls on the same side.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from matching.offers import split_of
from matching.training_links import LinkEvaluation, TitleLinker, evaluate_links, link_trainings
from matching.training_skills import ItemMatcher

# The known links (a dbt view over every link method) are read by three queries: they are computed
# once into a temporary table of the read-only connection.
KNOWN_LINKS_TABLE = (
    "create temp table training_links_known as select * from intermediate.int_training_occupations_linked"
)

# Every input is read in a fixed order: the warehouse's physical row order changes from one build
# to the next, and vocabulary order decides float summation order, hence items at the threshold.
ROME_LABELS = """
    select rome_code, parent_rome_code, label from intermediate.int_occupation_labels_unioned
    order by rome_code, label
"""

KNOWN_LINKS = """
    with best as (
        select training_id, min(method_rank) as method_rank
        from training_links_known
        group by training_id
    )
    select distinct trainings.training_id, trainings.title, coalesce(trainings.description, '') as content,
           trainings.title_origin, trainings.rncp_code, occupations.parent_rome_code
    from training_links_known as links
    inner join best using (training_id, method_rank)
    inner join staging.stg_rome__occupations as occupations using (rome_code)
    inner join marts.trainings as trainings using (training_id)
    where trainings.title is not null
    order by trainings.training_id, occupations.parent_rome_code
"""

UNLINKED_TRAININGS = """
    select training_id, title, description as content
    from marts.trainings
    where title is not null
      and training_id not in (select training_id from training_links_known)
    order by training_id
"""

TRAININGS_READ = "select count(*) from marts.trainings"

BLOCKS_READ = "select count(*) from staging.stg_kit_apprentissage__rncp_skill_blocks"

ITEMS = "select skill_code, label from staging.stg_rome__items order by skill_code"

OCCUPATION_ITEMS = 'select rome_code as "group", skill_code from staging.stg_rome__occupation_items order by all'

SKILL_BLOCKS = """
    select distinct blocks.skill_block_code as text_id, blocks.label as text, romes.rome_code as "group",
           blocks.rncp_code
    from staging.stg_kit_apprentissage__rncp_skill_blocks as blocks
    inner join intermediate.int_certification_romes_merged as romes using (rncp_code)
    where blocks.label is not null
    order by all
"""

CONTENT_TEXTS = """
    select trainings.training_id as text_id, trainings.description as text, links.rome_code as "group"
    from marts.trainings as trainings
    inner join training_links_known as links using (training_id)
    where trainings.description is not null
    order by all
"""

CONTENT_TRAININGS = """
    select training_id as text_id, description as text
    from marts.trainings
    where description is not null
    order by training_id
"""


@dataclass
class TrainingTextOutputs:
    title_links: pd.DataFrame  # training_id, rome_code, parent_rome_code, similarity, rank
    evaluation: LinkEvaluation
    block_items: pd.DataFrame  # skill_block_code, rncp_code, skill_code, coverage, evidence
    content_skills: pd.DataFrame  # training_id, skill_code, coverage, evidence
    trainings_read: int
    trainings_unlinked: int
    blocks_read: int


def evaluation_units(known: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(texts, truth) for :func:`matching.training_links.evaluate_links` from KNOWN_LINKS rows."""
    known = known.assign(
        content=known["content"].fillna(""),
        unit_key=known["rncp_code"].fillna(known["training_id"]),
        stratum=np.where(known["title_origin"] == "catalogue", "catalogue_title", "certification_title"),
    )
    known["text_id"] = known["stratum"] + "|" + known["unit_key"] + "|" + known["title"] + "|" + known["content"]
    texts = known.drop_duplicates("text_id")[["text_id", "title", "content", "stratum", "unit_key"]]
    texts = texts.sort_values("text_id").reset_index(drop=True)
    texts["split"] = texts["unit_key"].map(split_of)
    truth = known[["text_id", "parent_rome_code"]].drop_duplicates().reset_index(drop=True)
    return texts.drop(columns="unit_key"), truth


def compute(warehouse: Path) -> TrainingTextOutputs:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        connection.execute(KNOWN_LINKS_TABLE)

        def fetch(sql: str) -> pd.DataFrame:
            return connection.execute(sql).df()

        rome_labels, known, unlinked = fetch(ROME_LABELS), fetch(KNOWN_LINKS), fetch(UNLINKED_TRAININGS)
        items, occupation_items = fetch(ITEMS), fetch(OCCUPATION_ITEMS)
        blocks, content_links = fetch(SKILL_BLOCKS), fetch(CONTENT_TEXTS)
        content_trainings = fetch(CONTENT_TRAININGS)
        trainings_read = int(connection.execute(TRAININGS_READ).fetchone()[0])  # type: ignore[index]
        blocks_read = int(connection.execute(BLOCKS_READ).fetchone()[0])  # type: ignore[index]

    linker = TitleLinker.fit(rome_labels)
    evaluation = evaluate_links(linker, *evaluation_units(known))
    title_links = link_trainings(linker, unlinked, label_weight=evaluation.label_weight, threshold=evaluation.threshold)

    matcher = ItemMatcher.fit(items)
    block_items = matcher.match(blocks, occupation_items)
    block_items = block_items.rename(columns={"text_id": "skill_block_code"}).merge(
        blocks[["text_id", "rncp_code"]].drop_duplicates().rename(columns={"text_id": "skill_block_code"}),
        on="skill_block_code",
    )[["skill_block_code", "rncp_code", "skill_code", "coverage", "evidence"]]

    # A content text's occupations: its links by any method, else its title links.
    title_groups = content_trainings.merge(
        title_links.rename(columns={"training_id": "text_id", "rome_code": "group"})[["text_id", "group"]], on="text_id"
    )
    content_texts = pd.concat([content_links, title_groups], ignore_index=True)
    content_skills = matcher.match(content_texts, occupation_items).rename(columns={"text_id": "training_id"})

    return TrainingTextOutputs(
        title_links=title_links,
        evaluation=evaluation,
        block_items=block_items.sort_values(["skill_block_code", "skill_code"]).reset_index(drop=True),
        content_skills=content_skills,
        trainings_read=trainings_read,
        trainings_unlinked=len(unlinked),
        blocks_read=blocks_read,
    )

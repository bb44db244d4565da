"""skill_demand checked against an independent computation over the raw zone, and postings' joins."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from matching.extractor_inputs import ExtractorInputs

pytestmark = pytest.mark.e2e

MONTH, REGION, SKILL = "2024-11-01", "44", 123299

# Written from the rules, not from the models: plain SQL over the landed Parquet. The région of an
# offer comes from the département written in lieuTravail.libelle ("67 - STRASBOURG") and the
# COG département table; the latest version of an id wins; a near duplicate (same company,
# commune and title once case, accents, "(H/F)" and punctuation are folded, an earlier posting at
# most 30 days before) is not counted; a posting asks for the skill when its own competences list
# (unnested from the JSON text) or the text extractor's output (derived zone) names it, once.
INDEPENDENT_SQL = """
with offers as (
    select * from read_parquet('{raw}/france_travail/job_offers/*/*.parquet', union_by_name = true)
),
latest as (
    select * from offers
    qualify row_number() over (
        partition by offer_id
        order by date_actualisation desc nulls last, _ingested_at desc, _source_file desc, _row_number desc
    ) = 1
),
grand_est as (
    select dep from read_parquet('{raw}/geography/departements/*/*.parquet') where reg = '{region}'
),
folded as (
    select
        *,
        nullif(trim(regexp_replace(strip_accents(lower(entreprise_nom)), '[^a-z0-9]+', ' ', 'g')), '') as company,
        trim(regexp_replace(
            regexp_replace(strip_accents(lower(intitule)), '\\(?\\b[hf] ?/ ?[hf]\\b\\)?', ' ', 'g'),
            '[^a-z0-9]+', ' ', 'g')) as title_folded
    from latest
),
duplicates as (
    select distinct later.offer_id
    from folded as later
    join folded as earlier
        on later.company = earlier.company
        and later.lieu_travail_commune = earlier.lieu_travail_commune
        and later.title_folded = earlier.title_folded
        and (earlier.date_creation < later.date_creation
             or (earlier.date_creation = later.date_creation and earlier.offer_id < later.offer_id))
        and later.date_creation <= earlier.date_creation + interval 30 days
),
counted as (
    select folded.*
    from folded
    where split_part(lieu_travail_libelle, ' - ', 1) in (select dep from grand_est)
        and date_trunc('month', timezone('UTC', date_creation)) = date '{month}'
        and offer_id not in (select offer_id from duplicates)
),
structured as (
    select distinct counted.offer_id
    from counted, unnest(from_json(counted.competences_json, '[{{"code": "VARCHAR"}}]')) as item(entry)
    where entry.code = '{skill}'
),
extracted as (
    select distinct posting_id as offer_id
    from read_parquet('{derived}/matching/extracted_posting_skills/*/*.parquet')
    where cast(skill_code as varchar) = '{skill}'
      and posting_id in (select offer_id from counted)
),
asking as (
    select offer_id from structured
    union
    select offer_id from extracted
)
select (select count(*) from asking), (select count(*) from counted), (select count(*) from structured)
"""


@pytest.fixture(scope="module")
def warehouse(built_pipeline: tuple[Path, str]) -> Iterator[duckdb.DuckDBPyConnection]:
    data_dir, _ = built_pipeline
    connection = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    yield connection
    connection.close()


def test_one_skill_demand_figure_recomputed_from_the_raw_zone(
    built_pipeline: tuple[Path, str], warehouse: duckdb.DuckDBPyConnection
) -> None:
    data_dir, _ = built_pipeline
    sql = INDEPENDENT_SQL.format(
        raw=data_dir / "raw", derived=data_dir / "derived", region=REGION, month=MONTH, skill=SKILL
    )
    with duckdb.connect() as scratch:
        expected_with_skill, expected_total, structured_only = scratch.execute(sql).fetchone()  # type: ignore[misc]
    mart = warehouse.execute(
        "select postings_with_skill, postings_total, share from marts.skill_demand "
        "where month = ? and territory_level = 'region' and territory_code = ? and skill_code = ?",
        [MONTH, REGION, SKILL],
    ).fetchall()
    assert mart == [(expected_with_skill, expected_total, pytest.approx(expected_with_skill / expected_total))]
    # Pinned so that a silent change of either side is noticed: 12 of the 50 Grand Est postings of
    # November 2024 list item 123299 themselves; with the text extractor, 32 ask for it.
    assert (structured_only, expected_total) == (12, 50)
    assert expected_with_skill == 32


def test_near_duplicates_are_excluded_from_the_totals(warehouse: duckdb.DuckDBPyConnection) -> None:
    all_postings, counted = warehouse.execute(
        "select count(*), count(*) filter (where duplicate_of is null) from marts.job_postings "
        f"where region_code = '{REGION}' and date_trunc('month', created_at) = date '{MONTH}'"
    ).fetchone()  # type: ignore[misc]
    assert counted == 50 and all_postings > counted
    regional_total = warehouse.execute(
        "select max(postings_total) from marts.occupation_demand "
        f"where month = date '{MONTH}' and territory_level = 'region' and territory_code = '{REGION}'"
    ).fetchone()[0]  # type: ignore[index]
    assert regional_total == counted


def test_every_posting_occupation_and_skill_joins(warehouse: duckdb.DuckDBPyConnection) -> None:
    orphans = warehouse.execute(
        "select count(*) from marts.job_postings where rome_code not in (select rome_code from marts.occupations)"
    ).fetchone()[0]  # type: ignore[index]
    assert orphans == 0
    orphan_skills = warehouse.execute(
        "select count(*) from marts.posting_skills where skill_code not in (select skill_code from marts.skills)"
    ).fetchone()[0]  # type: ignore[index]
    assert orphan_skills == 0


def test_postings_figures(warehouse: duckdb.DuckDBPyConnection) -> None:
    postings, distinct_ids, duplicates, in_region = warehouse.execute(
        "select count(*), count(distinct posting_id), count(duplicate_of), count(*) filter (where is_in_region) "
        "from marts.job_postings"
    ).fetchone()  # type: ignore[misc]
    # 1,879 landed offer rows (1,729 JSON + 150 psv), no id repeated across the bundled files.
    assert postings == distinct_ids == 1879
    assert duplicates == 25
    # Offers whose workplace label starts with a Grand Est département code (08, 10, 51, 52, 54,
    # 55, 57, 67, 68, 88): 64 + 41 + 10 + 12 in the four JSON files, none in the psv.
    assert in_region == 127
    structured = warehouse.execute(
        "select count(*), count(*) filter (where requirement = 'required') from marts.posting_skills "
        "where origin = 'structured'"
    ).fetchone()  # type: ignore[misc]
    assert structured == (2039, 368)
    unmatched = dict(
        warehouse.execute(
            "select reason, count(*) from intermediate.int_posting_competences_unmatched group by reason"
        ).fetchall()
    )
    assert unmatched == {"free_text": 131, "unknown_code": 1}
    texts = warehouse.execute("select count(*) from marts.posting_texts").fetchone()[0]  # type: ignore[index]
    assert texts == postings


def test_every_text_row_names_the_skill_with_a_span_of_its_posting(
    warehouse: duckdb.DuckDBPyConnection, extractor_inputs: ExtractorInputs
) -> None:
    origins = dict(warehouse.execute("select origin, count(*) from marts.posting_skills group by origin").fetchall())
    assert set(origins) == {"structured", "text", "occupation_prior"}
    not_a_span = warehouse.execute(
        """
        select count(*) from marts.posting_skills as skills
        join marts.posting_texts as texts using (posting_id)
        where skills.origin = 'text'
          and (skills.evidence is null or skills.evidence = ''
               or strpos(coalesce(texts.title, '') || chr(10) || coalesce(texts.description, ''), skills.evidence) = 0)
        """
    ).fetchone()[0]  # type: ignore[index]
    assert not_a_span == 0
    with_evidence = warehouse.execute(
        "select count(*) from marts.posting_skills where origin <> 'text' and evidence is not null"
    ).fetchone()[0]  # type: ignore[index]
    assert with_evidence == 0
    # The span names the skill: its normalised form is a name of that item in the dictionary.
    from matching.dictionary import SkillDictionary
    from matching.text import normalise

    dictionary = SkillDictionary.from_tables(extractor_inputs.items, extractor_inputs.esco_labels)
    patterns = dictionary.entries.groupby("skill_code")["pattern"].agg(set)
    rows = warehouse.execute("select skill_code, evidence from marts.posting_skills where origin = 'text'").fetchall()
    assert rows and all(normalise(evidence) in patterns[code] for code, evidence in rows)


def test_skill_demand_counts_each_origin(warehouse: duckdb.DuckDBPyConnection) -> None:
    by_origin = warehouse.execute(
        "select postings_with_skill, postings_asking, postings_structured, postings_in_text, postings_occupation_prior "
        "from marts.skill_demand where month = ? and territory_level = 'region' and territory_code = ? and skill_code = ?",
        [MONTH, REGION, SKILL],
    ).fetchone()
    assert by_origin is not None
    total, asking, structured, in_text, prior = by_origin
    assert structured == 12 and asking >= structured and total <= asking + prior


def test_postings_carry_an_inferred_occupation_apart_from_the_recruiters(warehouse: duckdb.DuckDBPyConnection) -> None:
    postings, inferred, same, confident = warehouse.execute(
        "select count(*), count(inferred_rome_code), count(*) filter (where inferred_rome_code = rome_code), "
        "count(*) filter (where inferred_rome_confidence between 0 and 1) from marts.job_postings"
    ).fetchone()  # type: ignore[misc]
    assert postings == confident == 1879
    assert inferred > 0.95 * postings
    # Cross-fitted, it agrees with the recruiter's fiche for about 6 offers in 10, not all.
    assert 0.4 < same / postings < 0.9

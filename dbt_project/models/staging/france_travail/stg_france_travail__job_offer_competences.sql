{#- One row per entry of an offer row's competences list. The JSON is unnested here, where
    DuckDB-specific functions belong, so that the intermediate and mart models stay portable.
    Same raw table as stg_france_travail__job_offers: rows keep its provenance columns so that a
    model can take the entries of the very offer version it kept. -#}
with source as (
    select
        offer_id,
        from_json(cast(competences_json as json), '["json"]') as entries,
        _source_file,
        _row_number,
        _ingested_at
    from {{ source('france_travail', 'job_offers') }}
    where competences_json is not null
),

unnested as (
    select
        offer_id,
        unnest(entries) as entry,
        unnest(range(1, len(entries) + 1)) as entry_number,
        _source_file,
        _row_number,
        _ingested_at
    from source
),

renamed as (
    select
        offer_id as posting_id,
        cast(entry_number as integer) as entry_number,
        -- free-text entries have no code: they are not ROME items
        nullif(trim(entry ->> 'code'), '') as competence_code,
        -- the code as a ROME item code_ogr; NULL for free text or a non-numeric code
        try_cast(nullif(trim(entry ->> 'code'), '') as integer) as skill_code,
        entry ->> 'libelle' as label,
        -- E exigée (required), S souhaitée (wished)
        entry ->> 'exigence' as requirement_code,
        _source_file,
        _row_number,
        _ingested_at
    from unnested
)

select * from renamed

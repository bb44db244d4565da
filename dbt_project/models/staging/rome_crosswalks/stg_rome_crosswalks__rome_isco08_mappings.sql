with source as (
    select * from {{ source('rome_crosswalks', 'rome_isco08') }}
),

renamed as (
    select
        code_rome as rome_v3_code,
        libelle_codes_rome as rome_v3_label,
        -- ISCO-08 unit groups have 4 digits; the workbook stores them as numbers, which drops the
        -- leading zero of major group 0 (armed forces: '110' is 0110, '310' is 0310)
        lpad(code_isco08, 4, '0') as isco08_code,
        code_isco08 as isco08_code_as_published,
        libelle_codes_isco08 as isco08_label,
        -- 1 to 4 digits, kept as published: a 3-digit value is a genuine minor group, not a lost zero
        isco08_14si4 as isco08_14si4_code,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed

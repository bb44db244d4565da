with source as (
    select * from {{ source('dares', 'employment_by_region') }}
),

renamed as (
    select
        -- REG is the INSEE region code without its leading zero for overseas regions ('1' = '01').
        lpad(reg, 2, '0') as region_code,
        code_reg as legacy_region_code,
        nom_reg as region_label,
        fap_3 as fap_code,
        cast(emp_fap_reg as double) as fap_region_employment,
        cast(emp_reg as double) as region_employment,
        cast(variable as double) as fap_share_of_region_employment_pct,
        cast(pourcentage as double) as region_share_of_fap_employment,
        -- emp_fap_reg2 repeats emp_fap_reg as a number: not carried over.
        var_classe as map_class_label,
        gid as map_gid,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed

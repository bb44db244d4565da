-- One row per posting: the texts of its kept version (e-mails and phone numbers scrubbed at
-- ingestion), for reading and for skill extraction.
select
    posting_id,
    title,
    description,
    company_description
from {{ ref('int_job_postings_deduplicated') }}

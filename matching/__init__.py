"""Plain-Python matching library (no Dagster import): French text normalisation, skill extraction.

Stable entry points for the orchestration layer:
- ``matching.extractor_inputs.load_extractor_inputs(warehouse)``: what the extractor learns from,
  read from declared warehouse tables (ROME items, ESCO bridge, fiche names, labelled postings);
- ``matching.extract.CrossFitted.from_inputs(inputs).apply(frame)``: frame columns
  offer_id, title, description, rome_code (may be empty) -> (offer_id, skill_code, score,
  evidence, origin; offer_id, inferred_rome_code, inferred_rome_confidence), each offer scored by
  the fold's extractor that never saw its labels;
- ``matching.evaluation.evaluate(inputs)`` -> every figure of EVALUATION.md.
"""

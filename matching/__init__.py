"""Plain-Python matching library (no Dagster import): French text normalisation, skill extraction.

Stable entry points for the orchestration layer:
- ``matching.extract.CrossFitted.from_snapshot(snapshot_dir).apply(frame)``: frame columns
  offer_id, title, description, rome_code (may be empty) -> (offer_id, skill_code, score,
  evidence, origin; offer_id, inferred_rome_code, inferred_rome_confidence), each offer scored by
  the fold's extractor that never saw its labels;
- ``matching.evaluation.evaluate(snapshot_dir)`` -> every figure of EVALUATION.md.
"""

"""Plain-Python matching library (no Dagster import): French text normalisation, skill extraction.

Stable entry points for the orchestration layer:
- ``matching.extract.SkillExtractor.from_snapshot(snapshot_dir)`` then ``.extract(frame)``:
  frame columns offer_id, title, description, rome_code -> offer_id, skill_code, score, evidence;
- ``matching.evaluation.evaluate(snapshot_dir)`` -> (three-row table, settings) on the report split.
"""

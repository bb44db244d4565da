"""What passerelle hands to its readers: the published copy (atomic versions) of the marts.

Plain Python, no Dagster import; ``orchestration/assets/publish.py`` wires it.
"""

"""Floor 3, charts: static SVG charts of a run's metrics (the notebook fallback, reports).

Imports only the base; a sibling of rows and system.
"""

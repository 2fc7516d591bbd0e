"""Floor 3, charts: static SVG charts of a run's metrics (the notebook fallback, reports) and the one M4
downsampler they, the report's series and the workspace overview use.

Imports only the base; a sibling of rows and system.
"""

"""Floor 5, workspace data: every run of a project, compared (listing, series, histograms, overview, output).

Imports data types, the store and the base; a sibling of artifacts and torch_watch.
"""

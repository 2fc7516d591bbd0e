"""What a report embeds, at most. docs/reports.md explains each figure; tests check the size they lead to."""

CHART_POINT_BUDGET = (
    24_000  # points per chart, over all its runs (x + float32 y ≈ 5 bytes each after deflate)
)
SERIES_POINT_CAP = 4_000  # points per series even when the chart has room (a 1000-bucket M4 needs ≤ 4000)
SERIES_POINT_FLOOR = 400  # a chart with very many runs still gives each run ≥ 100 M4 buckets
M4_MAX_BUCKETS = 1_000  # ~ the pixel width of a wide chart: M4 at this resolution is visually lossless
CHARTS_PER_PANEL = 24  # metrics charted per run or workspace panel (the rest are listed in a note)
RUNS_PER_WORKSPACE = 50  # runs of a workspace panel (the most recent first)
TABLE_ROW_BUDGET = 2_000  # table rows embedded (the table's row count is still shown)
CELL_TEXT_LIMIT = 500  # characters per table cell and per config value shown
TEXT_OUTPUT_LIMIT = 20_000  # characters of one text/plain or stream output
IMAGE_BYTES_LIMIT = 2 * 1024 * 1024  # a larger PNG/JPEG/SVG output is replaced by a note
THUMBNAIL_EDGE = 96  # pixels on the longer side of an image cell's thumbnail
THUMBNAIL_BYTES_LIMIT = 48 * 1024  # one thumbnail (a 96 px JPEG is ~3-8 KB; an unscaled file may be larger)
TABLE_MEDIA_BYTES_LIMIT = 2 * 1024 * 1024  # all table thumbnails of a report; later cells show a placeholder
LINEAGE_NODE_LIMIT = 300  # lineage nodes drawn (as the notebook's SVG fallback); larger graphs as text
TRACE_ROOTS_SHOWN = 50  # root calls of a trace output (the newest first)
TRACE_TREE_ROWS = 500  # calls of the newest trace's tree


def series_points(series_in_chart: int) -> int:
    """Points one series may keep in a chart of `series_in_chart` series."""
    share = CHART_POINT_BUDGET // max(1, series_in_chart)
    return max(SERIES_POINT_FLOOR, min(SERIES_POINT_CAP, share))

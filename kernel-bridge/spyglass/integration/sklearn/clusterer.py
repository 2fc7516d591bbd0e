"""Clusterer charts: plot_clusterer, the elbow curve and the silhouette plot (wandb.sklearn names, keys)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from .charts import CHART_LIMIT, log_chart, make_table, preset_chart
from .checks import ready, skip


def plot_clusterer(
    model: Any,
    X_train: Any,  # noqa: N803 (scikit-learn's names)
    cluster_labels: Sequence[Any],
    labels: Sequence[Any] | None = None,
    model_name: str = "Clusterer",
) -> None:
    """Log the clusterer charts: the elbow curve (k-means only) and the silhouette plot."""
    from sklearn.cluster import KMeans

    if isinstance(model, KMeans):
        plot_elbow_curve(model, X_train)
        plot_silhouette(model, X_train, cluster_labels, labels=labels, kmeans=True)
    else:
        plot_silhouette(model, X_train, cluster_labels, kmeans=False)


def plot_elbow_curve(
    clusterer: Any = None,
    X: Any = None,  # noqa: N803
    cluster_ranges: Sequence[int] | None = None,
    n_jobs: int | None = 1,
    show_cluster_time: bool = True,
) -> None:
    """The clustering error (|score|) for each number of clusters under "elbow_curve" (columns
    cluster_ranges, errors, clustering_time). Fits a clone per number of clusters (default 1, 3, 5, 7, 9)."""
    from joblib import Parallel, delayed

    if not hasattr(clusterer, "n_clusters"):
        skip("elbow_curve", f"{type(clusterer).__name__} has no n_clusters to vary.")
        return
    if not ready("elbow_curve", model=clusterer, kind="clusterer", X=X):
        return
    ranges = list(range(1, 10, 2)) if cluster_ranges is None else sorted(cluster_ranges)
    results = Parallel(n_jobs=n_jobs)(delayed(_score_clusters)(clusterer, X, count) for count in ranges)
    rows = [[count, abs(error), seconds] for count, (error, seconds) in zip(ranges, results, strict=True)]
    table = make_table(["cluster_ranges", "errors", "clustering_time"], rows)
    fields = {"x": "cluster_ranges", "y": "errors"}
    log_chart("elbow_curve", preset_chart("line", table, fields, "Elbow Plot"))


def plot_silhouette(
    clusterer: Any = None,
    X: Any = None,  # noqa: N803
    cluster_labels: Sequence[Any] | None = None,
    labels: Sequence[Any] | None = None,
    metric: str = "euclidean",
    kmeans: bool = True,
) -> None:
    """Each sample's silhouette coefficient, sorted within its cluster, under "silhouette_plot" (wandb's
    columns: x, y, colors, centerx, centery, y_sil, x1, x2, color_sil, silhouette_avg)."""
    from sklearn.metrics import silhouette_samples, silhouette_score

    if not ready("silhouette_plot", model=clusterer, kind="clusterer", X=X, cluster_labels=cluster_labels):
        return
    features = np.asarray(X, dtype=float)
    assigned = np.asarray(cluster_labels)
    average = silhouette_score(features, assigned, metric=metric)
    samples = silhouette_samples(features, assigned, metric=metric)
    clusters = np.unique(assigned)
    centers = np.asarray(clusterer.cluster_centers_) if kmeans else None
    rows: list[list[Any]] = []
    position = 10  # wandb's layout: each cluster's bars start 10 above the previous cluster's
    for cluster_index, cluster in enumerate(clusters):
        values = np.sort(samples[assigned == cluster])
        for offset, value in enumerate(values):
            if len(rows) >= CHART_LIMIT:
                break
            # x, y, colors and the center describe sample number len(rows) (the cluster scatter); the
            # silhouette columns the sorted coefficients: two charts' data in one table, as wandb stores it.
            sample = len(rows)
            center = (
                centers[int(np.searchsorted(clusters, assigned[sample]))] if centers is not None else None
            )
            rows.append(
                [
                    features[sample, 0],
                    features[sample, 1] if features.shape[1] > 1 else 0.0,
                    assigned[sample],
                    None if center is None else center[0],
                    None if center is None or len(center) < 2 else center[1],
                    position + offset,
                    0,
                    value,
                    cluster_index,
                    average,
                ]
            )
        position += len(values) + 10
    columns = ["x", "y", "colors", "centerx", "centery", "y_sil", "x1", "x2", "color_sil", "silhouette_avg"]
    table = make_table(columns, rows)
    fields = {"x": "x2", "y": "y_sil", "color": "color_sil"}
    log_chart(
        "silhouette_plot", preset_chart("scatter", table, fields, f"Silhouette (average {average:.3f})")
    )


def _score_clusters(clusterer: Any, X: Any, count: int) -> tuple[float, float]:  # noqa: N803
    from sklearn.base import clone

    started = time.time()
    model = clone(clusterer)
    model.n_clusters = count
    return float(model.fit(X).score(X)), time.time() - started

"""A project name the store does not hold (issue 14, item 8): `sg.workspace("Mistakes")` when the project is
`mistakes` says the project does not exist and names the close match, as `spyglass runs ls` does, from one
matching function (project_names.py)."""

from __future__ import annotations

import pytest
from store_builders import logged_run

import spyglass as sg
from spyglass.errors import ProjectNotFoundError
from spyglass.store.project_names import close_projects
from spyglass.workspace_data.index import list_runs

PROJECTS = ["mistakes", "mnist-small", "mnist", "other"]


@pytest.mark.parametrize(
    ("asked", "matches"),
    [
        ("Mistakes", ["mistakes"]),  # a case slip comes first
        ("MNIST", ["mnist"]),
        ("mnist-smal", ["mnist-small"]),
        ("mistake", ["mistakes"]),
        ("zzz", []),
        ("mistakes", []),  # it exists: nothing to suggest
    ],
)
def test_close_projects_puts_the_other_case_first_then_similar_names(asked, matches):
    assert close_projects(asked, PROJECTS) == matches


@pytest.fixture
def mistakes_store(tmp_path):
    for project in ("mistakes", "other"):
        logged_run(tmp_path, project, f"{project}-1", [{"loss": 1.0}])
    return tmp_path


def test_the_workspace_text_says_the_project_does_not_exist_and_names_the_match(mistakes_store):
    text = sg.workspace("Mistakes", store=mistakes_store)._repr_mimebundle_()["text/plain"]
    assert "project 'Mistakes' does not exist yet" in text
    assert "Did you mean 'mistakes'?" in text
    shown = sg.workspace("mistakes", store=mistakes_store)._repr_mimebundle_()["text/plain"]
    assert "(1 run)" in shown and "does not exist" not in shown


def test_the_runs_listing_carries_close_matches_only_for_a_missing_project(mistakes_store):
    # The workspace view (WorkspacePanel) reads close_matches from /runs to say the same.
    missing = list_runs(mistakes_store, "Mistakes")
    assert (missing["runs"], missing["close_matches"]) == ([], ["mistakes"])
    assert "close_matches" not in list_runs(mistakes_store, "mistakes")
    assert list_runs(mistakes_store, "unheard-of")["close_matches"] == []


def test_the_read_api_names_the_close_match_before_every_project(mistakes_store):
    with pytest.raises(ProjectNotFoundError, match=r"no project 'Mistakes'.* Did you mean 'mistakes'\? Its"):
        sg.Api(mistakes_store).runs("Mistakes")

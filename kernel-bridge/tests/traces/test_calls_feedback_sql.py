"""The trace panel's feedback, filters and SQL endpoints over a real traced store and a real Jupyter server:
feedback stored from HTTP is read back by sg.Api().calls(); the SQL box refuses anything but one SELECT over
the calls/feedback views and cannot touch files."""

from __future__ import annotations

import datetime
import json
import time

import pyarrow as pa
import pytest
from server_harness import http, jupyter_server

import spyglass as sg
from spyglass.server.calls_index import project_calls
from spyglass.server.calls_query import CallsQueryError, list_roots, trace_arrow
from spyglass.server.calls_user_sql import check_select
from spyglass.traces.call_feedback import add_feedback

API = "/spyglass/api/v1"


def _store(root):
    sg.init_traces("shop", dir=root)

    @sg.op
    def lookup(sku):
        return {"sku": sku, "title": "<script>window.__xss=1</script>"}

    @sg.op
    def answer(question):
        return lookup(question[-3:])

    with sg.attributes({"env": "prod", "user": {"tier": "gold"}}):
        answer("where is sku 123")
    time.sleep(0.01)
    answer("where is sku 456")
    sg.finish_traces()


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("store")
    _store(root)
    return root


@pytest.fixture(scope="module")
def server(root, tmp_path_factory):
    with jupyter_server(root, tmp_path_factory.mktemp("jupyter")) as url:
        yield url


def _post(url, endpoint, body, root, **params):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    query = {"store_root": str(root), "project": "shop", **params}
    headers = {"Content-Type": "application/json"}
    status, _, answer = http(url, f"{API}/{endpoint}", method="POST", data=data, headers=headers, **query)
    return status, json.loads(answer)


def test_feedback_from_http_is_read_back_from_python_and_summarized_in_the_list(server, root):
    older, newer = sorted(
        sg.Api(dir=root).calls("shop", filters={"parent_id": None}), key=lambda c: c.started_at
    )
    child = next(c for c in sg.Api(dir=root).calls("shop") if c.parent_id == older.id)
    status, body = _post(
        server, "calls/feedback", {"call_id": older.id, "kind": "thumbs", "value": "down"}, root
    )
    assert status == 201 and body["feedback"]["source"] == "ui"
    status, _ = _post(
        server, "calls/feedback", {"call_id": child.id, "kind": "label", "value": "wrong sku"}, root
    )
    assert status == 201
    note = "the title is <b>markup</b>"
    assert (
        _post(server, "calls/feedback", {"call_id": older.id, "kind": "note", "value": note}, root)[0] == 201
    )

    [read] = [c for c in sg.Api(dir=root).calls("shop") if c.id == older.id]
    assert [(e["kind"], e["value"]) for e in read.feedback] == [("thumbs", "down"), ("note", note)]
    status, _, body = http(
        server, f"{API}/calls/feedback", store_root=str(root), project="shop", call_id=child.id
    )
    assert status == 200 and [e["value"] for e in json.loads(body)["feedback"][child.id]] == ["wrong sku"]

    status, _, body = http(server, f"{API}/calls", store_root=str(root), project="shop")
    rows = {row["id"]: row for row in json.loads(body)["calls"]}
    # The trace's summary counts feedback on any of its calls (the label is on the child).
    assert rows[older.id]["feedback"] == {"up": 0, "down": 1, "notes": 1, "labels": ["wrong sku"]}
    assert rows[newer.id]["feedback"] is None
    for params, expected in [
        ({"label": "wrong sku"}, [older.id]),
        ({"feedback": "down"}, [older.id]),
        ({"feedback": "none"}, [newer.id]),
        ({"feedback": "up"}, []),
    ]:
        status, _, body = http(server, f"{API}/calls", store_root=str(root), project="shop", **params)
        assert status == 200 and [row["id"] for row in json.loads(body)["calls"]] == expected, params


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"not json", 400, "the body must be JSON"),
        ({"call_id": "0" * 32, "kind": "thumbs", "value": "up"}, 404, "no call"),
        ({"kind": "thumbs", "value": "up"}, 404, "no call None"),
        ({"kind": "stars", "value": "5"}, 400, "kind must be one of"),
        ({"kind": "thumbs", "value": "meh"}, 400, "'up' or 'down'"),
        ({"kind": "note", "value": ""}, 400, "non-empty"),
        ({"kind": "label", "value": "x" * 100}, 400, "at most 64"),
        ({"kind": "thumbs", "value": "up", "extra": 1}, 400, "unknown fields ['extra']"),
        ({"kind": "removed", "value": "f" * 32}, 404, "no feedback"),
    ],
)
def test_bad_feedback_requests_say_what_is_wrong(server, root, body, status, message):
    if isinstance(body, dict) and "kind" in body and "call_id" not in body and message != "no call None":
        body = {"call_id": sg.Api(dir=root).calls("shop")[0].id, **body}
    got, answer = _post(server, "calls/feedback", body, root)
    assert got == status and message in answer["error"], answer


def test_a_note_over_the_body_limit_is_refused(server, root):
    call_id = sg.Api(dir=root).calls("shop")[0].id
    got, answer = _post(
        server, "calls/feedback", {"call_id": call_id, "kind": "note", "value": "x" * 70_000}, root
    )
    assert got == 413 and "at most" in answer["error"]


def test_a_login_cookie_needs_the_xsrf_token_to_add_feedback(server, root):
    import http.cookiejar
    import urllib.error
    import urllib.parse
    import urllib.request

    from server_harness import TOKEN

    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browser.open(server + "/login").read()
    xsrf = next(cookie.value for cookie in jar if cookie.name == "_xsrf")
    browser.open(server + "/login", data=urllib.parse.urlencode({"password": TOKEN, "_xsrf": xsrf}).encode())
    call_id = sg.Api(dir=root).calls("shop")[-1].id
    url = f"{server}{API}/calls/feedback?" + urllib.parse.urlencode(
        {"store_root": str(root), "project": "shop"}
    )
    body = json.dumps({"call_id": call_id, "kind": "label", "value": "via-cookie"}).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        browser.open(urllib.request.Request(url, data=body))
    assert refused.value.code == 403
    assert "via-cookie" not in sg.Api(dir=root).calls("shop")[-1].feedback.labels
    accepted = browser.open(urllib.request.Request(url, data=body, headers={"X-XSRFToken": xsrf}))
    assert accepted.status == 201
    assert "via-cookie" in sg.Api(dir=root).calls("shop")[-1].feedback.labels


def test_time_range_and_attribute_filters(root):
    calls = project_calls(root, "shop")
    roots = list_roots(calls)["calls"]
    older, newer = sorted(roots, key=lambda r: r["started_at"])
    middle = (older["started_at"] + newer["started_at"]) / 2
    assert [r["id"] for r in list_roots(calls, since=str(middle))["calls"]] == [newer["id"]]
    assert [r["id"] for r in list_roots(calls, until=str(middle))["calls"]] == [older["id"]]
    iso = datetime.datetime.fromtimestamp(middle, datetime.timezone.utc).isoformat()
    assert [r["id"] for r in list_roots(calls, since=iso)["calls"]] == [newer["id"]]
    assert [r["id"] for r in list_roots(calls, attribute="env=prod")["calls"]] == [older["id"]]
    assert [r["id"] for r in list_roots(calls, attribute="user.tier = gold")["calls"]] == [older["id"]]
    assert list_roots(calls, attribute="env=dev")["total"] == 0
    with pytest.raises(CallsQueryError, match="attribute must be key=value"):
        list_roots(calls, attribute="env")
    with pytest.raises(CallsQueryError, match="attribute must be key=value"):
        list_roots(calls, attribute="$.x')--=1")
    with pytest.raises(CallsQueryError, match="since must be epoch seconds or an ISO 8601"):
        list_roots(calls, since="yesterday")
    with pytest.raises(CallsQueryError, match="feedback must be one of"):
        list_roots(calls, feedback="maybe")


def test_the_trace_as_arrow_holds_the_json_answer(root):
    calls = project_calls(root, "shop")
    trace_id = list_roots(calls)["calls"][0]["trace_id"]
    table = pa.ipc.open_stream(trace_arrow(calls, trace_id)).read_all()
    head = json.loads(table.schema.metadata[b"spyglass"])
    assert head["trace_id"] == trace_id and head["calls_truncated"] is False
    assert table["op_name"].to_pylist() == ["answer", "lookup"]
    assert json.loads(table["output_json"][1].as_py())["title"] == "<script>window.__xss=1</script>"


def test_sql_over_calls_answers_a_table_with_feedback_joined(server, root):
    sql = "select op_name, count(*) as n, max(latency) > 0 as timed from calls group by op_name order by 1"
    status, body = _post(server, "calls/sql", {"sql": sql}, root)
    assert status == 200, body
    assert [c["name"] for c in body["columns"]] == ["op_name", "n", "timed"]
    assert body["rows"] == [["answer", 2, True], ["lookup", 2, True]] and body["truncated"] is False
    add_feedback(root, "shop", sg.Api(dir=root).calls("shop")[0].id, "label", "sql-visible")
    joined = (
        "select c.op_name, f.value from calls c join feedback f on f.call_id = c.id where f.kind = 'label'"
    )
    status, body = _post(server, "calls/sql", {"sql": joined}, root)
    assert status == 200 and ["answer", "sql-visible"] in body["rows"]
    status, body = _post(server, "calls/sql", {"sql": "select id from calls", "max_rows": 1}, root)
    assert status == 200 and len(body["rows"]) == 1 and body["truncated"] is True


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("delete from calls", "only a SELECT"),
        ("drop table calls", "only a SELECT"),
        ("copy calls to '/tmp/out.csv'", "only a SELECT"),
        ("attach '/tmp/x.db'", "only a SELECT"),
        ("install httpfs", "only a SELECT"),
        ("set enable_external_access = true", "only a SELECT"),
        ("select 1; select 2", "one statement"),
        ("select * from read_csv('/etc/passwd')", "table functions are not allowed (read_csv)"),
        ("select * from read_text('/etc/hostname')", "table functions are not allowed"),
        ("select * from glob('/*')", "table functions are not allowed"),
        ("select * from duckdb_settings()", "table functions are not allowed"),
        ("select * from '/etc/passwd'", "unknown table"),
        ("select * from information_schema.tables", "unknown table"),
        ("select * from calls, (select * from secrets) s", "unknown table 'secrets'"),
        ("with x as (select * from parquet_scan('a.parquet')) select * from x", "table functions"),
        ("select * from calls where id in (select * from read_json('x'))", "table functions"),
        ("selec id from calls", "does not parse"),
        ("", "non-empty SELECT"),
    ],
)
def test_sql_that_is_not_a_select_over_the_views_is_refused(server, root, sql, message):
    status, body = _post(server, "calls/sql", {"sql": sql}, root)
    assert status == 400 and message in body["error"], body


def test_the_user_database_has_no_file_access_even_past_the_parse_check():
    # The third fence alone: a file-reading query run straight on the SQL box's database is refused by DuckDB.
    import duckdb

    from spyglass.server.calls_sql import database

    cursor = database("user").cursor()
    try:
        for sql in ("select * from read_csv('/etc/passwd')", "copy (select 1) to '/tmp/spyglass-x.csv'"):
            with pytest.raises(duckdb.PermissionException):
                cursor.execute(sql)
        with pytest.raises(duckdb.Error, match="(?i)external.access.*locked|locked"):
            cursor.execute("set enable_external_access = true")
    finally:
        cursor.close()
    assert check_select("with x as (select id from calls) select * from x") is not None

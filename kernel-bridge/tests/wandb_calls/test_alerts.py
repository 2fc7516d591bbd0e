"""run.alert / spyglass.alert: recorded in run.json, rate-limited per title, posted to a real HTTP webhook."""

from __future__ import annotations

import datetime
import http.server
import json
import threading
import warnings

import pytest

import spyglass as sg
from spyglass.tracking.run_alerts import AlertError, AlertWebhookWarning


@pytest.fixture
def webhook():
    """A real HTTP server on 127.0.0.1 recording the JSON bodies posted to it."""
    received: list[dict] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers["Content-Length"])
            received.append(
                {"type": self.headers["Content-Type"], "body": json.loads(self.rfile.read(length))}
            )
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()
    server.server_close()


def stored_alerts(run):
    return sg.Api().run(f"{run.project}/{run.id}").metadata["alerts"]


def test_alerts_are_recorded_and_the_same_title_is_dropped_within_wait_duration(store):
    run = sg.init(project="p")
    sg.alert("loss high", "loss is 3.2", level=sg.AlertLevel.WARN)
    sg.alert("loss high", "loss is 3.5")  # within the default minute: dropped, as wandb
    run.alert("diverged", "NaN loss", level="ERROR", wait_duration=datetime.timedelta(seconds=0))
    run.alert("diverged", "NaN loss again", level="ERROR", wait_duration=0)
    alerts = stored_alerts(run)  # written at once, while the run is live
    assert [(a["title"], a["text"], a["level"]) for a in alerts] == [
        ("loss high", "loss is 3.2", "WARN"),
        ("diverged", "NaN loss", "ERROR"),
        ("diverged", "NaN loss again", "ERROR"),
    ]
    run.finish()
    assert len(stored_alerts(run)) == 3


def test_bad_levels_and_durations_are_refused_by_name(store):
    run = sg.init(project="p")
    with pytest.raises(AlertError, match="level must be INFO, WARN or ERROR"):
        run.alert("t", "x", level="LOUD")
    with pytest.raises(AlertError, match="wait_duration must be seconds"):
        run.alert("t", "x", wait_duration="soon")
    assert stored_alerts(run) == []


def test_alerts_are_posted_as_slack_compatible_json_to_the_webhook(store, webhook, monkeypatch):
    url, received = webhook
    monkeypatch.setenv("SPYGLASS_ALERT_WEBHOOK", url)
    run = sg.init(project="p", name="webhooked")
    run.alert("done", "accuracy 0.93", level=sg.AlertLevel.INFO)
    run.alert("done", "dropped by the rate limit")
    run.finish()  # waits for posts under way
    assert len(received) == 1
    body = received[0]["body"]
    assert received[0]["type"] == "application/json"
    assert body["text"].startswith("[INFO] done: accuracy 0.93") and "p/webhooked" in body["text"]
    [attachment] = body["attachments"]
    assert (attachment["title"], attachment["text"]) == ("done", "accuracy 0.93")


def test_a_failing_webhook_warns_and_never_raises_into_training(store):
    run = sg.init(project="p", settings=sg.Settings(alert_webhook="http://127.0.0.1:9/unreachable"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run.alert("t1", "first")
        run.alert("t2", "second")
        run.log({"loss": 1.0})
        run.finish()
    assert [str(w.message) for w in caught if w.category is AlertWebhookWarning][0].count(
        "could not be posted"
    )
    assert sum(w.category is AlertWebhookWarning for w in caught) == 1  # once per run
    assert [a["title"] for a in stored_alerts(run)] == ["t1", "t2"]
    assert sg.Api().run(f"p/{run.id}").state == "finished"


def test_the_workspace_listing_carries_each_runs_alerts(store):
    from spyglass.workspace_data.index import list_runs

    quiet = sg.init(project="p", name="quiet")
    quiet.finish()
    loud = sg.init(project="p", name="loud")
    loud.alert("loss high", "3.2", level="WARN")
    loud.alert("diverged", "NaN", level="ERROR")
    entries = {entry["name"]: entry for entry in list_runs(store, "p")["runs"]}
    assert "alerts" not in entries["quiet"]
    assert [(a["title"], a["level"]) for a in entries["loud"]["alerts"]] == [
        ("loss high", "WARN"),
        ("diverged", "ERROR"),
    ]
    loud.finish()


def test_a_webhook_that_is_not_an_http_url_is_refused_by_name(store, monkeypatch):
    with pytest.raises(ValueError, match="alert_webhook .* must be an http:// or https:// URL"):
        sg.Settings(alert_webhook="hooks.slack.com/services/x")
    monkeypatch.setenv("SPYGLASS_ALERT_WEBHOOK", "file:///etc/passwd")
    with pytest.raises(ValueError, match="SPYGLASS_ALERT_WEBHOOK"):
        sg.init(project="p")

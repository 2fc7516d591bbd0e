"""Provider shapes the tiny local model cannot produce, served from 127.0.0.1 by a small HTTP handler.

`transformers serve` speaks OpenAI's API only, and a model with random weights never calls a tool. So the
Anthropic Messages API (plain, tool use, and its server-sent events) and OpenAI's streamed tool-call deltas
are served here, as the providers' API references document them (ids, models and counts as in their
examples), to the official clients. Everything else runs against the real server (llm_server.py).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLAUDE = "claude-sonnet-4-5-20250929"
GPT = "gpt-4o-mini-2024-07-18"
MISSING_MODEL = "claude-missing"

ANTHROPIC_TEXT = {
    "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
    "type": "message",
    "role": "assistant",
    "model": CLAUDE,
    "content": [{"type": "text", "text": "Hi! My name is Claude."}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 2095, "output_tokens": 503, "cache_read_input_tokens": 1000},
}
ANTHROPIC_TOOL_USE = {
    "id": "msg_01Aq9w938a90dw8q",
    "type": "message",
    "role": "assistant",
    "model": CLAUDE,
    "content": [
        {"type": "text", "text": "I'll check the weather."},
        {
            "type": "tool_use",
            "id": "toolu_01A09q90qw90lq917835lq9",
            "name": "get_weather",
            "input": {"location": "San Francisco, CA"},
        },
    ],
    "stop_reason": "tool_use",
    "stop_sequence": None,
    "usage": {"input_tokens": 384, "output_tokens": 96},
}


def anthropic_events(tools: bool) -> Iterator[dict]:
    yield {
        "type": "message_start",
        "message": {
            **ANTHROPIC_TEXT,
            "content": [],
            "stop_reason": None,
            "usage": {"input_tokens": 472, "output_tokens": 2},
        },
    }
    yield {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
    yield {"type": "ping"}
    for text in ("Okay", ", let's", " check the weather."):
        yield {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}}
    yield {"type": "content_block_stop", "index": 0}
    if tools:
        yield {
            "type": "content_block_start",
            "index": 1,
            "content_block": {
                "type": "tool_use",
                "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
                "name": "get_weather",
                "input": {},
            },
        }
        for part in ("", '{"location":', ' "San Fra', 'ncisco, CA"}'):
            yield {
                "type": "content_block_delta",
                "index": 1,
                "delta": {"type": "input_json_delta", "partial_json": part},
            }
        yield {"type": "content_block_stop", "index": 1}
    reason = "tool_use" if tools else "end_turn"
    yield {
        "type": "message_delta",
        "delta": {"stop_reason": reason, "stop_sequence": None},
        "usage": {"output_tokens": 89},
    }
    yield {"type": "message_stop"}


def openai_tool_chunks(include_usage: bool) -> Iterator[dict]:
    def chunk(delta: dict, finish: str | None = None) -> dict:
        return {
            "id": "chatcmpl-9xJt6",
            "object": "chat.completion.chunk",
            "created": 1694268190,
            "model": GPT,
            "system_fingerprint": "fp_44709d6fcb",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }

    yield chunk(
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_DdmO9pD3xa9XTPNJ32zg2hcA",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": ""},
                }
            ],
        }
    )
    for part in ('{"', "location", '":"', "Paris", '"}'):
        yield chunk({"tool_calls": [{"index": 0, "function": {"arguments": part}}]})
    yield chunk({}, "tool_calls")
    if include_usage:
        usage = {"prompt_tokens": 82, "completion_tokens": 17, "total_tokens": 99}
        yield {**chunk({}), "choices": [], "usage": usage}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet: pytest shows failures, not every request
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])) or b"{}")
        tools = bool(body.get("tools"))
        if self.path.endswith("/messages"):
            if body.get("model") == MISSING_MODEL:  # Anthropic's error shape for an unknown model
                error = {"type": "not_found_error", "message": f"model: {MISSING_MODEL}"}
                self._json({"type": "error", "error": error}, 404)
            elif body.get("stream"):
                self._events((event["type"], event) for event in anthropic_events(tools))
            else:
                self._json(ANTHROPIC_TOOL_USE if tools else ANTHROPIC_TEXT)
        elif self.path.endswith("/chat/completions") and body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            self._events((None, chunk) for chunk in openai_tool_chunks(include_usage))
        else:
            self._json(
                {"error": {"type": "not_found_error", "message": f"no recorded shape for {self.path}"}}, 404
            )

    def _json(self, payload: dict, status: int = 200) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _events(self, events: Iterator[tuple[str | None, dict]]) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        for name, data in events:
            head = f"event: {name}\n" if name else ""
            self.wfile.write(f"{head}data: {json.dumps(data)}\n\n".encode())
            self.wfile.flush()
        if name is None:  # OpenAI ends its stream with a [DONE] line
            self.wfile.write(b"data: [DONE]\n\n")
        self.close_connection = True


class RecordedShapesServer:
    """The handler above on 127.0.0.1 (a free port) in a thread; `url` is its root."""

    def __init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

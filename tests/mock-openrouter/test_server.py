"""Tests of the mock OpenRouter server: the wire shapes and quirks routeguard's tests rely on.

Run from the repo root: python3 -m unittest discover -s tests/mock-openrouter -v
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import unittest
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server import DEFAULT_CATALOG, MockOpenRouter, approx_tokens  # noqa: E402

KEY = "Bearer sk-or-v1-test-secret"
SONNET = "anthropic/claude-sonnet-4"
HELLO = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hello there"}]


def catalog():
    with open(DEFAULT_CATALOG, encoding="utf-8") as f:
        return json.load(f)


class MockTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mock = MockOpenRouter()
        cls.base = cls.mock.start()
        cls.host, cls.port = cls.mock.httpd.server_address[:2]

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()

    def setUp(self):
        self.control("POST", "/_mock/reset")

    # ----- helpers -------------------------------------------------------------------------

    def raw(self, method, path, body=None, headers=None, timeout=10):
        """Returns (status, headers, body bytes); the body is read to the end."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        data = json.dumps(body).encode() if body is not None else None
        hdrs = {"Content-Type": "application/json"} if data is not None else {}
        hdrs.update(headers or {})
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        try:
            payload = resp.read()
        finally:
            conn.close()
        return resp.status, resp, payload

    def api(self, method, path, body=None, auth=KEY, headers=None):
        hdrs = dict(headers or {})
        if auth is not None:
            hdrs["Authorization"] = auth
        status, resp, payload = self.raw(method, "/api/v1" + path, body, hdrs)
        return status, resp, json.loads(payload)

    def chat(self, **body):
        body.setdefault("messages", HELLO)
        if "model" not in body and "models" not in body:
            body["model"] = SONNET
        return self.api("POST", "/chat/completions", body)

    def control(self, method, path, body=None):
        status, _, payload = self.raw(method, path, body)
        self.assertEqual(status, 200, payload)
        return json.loads(payload)

    def script(self, *entries):
        self.control("POST", "/_mock/script", list(entries))

    def stream(self, **body):
        body.setdefault("messages", HELLO)
        body.setdefault("model", SONNET)
        body["stream"] = True
        status, resp, payload = self.raw("POST", "/api/v1/chat/completions", body, {"Authorization": KEY})
        self.assertEqual(status, 200)
        self.assertTrue(resp.getheader("Content-Type").startswith("text/event-stream"))
        return resp, payload.decode()

    @staticmethod
    def events(text):
        """SSE lines in order: ('comment', text) / ('data', obj or '[DONE]')."""
        out = []
        for block in text.split("\n\n"):
            if not block:
                continue
            for line in block.split("\n"):
                if line.startswith(":"):
                    out.append(("comment", line))
                elif line.startswith("data: "):
                    v = line[len("data: "):]
                    out.append(("data", v if v == "[DONE]" else json.loads(v)))
        return out

    def expected_cost(self, model_id, tag, usage):
        ep = next(e for e in catalog()["endpoints"][model_id]["data"]["endpoints"] if e["tag"] == tag)
        p = ep["pricing"]
        return float(Decimal(p["prompt"]) * usage["prompt_tokens"] + Decimal(p["completion"]) * usage["completion_tokens"]
                     + Decimal(p.get("request", "0")))


class AuthAndRecording(MockTestCase):
    def test_missing_auth_is_401_envelope(self):
        status, _, body = self.api("POST", "/chat/completions", {"model": SONNET, "messages": HELLO}, auth=None)
        self.assertEqual(status, 401)
        self.assertEqual(body["error"]["code"], 401)
        self.assertIsInstance(body["error"]["message"], str)
        status, _, body = self.api("GET", "/models", auth="Bearer ")
        self.assertEqual(status, 401)
        self.assertIn("error", body)

    def test_requests_recorded_with_redacted_auth(self):
        self.chat(user="u-1")
        self.api("GET", "/providers", headers={"X-OpenRouter-Title": "demo"})
        reqs = self.control("GET", "/_mock/requests")
        self.assertEqual([r["path"] for r in reqs], ["/api/v1/chat/completions", "/api/v1/providers"])
        self.assertEqual(reqs[0]["method"], "POST")
        self.assertEqual(reqs[0]["headers"]["authorization"], "Bearer ***")
        self.assertEqual(reqs[0]["body"]["user"], "u-1")
        self.assertEqual(reqs[0]["body"]["messages"], HELLO)
        self.assertEqual(reqs[1]["headers"]["x-openrouter-title"], "demo")
        self.assertIsNone(reqs[1]["body"])
        self.assertNotIn("sk-or-v1-test-secret", json.dumps(reqs))


class DefaultChat(MockTestCase):
    def test_default_reply(self):
        status, resp, body = self.chat()
        self.assertEqual(status, 200)
        self.assertEqual(body["id"], "gen-1")
        self.assertEqual(resp.getheader("X-Generation-Id"), "gen-1")
        self.assertEqual(body["provider"], "Anthropic")  # display name, not the slug
        self.assertEqual(body["model"], SONNET)
        self.assertEqual(body["object"], "chat.completion")
        choice = body["choices"][0]
        self.assertEqual(choice["message"]["content"], "mock reply to 2 messages")
        self.assertEqual(choice["finish_reason"], "stop")
        self.assertEqual(choice["native_finish_reason"], "stop")
        u = body["usage"]
        self.assertEqual(u["prompt_tokens"], approx_tokens(HELLO))
        self.assertEqual(u["total_tokens"], u["prompt_tokens"] + u["completion_tokens"])
        self.assertAlmostEqual(u["cost"], self.expected_cost(SONNET, "anthropic", u), places=12)
        self.assertGreater(u["cost"], 0)

    def test_provider_only_and_slug_rules(self):
        _, _, body = self.chat(provider={"only": ["amazon-bedrock"]})
        self.assertEqual(body["provider"], "Amazon Bedrock")
        _, _, body = self.chat(provider={"only": ["google-vertex/us-east5"]})
        self.assertEqual(body["provider"], "Google")
        gen = self.api("GET", "/generation?id=" + body["id"])[2]["data"]
        self.assertEqual(gen["provider_responses"][-1]["endpoint_id"], "ep-google-vertex/us-east5")

    def test_ignore_display_name_is_silently_ignored(self):
        _, _, body = self.chat(provider={"ignore": ["Anthropic"]})
        self.assertEqual(body["provider"], "Anthropic")  # fail-open quirk (§1.3)
        _, _, body = self.chat(provider={"ignore": ["anthropic"]})
        self.assertEqual(body["provider"], "Amazon Bedrock")

    def test_order_and_data_policy_filters(self):
        _, _, body = self.chat(provider={"order": ["google-vertex"], "allow_fallbacks": False})
        self.assertEqual(body["provider"], "Google")
        _, _, body = self.chat(model="openai/gpt-4o", provider={"zdr": True})
        self.assertEqual(body["provider"], "Azure")

    def test_no_matching_endpoint_is_404_envelope(self):
        status, _, body = self.chat(provider={"only": ["nonexistent"]})
        self.assertEqual(status, 404)
        self.assertEqual(body["error"]["code"], 404)
        self.assertIn("No allowed providers", body["error"]["message"])
        status, _, body = self.chat(model="openai/gpt-4o", provider={"data_collection": "deny"})
        self.assertEqual(status, 404)
        self.assertEqual(body["error"]["message"], "No endpoints found matching your data policy (Paid model training)")
        self.assertEqual(body["error"]["availability"]["excluded_by"], ["data_policy:training"])
        status, _, body = self.chat(model="x-ai/grok-3", provider={"zdr": True})
        self.assertEqual(status, 404)
        self.assertEqual(body["error"]["availability"]["code"], "privacy_restricted")
        status, _, body = self.chat(model="nope/unknown")
        self.assertEqual(status, 400)

    def test_model_fallback_via_models(self):
        status, _, body = self.chat(model=None, models=["openai/gpt-4o", SONNET],
                                    provider={"data_collection": "deny"})
        self.assertEqual(status, 200)
        self.assertEqual(body["model"], SONNET)
        self.assertEqual(body["provider"], "Amazon Bedrock")
        status, _, body = self.chat(models=["nope/unknown", "openai/gpt-4o"])
        self.assertEqual(body["model"], "openai/gpt-4o")

    def test_catalogue_endpoints(self):
        cat = catalog()
        self.assertEqual(self.api("GET", "/models")[2]["data"], cat["models"]["data"])
        self.assertEqual(self.api("GET", "/providers")[2], cat["providers"])
        self.assertEqual(self.api("GET", "/endpoints/zdr")[2], cat["zdr"])
        status, _, body = self.api("GET", "/models/%s/endpoints" % SONNET)
        self.assertEqual(body, cat["endpoints"][SONNET])
        status, _, body = self.api("GET", "/models/meta-llama/llama-3.3-70b-instruct:free/endpoints")
        self.assertEqual(body["data"]["endpoints"][0]["tag"], "chutes")
        status, _, body = self.api("GET", "/models/nope/missing/endpoints")
        self.assertEqual(status, 404)
        self.assertIn("error", body)
        self.chat()
        key = self.api("GET", "/key")[2]["data"]
        self.assertGreater(key["usage"], 0)
        self.control("POST", "/_mock/key", {"limit": 1.0})
        key = self.api("GET", "/key")[2]["data"]
        self.assertAlmostEqual(key["limit_remaining"], 1.0 - key["usage"])


class Streaming(MockTestCase):
    def test_framing(self):
        resp, text = self.stream()
        self.assertEqual(resp.getheader("X-Generation-Id"), "gen-1")
        ev = self.events(text)
        self.assertEqual(ev[0], ("comment", ": OPENROUTER PROCESSING"))
        datas = [v for k, v in ev if k == "data"]
        self.assertEqual(datas[-1], "[DONE]")
        usage_chunk, finish_chunk = datas[-2], datas[-3]
        self.assertEqual(usage_chunk["choices"], [])
        self.assertIn("cost", usage_chunk["usage"])
        self.assertEqual(finish_chunk["choices"][0]["finish_reason"], "stop")
        self.assertNotIn("usage", finish_chunk)
        content = "".join(d["choices"][0]["delta"].get("content") or "" for d in datas[:-2])
        self.assertEqual(content, "mock reply to 2 messages")
        for d in datas[:-1]:
            self.assertEqual(d["provider"], "Anthropic")
            self.assertEqual(d["model"], SONNET)
            self.assertEqual(d["object"], "chat.completion.chunk")
        # keep-alive comments also appear between data chunks
        first_data = next(i for i, (k, _) in enumerate(ev) if k == "data")
        self.assertIn("comment", [k for k, _ in ev[first_data:]])

    def test_content_chunk_size_reasoning_and_no_usage(self):
        self.script({"content": "abcdefghij", "chunk_size": 3, "reasoning": "think", "no_usage": True})
        _, text = self.stream()
        datas = [v for k, v in self.events(text) if k == "data"]
        pieces = [d["choices"][0]["delta"].get("content") for d in datas[:-1] if d["choices"]]
        self.assertIn("abc", pieces)
        self.assertEqual("".join(p or "" for p in pieces), "abcdefghij")
        reasoning = "".join(d["choices"][0]["delta"].get("reasoning") or "" for d in datas[:-1])
        self.assertEqual(reasoning, "think")
        self.assertFalse(any("usage" in d for d in datas[:-1]))
        self.assertEqual(datas[-1], "[DONE]")

    def test_tool_calls_streamed(self):
        self.script({"tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]})
        _, text = self.stream()
        datas = [v for k, v in self.events(text) if k == "data"][:-1]
        deltas = [tc for d in datas if d["choices"] for tc in d["choices"][0]["delta"].get("tool_calls") or []]
        self.assertEqual(deltas[0]["function"]["name"], "get_weather")
        self.assertEqual(json.loads("".join(t["function"]["arguments"] for t in deltas)), {"city": "Paris"})
        finish = [d for d in datas if d["choices"] and d["choices"][0]["finish_reason"]]
        self.assertEqual(finish[0]["choices"][0]["finish_reason"], "tool_calls")

    def test_stream_error_after(self):
        self.script({"content": "0123456789", "chunk_size": 2, "stream_error_after": 2,
                     "error": {"code": 429, "message": "Rate limit exceeded"}})
        _, text = self.stream()
        datas = [v for k, v in self.events(text) if k == "data"]
        self.assertEqual(len(datas), 3)  # two content chunks, then the error chunk, no [DONE]
        err = datas[-1]
        self.assertEqual(err["error"]["code"], 429)
        self.assertEqual(err["choices"][0]["finish_reason"], "error")
        self.assertEqual(err["provider"], "Anthropic")

    def test_stream_cut_after(self):
        self.script({"content": "0123456789", "chunk_size": 2, "stream_cut_after": 1})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        conn.request("POST", "/api/v1/chat/completions",
                     body=json.dumps({"model": SONNET, "messages": HELLO, "stream": True}),
                     headers={"Authorization": KEY, "Content-Type": "application/json"})
        resp = conn.getresponse()
        with self.assertRaises(http.client.IncompleteRead) as cm:
            resp.read()
        conn.close()
        self.assertIn(b"01", cm.exception.partial)
        self.assertNotIn(b"[DONE]", cm.exception.partial)

    def test_delay_and_error_in_200_stream(self):
        self.script({"delay_ms": 300, "keepalives": 3})
        t0 = time.monotonic()
        _, text = self.stream()
        self.assertGreaterEqual(time.monotonic() - t0, 0.28)
        self.assertTrue(text.startswith(": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n"))
        self.script({"error_in_200": {"code": 502, "message": "flagged"}})
        _, text = self.stream()
        datas = [v for k, v in self.events(text) if k == "data"]
        self.assertEqual(datas[0]["error"]["message"], "flagged")


class Scripts(MockTestCase):
    def test_script_consumed_in_order_then_default(self):
        self.script({"content": "one"}, {"content": "two"})
        self.assertEqual(self.chat()[2]["choices"][0]["message"]["content"], "one")
        self.assertEqual(self.chat()[2]["choices"][0]["message"]["content"], "two")
        self.assertEqual(self.chat()[2]["choices"][0]["message"]["content"], "mock reply to 2 messages")

    def test_serve_forces_provider_and_model(self):
        self.script({"serve": {"provider": "google-vertex/europe-west1"}},
                    {"serve": {"provider": "anthropic", "model": "anthropic/claude-opus-4"}},
                    {"serve": {"provider": "openai"}})
        _, _, body = self.chat(provider={"only": ["anthropic"]})
        self.assertEqual(body["provider"], "Google")  # outside the allowed set, as a bad upstream could
        _, _, body = self.chat(model="openai/gpt-4o")
        self.assertEqual(body["model"], "anthropic/claude-opus-4")
        self.assertAlmostEqual(body["usage"]["cost"],
                               self.expected_cost("anthropic/claude-opus-4", "anthropic", body["usage"]), places=12)
        status, _, body = self.chat(provider={"only": ["nope"]})  # serve wins even over a 404
        self.assertEqual((status, body["provider"]), (200, "OpenAI"))

    def test_fallback_attempts_visible_in_metadata_and_generation(self):
        self.script({"serve": {"provider": "amazon-bedrock"},
                     "failed_attempts": [{"provider": "anthropic", "status": 429}]})
        _, _, body = self.api("POST", "/chat/completions", {"model": SONNET, "messages": HELLO},
                              headers={"X-OpenRouter-Metadata": "enabled"})
        self.assertEqual(body["provider"], "Amazon Bedrock")
        meta = body["openrouter_metadata"]
        self.assertEqual(meta["attempt"], 2)
        self.assertEqual(meta["attempts"][0], {"provider": "anthropic", "model": SONNET, "status": 429})
        gen = self.api("GET", "/generation?id=" + body["id"])[2]["data"]
        self.assertEqual([(r["provider_name"], r["status"]) for r in gen["provider_responses"]],
                         [("Anthropic", 429), ("Amazon Bedrock", 200)])
        self.assertNotIn("openrouter_metadata", self.chat()[2])

    def test_http_errors(self):
        self.script({"status": 429, "retry_after": 2},
                    {"status": 403},
                    {"status": 502},
                    {"status": 500},
                    {"status": 402, "message": "custom", "metadata": {"limit_source": "openrouter_key_limit"}})
        long_prompt = "my secret is 4111 1111 1111 1111 " + "x" * 200
        msgs = [{"role": "user", "content": long_prompt}]
        status, resp, body = self.chat(messages=msgs)
        self.assertEqual((status, body["error"]["code"]), (429, 429))
        self.assertEqual(resp.getheader("Retry-After"), "2")
        self.assertEqual(body["error"]["metadata"]["error_type"], "rate_limit_exceeded")
        status, _, body = self.chat(messages=msgs)
        md = body["error"]["metadata"]
        self.assertEqual(status, 403)
        self.assertEqual(md["reasons"], ["harassment"])
        self.assertEqual(len(md["flagged_input"]), 100)
        self.assertTrue(md["flagged_input"].startswith("my secret is 4111"))
        self.assertIn("...", md["flagged_input"])
        self.assertEqual(md["provider_name"], "Anthropic")
        status, _, body = self.chat(messages=msgs)
        self.assertEqual(status, 502)
        self.assertEqual(body["error"]["metadata"]["provider_name"], "Anthropic")
        self.assertIn("error", json.loads(body["error"]["metadata"]["raw"]))  # raw is a JSON string
        status, _, body = self.chat(messages=msgs)
        self.assertEqual(status, 500)
        self.assertNotIn("metadata", body["error"])
        status, _, body = self.chat(messages=msgs)
        self.assertEqual((status, body["error"]["message"]), (402, "custom"))
        # Errors before the first token are plain HTTP errors even when streaming (§3).
        self.script({"status": 503, "retry_after": 1})
        status, resp, payload = self.raw("POST", "/api/v1/chat/completions",
                                         {"model": SONNET, "messages": HELLO, "stream": True}, {"Authorization": KEY})
        self.assertEqual((status, resp.getheader("Content-Type")), (503, "application/json"))
        self.assertEqual(json.loads(payload)["error"]["code"], 503)
        self.assertEqual(body["error"]["metadata"], {"limit_source": "openrouter_key_limit"})

    def test_error_in_200_and_choice_error(self):
        self.script({"error_in_200": {"code": 429, "message": "Upstream rate limited"}},
                    {"choice_error": {"code": 502, "message": "provider died"}, "content": "partial"})
        status, _, body = self.chat()
        self.assertEqual(status, 200)
        self.assertNotIn("choices", body)
        self.assertEqual(body["error"]["code"], 429)
        status, _, body = self.chat()
        choice = body["choices"][0]
        self.assertEqual((status, choice["finish_reason"]), (200, "error"))
        self.assertEqual(choice["error"]["message"], "provider died")
        self.assertEqual(choice["message"]["content"], "partial")
        self.assertEqual(body["usage"]["cost"], 0)  # zero-completion insurance

    def test_delay_reasoning_tool_calls_no_usage(self):
        self.script({"delay_ms": 300, "reasoning": "because", "content": "x"},
                    {"tool_calls": [{"id": "call_9", "function": {"name": "f", "arguments": "{}"}}]},
                    {"no_usage": True})
        t0 = time.monotonic()
        _, _, body = self.chat()
        self.assertGreaterEqual(time.monotonic() - t0, 0.28)
        self.assertEqual(body["choices"][0]["message"]["reasoning"], "because")
        self.assertGreater(body["usage"]["completion_tokens_details"]["reasoning_tokens"], 0)
        _, _, body = self.chat()
        choice = body["choices"][0]
        self.assertEqual(choice["finish_reason"], "tool_calls")
        self.assertEqual(choice["message"]["tool_calls"][0]["id"], "call_9")
        self.assertIsNone(choice["message"]["content"])
        _, _, body = self.chat()
        self.assertNotIn("usage", body)

    def test_generation_lookup_with_delay(self):
        self.control("POST", "/_mock/generation-delay", {"lookups": 2})
        _, _, body = self.chat(user="end-user-7")
        gid = body["id"]
        for _ in range(2):
            status, _, err = self.api("GET", "/generation?id=" + gid)
            self.assertEqual(status, 404)
            self.assertEqual(err["error"]["code"], 404)
        status, _, gen = self.api("GET", "/generation?id=" + gid)
        self.assertEqual(status, 200)
        g = gen["data"]
        self.assertEqual((g["id"], g["model"], g["provider_name"]), (gid, SONNET, "Anthropic"))
        self.assertEqual(g["native_tokens_prompt"], body["usage"]["prompt_tokens"])
        self.assertEqual(g["native_tokens_completion"], body["usage"]["completion_tokens"])
        self.assertAlmostEqual(g["total_cost"], body["usage"]["cost"])
        self.assertEqual(g["external_user"], "end-user-7")
        self.assertEqual(self.api("GET", "/generation?id=gen-999")[0], 404)


class Process(unittest.TestCase):
    def test_cli_idle_exit(self):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "server.py")
        proc = subprocess.Popen([sys.executable, script, "--port", "0", "--idle-exit", "1"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stdout.readline().strip()
            self.assertRegex(line, r"^listening http://127\.0\.0\.1:\d+$")
            port = int(line.rsplit(":", 1)[1])
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/providers", headers={"Authorization": KEY})
            self.assertEqual(conn.getresponse().status, 200)
            conn.close()
            self.assertEqual(proc.wait(timeout=10), 0)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=5)
            proc.stdout.close()
            proc.stderr.close()

    def test_binds_loopback_only(self):
        mock = MockOpenRouter()
        mock.start()
        try:
            host, port = mock.httpd.server_address[:2]
            self.assertEqual(host, "127.0.0.1")
            other = self.non_loopback_address()
            if other is None:
                self.skipTest("no non-loopback address on this machine")
            with self.assertRaises(OSError):
                socket.create_connection((other, port), timeout=2).close()
        finally:
            mock.stop()

    @staticmethod
    def non_loopback_address():
        # Connecting a UDP socket sends nothing; it only selects the outgoing interface.
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect(("10.255.255.255", 1))
                addr = s.getsockname()[0]
        except OSError:
            return None
        return None if addr.startswith("127.") else addr


if __name__ == "__main__":
    unittest.main()

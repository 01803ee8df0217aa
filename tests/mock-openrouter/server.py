#!/usr/bin/env python3
"""Local stand-in for the OpenRouter HTTP API, used by routeguard's tests and demo.

This file owns the mock server: the catalogue endpoints served from a routeguard catalogue
snapshot, POST /api/v1/chat/completions (JSON and SSE), the generation and key records, the
request log, and the `/_mock/` control API that scripts per-test faults. It reproduces the wire
quirks described in /work/shared/reference/openrouter-api.md (section numbers cited as §N).

Standard library only. Binds to 127.0.0.1 and nothing else.

CLI:    python3 server.py [--port 0] [--catalog PATH] [--idle-exit SECONDS]
Python: from server import MockOpenRouter; m = MockOpenRouter(); base = m.start(); ...; m.stop()
"""

import argparse
import copy
import json
import os
import signal
import socket
import sys
import threading
import time
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CATALOG = os.path.normpath(os.path.join(HERE, "..", "..", "core", "data", "catalog", "snapshot.json"))

API = "/api/v1"
KEEPALIVE = b": OPENROUTER PROCESSING\n\n"
MAX_DELAY_S = 30.0
MAX_BODY = 32 * 1024 * 1024
MAX_SCRIPT = 10000
MAX_RECORDED = 10000
# Service-tier endpoints are not matched by their provider's base slug (§1.3 slug rules).
SERVICE_TIER_SUFFIXES = {"priority", "flex"}
# Variant suffixes that change routing but not the model (§1.1); `:free` is a model of its own
# in the catalogue, so it is looked up as-is first.
VARIANT_SUFFIXES = (":nitro", ":floor", ":exacto", ":extended", ":thinking", ":online", ":free")


def approx_tokens(data):
    """Token estimate the mock uses everywhere: UTF-8 bytes of compact JSON / 4, at least 1."""
    if not isinstance(data, str):
        data = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return max(1, len(data.encode("utf-8")) // 4)


def price(pricing, key):
    try:
        value = Decimal(str((pricing or {}).get(key, "0")))
    except InvalidOperation:
        return Decimal(0)
    # "-1" means "varies" (routers); nothing sensible can be charged for it.
    return value if value >= 0 else Decimal(0)


def elide(text, limit=100):
    # Moderation errors cap flagged_input at 100 chars with the middle elided (§4.3).
    if len(text) <= limit:
        return text
    head = (limit - 3) // 2
    return text[:head] + "..." + text[-(limit - 3 - head):]


def slug_matches(tag, slug):
    """A base slug covers every region/variant of its provider, but not service tiers (§1.3).

    Comparison is exact: display names or wrong case match nothing and are silently ignored,
    which is the fail-open `ignore` behaviour reported in §1.3 / §9.5.
    """
    if not isinstance(slug, str):
        return False
    if tag == slug:
        return True
    if tag.startswith(slug + "/"):
        return tag[len(slug) + 1:] not in SERVICE_TIER_SUFFIXES
    return False


class Catalog:
    """The snapshot's sections, indexed the way routing needs them."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
        self.raw = raw
        self.providers = raw.get("providers", {"data": []})
        self.models = raw.get("models", {"data": []})
        self.endpoints = raw.get("endpoints", {})
        self.zdr = raw.get("zdr", {"data": []})
        self.data_policies = raw.get("data_policies", {})
        self.provider_by_slug = {p["slug"]: p for p in self.providers.get("data", [])}
        self.model_by_id = {m["id"]: m for m in self.models.get("data", [])}
        self.zdr_keys = {(e.get("model_id"), e.get("tag")) for e in self.zdr.get("data", [])}

    def model_endpoints(self, model_id):
        body = self.endpoints.get(model_id)
        return list(body["data"].get("endpoints", [])) if body else []

    def display_name(self, slug):
        p = self.provider_by_slug.get(slug.split("/")[0])
        return p["name"] if p else slug

    def resolve_model(self, model_id):
        """Return the catalogue id for a requested id, stripping a variant suffix if needed."""
        if model_id in self.model_by_id or model_id in self.endpoints:
            return model_id
        for suffix in VARIANT_SUFFIXES:
            if model_id.endswith(suffix) and model_id[: -len(suffix)] in self.model_by_id:
                return model_id[: -len(suffix)]
        return None

    def no_data_collection(self, tag):
        # Same reading as routeguard's constraints: unknown counts as collecting (§6).
        policy = self.data_policies.get(tag.split("/")[0])
        return bool(policy) and policy.get("training") is False and policy.get("retains_prompts") is False


class NoRoute(Exception):
    def __init__(self, status, error):
        super().__init__(error.get("message"))
        self.status = status
        self.error = error


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.script = []
        self.requests = []
        self.generations = {}
        self.counter = 0
        self.generation_delay = 0
        self.key_overrides = {}
        self.spent = 0.0


class MockOpenRouter:
    """In-process handle: start() returns the base URL (…/api/v1), stop() shuts down."""

    def __init__(self, port=0, catalog=None):
        self.catalog = Catalog(catalog or DEFAULT_CATALOG)
        self.state = State()
        self.last_activity = time.monotonic()
        self.inflight = 0
        self.port = port
        self.httpd = None
        self._thread = None
        self._stopped = threading.Event()

    @property
    def root_url(self):
        host, port = self.httpd.server_address[:2]
        return "http://%s:%d" % (host, port)

    @property
    def base_url(self):
        return self.root_url + API

    def start(self):
        handler = type("BoundHandler", (Handler,), {"mock": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self):
        if self.httpd and not self._stopped.is_set():
            self._stopped.set()
            self.httpd.shutdown()
            self.httpd.server_close()
            self._thread.join(timeout=5)

    def touch(self, delta):
        with self.state.lock:
            self.inflight += delta
            self.last_activity = time.monotonic()

    def idle_for(self):
        with self.state.lock:
            return 0.0 if self.inflight else time.monotonic() - self.last_activity

    # ----- routing -------------------------------------------------------------------------

    def route(self, body):
        """Pick (model id, endpoint, candidates) or raise NoRoute with the error to return."""
        models = []
        if isinstance(body.get("model"), str):
            models.append(body["model"])
        for m in body.get("models") or []:
            if isinstance(m, str) and m not in models:
                models.append(m)
        if not models:
            raise NoRoute(400, {"code": 400, "message": "No models provided"})
        prefs = body.get("provider") if isinstance(body.get("provider"), dict) else {}
        last = None
        for requested in models:
            if requested == "openrouter/auto":
                # The auto router picks a concrete model; the mock takes the first catalogue
                # model that satisfies the preferences, so `model` differs from the request (§2).
                for candidate in list(self.catalog.model_by_id)[:200]:
                    if candidate == requested:
                        continue
                    try:
                        eps = self.filter_endpoints(candidate, candidate, prefs)
                        return candidate, eps[0], eps, requested
                    except NoRoute:
                        continue
                last = NoRoute(404, self.no_endpoint_error(requested, []))
                continue
            model_id = self.catalog.resolve_model(requested)
            if model_id is None:
                last = NoRoute(400, {"code": 400, "message": "%s is not a valid model ID" % requested,
                                     "availability": {"code": "model_not_found", "retryable": False,
                                                      "requested_models": [requested]}})
                continue
            try:
                eps = self.filter_endpoints(model_id, requested, prefs)
                return model_id, eps[0], eps, requested
            except NoRoute as e:
                last = e  # the last model's error is the one returned (§8)
        raise last

    def filter_endpoints(self, model_id, requested, prefs):
        eps = self.catalog.model_endpoints(model_id)
        excluded = []

        def keep(reason, pred):
            nonlocal eps
            kept = [e for e in eps if pred(e)]
            if len(kept) < len(eps):
                excluded.append(reason)
            eps = kept

        only = prefs.get("only")
        if isinstance(only, list):
            keep("allowed_providers", lambda e: any(slug_matches(e["tag"], s) for s in only))
        ignore = prefs.get("ignore")
        if isinstance(ignore, list):
            keep("allowed_providers", lambda e: not any(slug_matches(e["tag"], s) for s in ignore))
        if prefs.get("data_collection") == "deny":
            keep("data_policy:training", lambda e: self.catalog.no_data_collection(e["tag"]))
        if prefs.get("zdr") is True:
            keep("data_policy:zdr", lambda e: (e.get("model_id"), e["tag"]) in self.catalog.zdr_keys)
        quants = prefs.get("quantizations")
        if isinstance(quants, list):
            keep("quantization", lambda e: (e.get("quantization") or "unknown") in quants)
        max_price = prefs.get("max_price")
        if isinstance(max_price, dict):
            def under(e):
                for field in ("prompt", "completion"):
                    if max_price.get(field) is not None:
                        per_million = price(e.get("pricing"), field) * 1000000
                        if per_million > Decimal(str(max_price[field])):
                            return False
                return True
            keep("max_price", under)
        order = prefs.get("order")
        if isinstance(order, list) and order:
            def rank(e):
                for i, s in enumerate(order):
                    if slug_matches(e["tag"], s):
                        return i
                return len(order)
            eps.sort(key=rank)  # stable: catalogue order among equals
            if prefs.get("allow_fallbacks") is False:
                keep("allowed_providers", lambda e: rank(e) < len(order))
        sort = prefs.get("sort")
        by = sort.get("by") if isinstance(sort, dict) else sort
        if by == "price":
            eps.sort(key=lambda e: price(e.get("pricing"), "prompt") + price(e.get("pricing"), "completion"))
        if not eps:
            raise NoRoute(404, self.no_endpoint_error(requested, excluded))
        return eps

    @staticmethod
    def no_endpoint_error(requested, excluded):
        excluded = sorted(set(excluded))
        if "data_policy:training" in excluded:
            message, code = "No endpoints found matching your data policy (Paid model training)", "privacy_restricted"
        elif "data_policy:zdr" in excluded:
            message, code = "No endpoints found matching your data policy (Zero data retention)", "privacy_restricted"
        elif "allowed_providers" in excluded:
            message, code = ("No allowed providers are available for the selected model. "
                             "Check your provider preferences."), "constraint_filtered"
        elif excluded:
            message, code = "No endpoints found that match your routing constraints", "constraint_filtered"
        else:
            message, code = "No endpoints found for %s." % requested, "no_endpoints"
        return {"code": 404, "message": message, "error_type": "not_found", "http_status": 404,
                "availability": {"code": code, "retryable": False, "requested_models": [requested],
                                 "excluded_by": excluded,
                                 "docs_url": "https://openrouter.ai/docs/api_reference/errors-and-debugging"}}

    def forced_endpoint(self, serve, model_id):
        """A `serve` script entry: endpoint of the forced provider, even one routing would refuse."""
        slug = serve.get("provider")
        model_id = serve.get("model") or model_id or "mock/model"
        resolved = self.catalog.resolve_model(model_id) or model_id
        ep = None
        for e in self.catalog.model_endpoints(resolved):
            if slug is None or slug_matches(e["tag"], slug):
                ep = e
                break
        if ep is None:
            # Not in the catalogue: synthesize one so tests can force any provider/model.
            model = self.catalog.model_by_id.get(resolved, {})
            ep = {"tag": slug or "mock", "provider_name": self.catalog.display_name(slug or "mock"),
                  "model_id": model.get("canonical_slug", resolved),
                  "pricing": model.get("pricing", {"prompt": "0", "completion": "0"})}
        ep = dict(ep)
        if serve.get("provider_name"):
            ep["provider_name"] = serve["provider_name"]
        return resolved, ep

    # ----- bookkeeping ---------------------------------------------------------------------

    def next_id(self):
        with self.state.lock:
            self.state.counter += 1
            return "gen-%d" % self.state.counter

    def save_generation(self, record):
        with self.state.lock:
            self.state.generations[record["id"]] = {"data": record, "hidden": self.state.generation_delay}
            self.state.spent += record.get("total_cost") or 0.0

    def lookup_generation(self, gen_id):
        with self.state.lock:
            entry = self.state.generations.get(gen_id)
            if entry is None:
                return None
            if entry["hidden"] > 0:
                # Generation stats lag behind the completion (§5.5, §9.6).
                entry["hidden"] -= 1
                return None
            return entry["data"]

    def pop_script(self):
        with self.state.lock:
            return self.state.script.pop(0) if self.state.script else {}


def error_defaults(status, entry, provider_name, model_id, body):
    """Default message/metadata per status, shaped like the real envelopes (§4)."""
    if status == 403:
        text = last_user_text(body)
        # flagged_input echoes prompt text on purpose: it is the DLP gotcha of §4.3 / §9.11.
        return ("%s requires moderation on %s. Your input was flagged for \"%s\". No credits were charged."
                % (model_id, provider_name, "harassment"),
                {"reasons": ["harassment"], "flagged_input": elide(text),
                 "provider_name": provider_name, "model_slug": model_id})
    if status == 429:
        return "Rate limit exceeded", {"error_type": "rate_limit_exceeded", "provider_code": "rate_limited",
                                       "provider_name": provider_name}
    if status == 502:
        raw = json.dumps({"error": {"message": "Upstream model failed: %s" % elide(last_user_text(body), 60),
                                    "type": "server_error"}})
        return "Provider returned error", {"provider_name": provider_name, "raw": raw,
                                           "error_type": "provider_unavailable"}
    if status == 500:
        return "Internal Server Error", None  # masked, no metadata (§4.2)
    messages = {400: "Bad Request", 401: "User not found.",
                402: "Insufficient credits. Add more using https://openrouter.ai/settings/credits",
                404: "No endpoints found for %s." % model_id, 408: "Request timed out",
                413: "Payload too large", 422: "Unprocessable request",
                503: "No available provider meets the routing requirements",
                524: "Edge network timeout", 529: "Provider overloaded"}
    return messages.get(status, "Mock error %d" % status), None


def last_user_text(body):
    for msg in reversed(body.get("messages") or []):
        if isinstance(msg, dict) and msg.get("role") == "user":
            content = msg.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def build_error(entry, status, provider_name, model_id, body):
    if isinstance(entry.get("error"), dict):
        return copy.deepcopy(entry["error"])
    message, metadata = error_defaults(status, entry, provider_name, model_id, body)
    error = {"code": entry.get("code", status), "message": entry.get("message", message)}
    metadata = entry.get("metadata", metadata)
    if metadata is not None:
        error["metadata"] = metadata
    return error


class Handler(BaseHTTPRequestHandler):
    mock = None  # bound per server in MockOpenRouter.start
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes; with Nagle on, the second waits for the
    # client's delayed ACK (40 ms on Linux), which would swamp every latency measured here.
    disable_nagle_algorithm = True
    server_version = "mock-openrouter/1"
    timeout = 60  # an idle keep-alive connection must not pin a thread forever

    def log_message(self, fmt, *args):
        if os.environ.get("MOCK_OPENROUTER_LOG"):
            sys.stderr.write("mock-openrouter: " + fmt % args + "\n")

    # ----- plumbing ------------------------------------------------------------------------

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            for _ in range(100000):  # bounded: a client cannot keep us reading forever
                size = int(self.rfile.readline().strip().split(b";")[0] or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                data += self.rfile.read(size)
                self.rfile.readline()
                if len(data) > MAX_BODY:
                    break
            return data
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, MAX_BODY)) if length > 0 else b""

    def send_json(self, status, obj, headers=None):
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        self.wfile.write(data)

    def send_error_envelope(self, status, error, headers=None, extra=None):
        body = {"error": error}
        body.update(extra or {})
        self.send_json(status, body, headers)

    def dispatch(self, method):
        mock = self.mock
        mock.touch(+1)
        try:
            url = urlsplit(self.path)
            path = unquote(url.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            raw = self.read_body()
            try:
                body = json.loads(raw) if raw else None
                parse_error = None
            except ValueError as e:
                body, parse_error = None, str(e)
            if path.startswith("/_mock/"):
                return self.control(method, path, body)
            self.record(method, body, raw, parse_error)
            if not path.startswith(API + "/") and path != API:
                return self.send_error_envelope(404, {"code": 404, "message": "Not Found"})
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("Bearer ") or not auth[len("Bearer "):].strip():
                return self.send_error_envelope(401, {"code": 401, "message": "No auth credentials found"})
            self.api(method, path[len(API):], query, body, parse_error)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            mock.touch(-1)

    def record(self, method, body, raw, parse_error):
        headers = {}
        for k, v in self.headers.items():
            k = k.lower()
            if k == "authorization":
                v = "Bearer ***" if v.startswith("Bearer ") else "***"
            headers[k] = v
        entry = {"method": method, "path": self.path, "headers": headers, "body": body, "time": time.time()}
        if parse_error is not None:
            entry["raw_body"] = raw.decode("utf-8", "replace")
        with self.mock.state.lock:
            if len(self.mock.state.requests) < MAX_RECORDED:
                self.mock.state.requests.append(entry)

    # ----- control API ---------------------------------------------------------------------

    def control(self, method, path, body):
        state = self.mock.state
        if path == "/_mock/script" and method == "POST":
            entries = body if isinstance(body, list) else [body] if isinstance(body, dict) else None
            if entries is None or not all(isinstance(e, dict) for e in entries):
                return self.send_json(400, {"error": "script must be a JSON list of objects"})
            with state.lock:
                state.script = copy.deepcopy(entries[:MAX_SCRIPT])
            return self.send_json(200, {"queued": len(entries[:MAX_SCRIPT])})
        if path == "/_mock/script" and method == "GET":
            with state.lock:
                return self.send_json(200, list(state.script))
        if path == "/_mock/reset" and method == "POST":
            with state.lock:
                state.reset()
            return self.send_json(200, {"ok": True})
        if path == "/_mock/requests" and method == "GET":
            with state.lock:
                return self.send_json(200, list(state.requests))
        if path == "/_mock/generations" and method == "GET":
            with state.lock:
                return self.send_json(200, {k: v["data"] for k, v in state.generations.items()})
        if path == "/_mock/generation-delay" and method == "POST":
            lookups = (body or {}).get("lookups") if isinstance(body, dict) else body
            if not isinstance(lookups, int) or lookups < 0:
                return self.send_json(400, {"error": "expected {\"lookups\": N} with N >= 0"})
            with state.lock:
                state.generation_delay = min(lookups, 1000)
            return self.send_json(200, {"lookups": state.generation_delay})
        if path == "/_mock/key" and method == "POST":
            if not isinstance(body, dict):
                return self.send_json(400, {"error": "expected a JSON object"})
            with state.lock:
                state.key_overrides.update(body)
            return self.send_json(200, {"ok": True})
        if path == "/_mock/health" and method == "GET":
            return self.send_json(200, {"ok": True})
        return self.send_json(404, {"error": "unknown control endpoint %s %s" % (method, path)})

    # ----- API -----------------------------------------------------------------------------

    def api(self, method, path, query, body, parse_error):
        cat = self.mock.catalog
        if method == "POST" and path == "/chat/completions":
            if parse_error is not None or not isinstance(body, dict):
                return self.send_error_envelope(400, {"code": 400, "message": "Invalid JSON body"})
            return self.chat(body)
        if method != "GET":
            return self.send_error_envelope(405, {"code": 405, "message": "Method not allowed"})
        if path in ("/models", "/models/user"):
            data = cat.models.get("data", [])
            if query.get("zdr") == "true":
                ids = {m for (m, _) in cat.zdr_keys}
                data = [m for m in data if m.get("canonical_slug", m["id"]) in ids or m["id"] in ids]
            return self.send_json(200, {"data": data})
        if path == "/models/count":
            return self.send_json(200, {"data": {"count": len(cat.models.get("data", []))}})
        if path.startswith("/models/") and path.endswith("/endpoints"):
            model_id = path[len("/models/"):-len("/endpoints")]
            if model_id in cat.endpoints:
                return self.send_json(200, cat.endpoints[model_id])
            model = cat.model_by_id.get(model_id)
            if model:  # routers have no endpoints of their own
                keys = ("id", "name", "created", "description", "architecture")
                return self.send_json(200, {"data": dict({k: model.get(k) for k in keys}, endpoints=[])})
            return self.send_error_envelope(404, {"code": 404, "message": "Model %s not found" % model_id})
        if path.startswith("/model/"):
            model = cat.model_by_id.get(path[len("/model/"):])
            if model:
                return self.send_json(200, {"data": model})
            return self.send_error_envelope(404, {"code": 404, "message": "Model not found"})
        if path == "/providers":
            return self.send_json(200, cat.providers)
        if path == "/endpoints/zdr":
            return self.send_json(200, cat.zdr)
        if path == "/generation":
            gen_id = query.get("id")
            if not gen_id:
                return self.send_error_envelope(400, {"code": 400, "message": "Missing id"})
            record = self.mock.lookup_generation(gen_id)
            if record is None:
                return self.send_error_envelope(404, {"code": 404, "message": "Generation not found"})
            return self.send_json(200, {"data": record})
        if path in ("/key", "/auth/key"):
            return self.send_json(200, {"data": self.key_record()})
        return self.send_error_envelope(404, {"code": 404, "message": "Not Found"})

    def key_record(self):
        state = self.mock.state
        with state.lock:
            spent = state.spent
            overrides = dict(state.key_overrides)
        record = {"label": "sk-or-v1-moc...key", "creator_user_id": None, "expires_at": None,
                  "limit": None, "limit_remaining": None, "limit_reset": None, "include_byok_in_limit": False,
                  "usage": spent, "usage_daily": spent, "usage_weekly": spent, "usage_monthly": spent,
                  "byok_usage": 0, "byok_usage_daily": 0, "byok_usage_weekly": 0, "byok_usage_monthly": 0,
                  "is_free_tier": False, "is_management_key": False, "is_provisioning_key": False,
                  "rate_limit": {"requests": -1, "interval": "10s", "note": "This field is deprecated and safe to ignore."}}
        record.update(overrides)
        if record.get("limit") is not None and "limit_remaining" not in overrides:
            record["limit_remaining"] = max(0.0, float(record["limit"]) - spent)
        return record

    def metadata_opt_in(self):
        for name in ("X-OpenRouter-Metadata", "X-OpenRouter-Experimental-Metadata"):
            if (self.headers.get(name) or "").strip().lower() == "enabled":
                return True
        return False

    # ----- chat ----------------------------------------------------------------------------

    def chat(self, body):
        mock = self.mock
        entry = mock.pop_script()
        delay = entry.get("delay_ms")
        stream = body.get("stream") is True
        opt_in = self.metadata_opt_in()
        if isinstance(delay, (int, float)) and delay > 0 and not stream:
            time.sleep(min(delay / 1000.0, MAX_DELAY_S))

        requested_model = body.get("model") if isinstance(body.get("model"), str) else None
        if requested_model is None and body.get("models"):
            requested_model = body["models"][0]
        serve = entry.get("serve") if isinstance(entry.get("serve"), dict) else None
        try:
            model_id, endpoint, candidates, requested = mock.route(body)
        except NoRoute as e:
            if serve is None:
                extra = {"openrouter_metadata": self.router_metadata(body, None, None, [], [], 0)} if opt_in else None
                return self.send_error_envelope(e.status, e.error, extra=extra)
            model_id, endpoint, candidates, requested = requested_model, None, [], requested_model
        if serve is not None:
            model_id, endpoint = mock.forced_endpoint(serve, model_id)
        provider_name = endpoint["provider_name"]

        status = entry.get("status")
        if isinstance(status, int) and status >= 400:
            headers = {}
            if entry.get("retry_after") is not None:
                headers["Retry-After"] = entry["retry_after"]
            if entry.get("rate_limit_headers"):
                # Only OpenRouter's own platform-limit 429s carry these (§0).
                headers.update({"X-RateLimit-Limit": 20, "X-RateLimit-Remaining": 0,
                                "X-RateLimit-Reset": int(time.time() * 1000) + 60000})
            error = build_error(entry, status, provider_name, model_id, body)
            extra = {}
            if "user_id" in entry:
                extra["user_id"] = entry["user_id"]
            if opt_in and status != 500:  # never on 500s (§8)
                extra["openrouter_metadata"] = self.router_metadata(body, model_id, endpoint, candidates, [], 0)
            return self.send_error_envelope(status, error, headers, extra)

        gen_id = mock.next_id()
        created = int(time.time())
        if isinstance(entry.get("error_in_200"), dict):
            # A 200 with no `choices`, only an error object (§4.4, §9.1).
            error = dict({"code": 502, "message": "Provider returned error"}, **entry["error_in_200"])
            if stream:
                return self.stream_error_only(gen_id, created, model_id, provider_name, error)
            return self.send_json(200, {"error": error, "user_id": entry.get("user_id", "user_mock")},
                                  {"X-Generation-Id": gen_id})

        reply = self.compose(entry, body)
        attempts = [a for a in (entry.get("failed_attempts") or []) if isinstance(a, dict)]
        meta = self.router_metadata(body, model_id, endpoint, candidates, attempts, len(attempts) + 1) if opt_in else None
        ctx = {"id": gen_id, "created": created, "model": model_id, "provider_name": provider_name,
               "endpoint": endpoint, "body": body, "entry": entry, "reply": reply, "meta": meta,
               "attempts": attempts, "requested": requested}
        if stream:
            return self.stream(ctx)
        return self.respond(ctx)

    def compose(self, entry, body):
        n = len(body.get("messages") or [])
        content = entry.get("content")
        tool_calls = entry.get("tool_calls")
        if content is None and not tool_calls:
            content = "mock reply to %d message%s" % (n, "" if n == 1 else "s")
        reasoning = entry.get("reasoning")
        if isinstance(tool_calls, list):
            tool_calls = [dict({"id": "call_%d" % i, "type": "function"}, **copy.deepcopy(tc))
                          for i, tc in enumerate(tool_calls)]
            for tc in tool_calls:
                fn = tc.setdefault("function", {})
                if not isinstance(fn.get("arguments", ""), str):
                    fn["arguments"] = json.dumps(fn["arguments"])  # arguments travel as a JSON string
                fn.setdefault("arguments", "{}")
        else:
            tool_calls = None
        finish = entry.get("finish_reason") or ("tool_calls" if tool_calls else "stop")
        native = entry.get("native_finish_reason") or {"stop": "stop", "tool_calls": "tool_calls",
                                                       "length": "length"}.get(finish, finish)
        prompt_tokens = entry.get("prompt_tokens") or approx_tokens(body.get("messages") or [])
        reasoning_tokens = approx_tokens(reasoning) if reasoning else 0
        out = (content or "") + "".join(tc["function"].get("name", "") + tc["function"]["arguments"]
                                       for tc in tool_calls or [])
        completion_tokens = entry.get("completion_tokens") or (approx_tokens(out) + reasoning_tokens)
        return {"content": content, "reasoning": reasoning, "tool_calls": tool_calls, "finish": finish,
                "native": native, "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                "reasoning_tokens": reasoning_tokens}

    def usage(self, ctx, charged=True):
        reply, pricing = ctx["reply"], ctx["endpoint"].get("pricing") or {}
        pt, ct = reply["prompt_tokens"], reply["completion_tokens"]
        prompt_cost = price(pricing, "prompt") * pt
        completion_cost = price(pricing, "completion") * ct
        cost = prompt_cost + completion_cost + price(pricing, "request")
        if not charged:
            # Zero-completion insurance: no token charge on finish_reason "error" (§2).
            cost = prompt_cost = completion_cost = Decimal(0)
        if "cost" in ctx["entry"]:
            cost = Decimal(str(ctx["entry"]["cost"]))
        return {"prompt_tokens": pt, "completion_tokens": ct, "total_tokens": pt + ct,
                "prompt_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0, "audio_tokens": 0,
                                          "video_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": reply["reasoning_tokens"], "audio_tokens": 0,
                                              "image_tokens": 0},
                "cost": float(cost), "is_byok": False,
                "cost_details": {"upstream_inference_cost": None,
                                 "upstream_inference_prompt_cost": float(prompt_cost),
                                 "upstream_inference_completions_cost": float(completion_cost)},
                "server_tool_use_details": {"tool_calls_requested": 0, "tool_calls_executed": 0}}

    def router_metadata(self, body, model_id, endpoint, candidates, attempts, attempt):
        requested = body.get("model") or (body.get("models") or [None])[0]
        available = [{"provider": e["tag"], "model": model_id, "selected": e is endpoint or
                      (endpoint is not None and e["tag"] == endpoint["tag"])} for e in candidates]
        meta = {"requested": requested, "strategy": "fallback" if body.get("models") else "direct",
                "region": "mock", "summary": "mock routing", "attempt": attempt, "is_byok": False,
                "endpoints": {"total": len(candidates), "available": available}}
        if attempts:
            meta["attempts"] = [{"provider": a.get("provider"), "model": a.get("model", model_id),
                                 "status": a.get("status", 502)} for a in attempts] + (
                [{"provider": endpoint["tag"], "model": model_id, "status": 200}] if endpoint else [])
        return meta

    def record_generation(self, ctx, finish, native, streamed, cancelled=False, charged=True):
        usage = self.usage(ctx, charged)
        ep, body, reply = ctx["endpoint"], ctx["body"], ctx["reply"]
        responses = [{"provider_name": self.mock.catalog.display_name(a.get("provider") or "unknown"),
                      "status": a.get("status", 502), "latency": 10, "endpoint_id": "ep-%s" % a.get("provider"),
                      "model_permaslug": ep.get("model_id", ctx["model"]), "id": None, "is_byok": False,
                      "routed_service_tier": None} for a in ctx["attempts"]]
        responses.append({"provider_name": ep["provider_name"], "status": 200, "latency": 20,
                          "endpoint_id": "ep-%s" % ep["tag"], "model_permaslug": ep.get("model_id", ctx["model"]),
                          "id": "upstream-" + ctx["id"], "is_byok": False, "routed_service_tier": None})
        self.mock.save_generation({
            "id": ctx["id"], "request_id": "req-" + ctx["id"], "upstream_id": "upstream-" + ctx["id"],
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ctx["created"])),
            "model": ctx["model"], "provider_name": ep["provider_name"],
            "router": ctx["requested"] if ctx["requested"] == "openrouter/auto" else None,
            "preset_id": None, "api_type": "completions", "streamed": streamed, "cancelled": cancelled,
            "finish_reason": finish, "native_finish_reason": native,
            "tokens_prompt": reply["prompt_tokens"], "tokens_completion": reply["completion_tokens"],
            "native_tokens_prompt": reply["prompt_tokens"], "native_tokens_completion": reply["completion_tokens"],
            "native_tokens_reasoning": reply["reasoning_tokens"], "native_tokens_cached": 0,
            "native_tokens_completion_images": 0, "num_media_prompt": 0, "num_media_completion": 0,
            "num_input_audio_prompt": 0, "num_search_results": 0, "num_fetches": 0, "web_search_engine": None,
            "total_cost": usage["cost"], "usage": usage["cost"], "cache_discount": None,
            "upstream_inference_cost": None, "is_byok": False,
            "latency": 20, "generation_time": 15, "moderation_latency": None,
            "app_id": None, "origin": self.headers.get("HTTP-Referer", ""),
            "http_referer": self.headers.get("HTTP-Referer"), "user_agent": self.headers.get("User-Agent"),
            "external_user": body.get("user"), "session_id": body.get("session_id") or self.headers.get("x-session-id"),
            "workspace_id": None, "data_region": ctx["entry"].get("data_region", "global"),
            "service_tier": body.get("service_tier"), "response_cache_source_id": None,
            "provider_responses": responses,
        })

    def respond(self, ctx):
        reply, entry = ctx["reply"], ctx["entry"]
        message = {"role": "assistant", "content": reply["content"], "refusal": None,
                   "reasoning": reply["reasoning"]}
        if reply["tool_calls"]:
            message["tool_calls"] = reply["tool_calls"]
        choice = {"index": 0, "finish_reason": reply["finish"], "native_finish_reason": reply["native"],
                  "logprobs": None, "message": message}
        charged = True
        if isinstance(entry.get("choice_error"), dict):
            # Provider failed after partial output: the error sits inside the choice (§2, §4.4).
            choice["error"] = dict({"code": 502, "message": "Provider returned error"}, **entry["choice_error"])
            choice["finish_reason"] = "error"
            choice["native_finish_reason"] = entry.get("native_finish_reason")
            charged = False
        result = {"id": ctx["id"], "provider": ctx["provider_name"], "model": ctx["model"],
                  "object": "chat.completion", "created": ctx["created"], "system_fingerprint": None,
                  "service_tier": "default", "choices": [choice]}
        if not entry.get("no_usage"):
            result["usage"] = self.usage(ctx, charged)
        if ctx["meta"] is not None:
            result["openrouter_metadata"] = ctx["meta"]
        self.record_generation(ctx, choice["finish_reason"], choice["native_finish_reason"], False, charged=charged)
        self.send_json(200, result, {"X-Generation-Id": ctx["id"]})

    # ----- SSE -----------------------------------------------------------------------------

    def start_sse(self, gen_id):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Generation-Id", gen_id)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def write_chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def write_event(self, obj):
        self.write_chunk(b"data: " + json.dumps(obj).encode("utf-8") + b"\n\n")

    def end_chunked(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def stream_error_only(self, gen_id, created, model_id, provider_name, error):
        self.start_sse(gen_id)
        self.write_chunk(KEEPALIVE)
        self.write_event({"id": gen_id, "object": "chat.completion.chunk", "created": created, "model": model_id,
                          "provider": provider_name, "error": error, "choices": []})
        self.end_chunked()

    def stream(self, ctx):
        entry, reply = ctx["entry"], ctx["reply"]
        base = {"id": ctx["id"], "provider": ctx["provider_name"], "model": ctx["model"],
                "object": "chat.completion.chunk", "created": ctx["created"], "system_fingerprint": None}

        def chunk(delta, finish=None, native=None):
            return dict(base, choices=[{"index": 0, "delta": delta, "finish_reason": finish,
                                        "native_finish_reason": native, "logprobs": None}])

        size = entry.get("chunk_size")
        size = size if isinstance(size, int) and size > 0 else 8
        events = []
        if reply["reasoning"]:
            text = reply["reasoning"]
            events += [chunk({"role": "assistant", "content": "", "reasoning": text[i:i + size]})
                       for i in range(0, len(text), size)]
        if reply["content"]:
            text = reply["content"]
            events += [chunk({"role": "assistant", "content": text[i:i + size]}) for i in range(0, len(text), size)]
        for i, tc in enumerate(reply["tool_calls"] or []):
            # First piece carries id and name, later pieces only argument fragments, as upstream does.
            args = tc["function"]["arguments"]
            events.append(chunk({"role": "assistant", "content": None, "tool_calls": [
                {"index": i, "id": tc["id"], "type": "function",
                 "function": {"name": tc["function"].get("name"), "arguments": ""}}]}))
            events += [chunk({"role": "assistant", "content": None, "tool_calls": [
                {"index": i, "function": {"arguments": args[j:j + size]}}]}) for j in range(0, len(args), size)]
        if not events:
            events.append(chunk({"role": "assistant", "content": ""}))

        error_after = entry.get("stream_error_after")
        cut_after = entry.get("stream_cut_after")
        keepalives = entry.get("keepalives")
        keepalives = min(keepalives, 100) if isinstance(keepalives, int) and keepalives >= 0 else 2
        delay = entry.get("delay_ms")
        delay = min(delay / 1000.0, MAX_DELAY_S) if isinstance(delay, (int, float)) and delay > 0 else 0

        self.start_sse(ctx["id"])
        # Comments before the first token (queued / waiting), spread over the delay (§3).
        for i in range(keepalives):
            self.write_chunk(KEEPALIVE)
            if delay and i < keepalives - 1:
                time.sleep(delay / max(1, keepalives - 1))
        if delay and keepalives <= 1:
            time.sleep(delay)

        for i, event in enumerate(events):
            if isinstance(cut_after, int) and i >= cut_after:
                return self.cut(ctx)
            if isinstance(error_after, int) and i >= error_after:
                return self.stream_error(ctx, base)
            if i and i % 2 == 0:
                self.write_chunk(KEEPALIVE)  # comments can also arrive between chunks
            self.write_event(event)
        # K at or beyond the number of content chunks: fault after all content, before finish.
        if isinstance(cut_after, int) and cut_after >= len(events):
            return self.cut(ctx)
        if isinstance(error_after, int) and error_after >= len(events):
            return self.stream_error(ctx, base)

        self.write_event(chunk({"role": "assistant", "content": ""}, reply["finish"], reply["native"]))
        self.write_chunk(KEEPALIVE)
        # Usage comes after the finish chunk, in its own chunk with empty choices (§3, §9.3).
        if not entry.get("no_usage"):
            final = dict(base, choices=[], usage=self.usage(ctx))
            if ctx["meta"] is not None:
                final["openrouter_metadata"] = ctx["meta"]
            self.write_event(final)
        self.write_chunk(b"data: [DONE]\n\n")
        self.end_chunked()
        self.record_generation(ctx, reply["finish"], reply["native"], True)

    def stream_error(self, ctx, base):
        # Mid-stream errors arrive in band with status 200 already sent; no failover (§3).
        error = dict({"code": 502, "message": "Provider returned error",
                      "metadata": {"error_type": "provider_unavailable", "provider_name": ctx["provider_name"]}},
                     **(ctx["entry"].get("error") or {}))
        self.write_event(dict(base, error=error, choices=[{"index": 0, "delta": {"content": ""},
                                                           "finish_reason": "error", "native_finish_reason": None,
                                                           "logprobs": None}]))
        if ctx["entry"].get("done_after_error"):
            self.write_chunk(b"data: [DONE]\n\n")
        self.end_chunked()
        self.record_generation(ctx, "error", None, True, charged=False)

    def cut(self, ctx):
        # Drop the connection without the terminating chunk, so the client sees a truncated body.
        self.wfile.flush()
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.record_generation(ctx, None, None, True, cancelled=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Local OpenRouter stand-in (127.0.0.1 only).")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--catalog", default=DEFAULT_CATALOG, help="catalogue snapshot JSON")
    parser.add_argument("--idle-exit", type=float, default=600.0,
                        help="exit after this many seconds without requests (0 = never)")
    args = parser.parse_args(argv)

    mock = MockOpenRouter(port=args.port, catalog=args.catalog)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    mock.start()
    print("listening %s" % mock.root_url, flush=True)
    # The main thread only watches; serving runs in a thread so shutdown() cannot deadlock.
    while not stop.wait(0.2):
        if args.idle_exit > 0 and mock.idle_for() > args.idle_exit:
            break
    mock.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

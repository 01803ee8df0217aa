//! Benign text that looks like personal data to a careless detector: timestamps, log lines,
//! order and invoice numbers, UUIDs, hashes, base64, code, versions, prices, counters, metrics.
//!
//! Nothing here is personal data or a credential: any finding in it is a false positive.

use rand::Rng;

use crate::values::{self as v, chars, pick, Rng8};

const HEX: &[u8] = b"0123456789abcdef";

pub fn uuid(r: &mut Rng8) -> String {
    let h = chars(r, HEX, 32);
    format!(
        "{}-{}-4{}-{}{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        pick(r, &["8", "9", "a", "b"]),
        &h[17..20],
        &h[20..32]
    )
}

pub fn git_sha(r: &mut Rng8) -> String {
    chars(r, HEX, 40)
}

pub fn short_sha(r: &mut Rng8) -> String {
    let n = r.gen_range(7..13);
    chars(r, HEX, n)
}

pub fn sha256(r: &mut Rng8) -> String {
    chars(r, HEX, 64)
}

pub fn base64_blob(r: &mut Rng8) -> String {
    let n = r.gen_range(24..240);
    v::b64(&v::random_bytes(r, n), v::B64STD, true)
}

pub fn iso_ts(r: &mut Rng8) -> String {
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        r.gen_range(2019..2027),
        r.gen_range(1..13),
        r.gen_range(1..29),
        r.gen_range(0..24),
        r.gen_range(0..60),
        r.gen_range(0..60),
        r.gen_range(0..1000)
    )
}

pub fn plain_ts(r: &mut Rng8) -> String {
    let (y, m, d) = (
        r.gen_range(2019..2027),
        r.gen_range(1..13),
        r.gen_range(1..29),
    );
    let (hh, mm, ss) = (r.gen_range(0..24), r.gen_range(0..60), r.gen_range(0..60));
    match r.gen_range(0..5) {
        0 => format!("{y}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}"),
        1 => format!("{d:02}.{m:02}.{y} {hh:02}:{mm:02}"),
        2 => format!("{m:02}/{d:02}/{y} {hh:02}:{mm:02}"),
        3 => format!(
            "{} {d:2} {hh:02}:{mm:02}:{ss:02}",
            &crate::locales::months_en(m)[..3]
        ),
        _ => format!("{y}{m:02}{d:02}T{hh:02}{mm:02}{ss:02}Z"),
    }
}

pub fn order_number(r: &mut Rng8) -> String {
    match r.gen_range(0..9) {
        0 => format!(
            "ORD-{}-{:06}",
            r.gen_range(2019..2027),
            r.gen_range(0..1_000_000)
        ),
        1 => format!("#{}", r.gen_range(100_000..999_999)),
        2 => format!("PO-{}", r.gen_range(10_000..99_999)),
        3 => format!(
            "INV-{}-{:05}",
            r.gen_range(2019..2027),
            r.gen_range(0..100_000)
        ),
        4 => format!("{}", r.gen_range(1_000_000_000u64..9_999_999_999)),
        5 => format!(
            "{}-{}",
            chars(r, b"ABCDEFGHJKLMNPQRSTUVWXYZ", 3),
            r.gen_range(1000..99999)
        ),
        6 => format!("{}{:04}", r.gen_range(2019..2027), r.gen_range(0..10000)),
        7 => format!("{}", r.gen_range(100_000_000_000u64..999_999_999_999)),
        _ => format!(
            "{:03}-{:07}-{:07}",
            r.gen_range(100..999),
            r.gen_range(0..10_000_000),
            r.gen_range(0..10_000_000)
        ),
    }
}

pub fn tracking_number(r: &mut Rng8) -> String {
    match r.gen_range(0..4) {
        0 => format!(
            "1Z{}{}",
            chars(r, b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ", 6),
            v::to_str(&v::digit_vec(r, 10))
        ),
        1 => format!("JJD{}", v::to_str(&v::digit_vec(r, 15))),
        2 => v::to_str(&v::digit_vec(r, 12)),
        _ => format!("{}DE", v::to_str(&v::digit_vec(r, 11))),
    }
}

pub fn version(r: &mut Rng8) -> String {
    match r.gen_range(0..6) {
        0 => format!(
            "v{}.{}.{}",
            r.gen_range(0..5),
            r.gen_range(0..30),
            r.gen_range(0..20)
        ),
        1 => format!(
            "{}.{}.{}-rc.{}",
            r.gen_range(0..5),
            r.gen_range(0..30),
            r.gen_range(0..20),
            r.gen_range(1..5)
        ),
        2 => format!(
            "10.0.{}.{}",
            r.gen_range(19041..22631),
            r.gen_range(1000..4000)
        ),
        3 => format!(
            "{}.0.{}.{}",
            r.gen_range(100..130),
            r.gen_range(5000..7000),
            r.gen_range(10..300)
        ),
        4 => format!("{}.{}", r.gen_range(1..30), r.gen_range(0..20)),
        _ => format!(
            "build {}{:02}{:02}.{}",
            r.gen_range(2019..2027),
            r.gen_range(1..13),
            r.gen_range(1..29),
            r.gen_range(1..9)
        ),
    }
}

pub fn price(r: &mut Rng8) -> String {
    let a = r.gen_range(1..5000);
    let c = r.gen_range(0..100);
    match r.gen_range(0..6) {
        0 => format!("${a}.{c:02}"),
        1 => format!("€ {a},{c:02}"),
        2 => format!("£{a}.{c:02}"),
        3 => format!("¥{},{:03}", r.gen_range(1..99), r.gen_range(0..1000)),
        4 => format!("CHF {a}.{c:02}"),
        _ => format!("R$ {a},{c:02}"),
    }
}

pub fn counter(r: &mut Rng8) -> String {
    match r.gen_range(0..8) {
        0 => format!(
            "processed {} events",
            r.gen_range(1_000_000u64..9_999_999_999)
        ),
        1 => format!("rows affected: {}", r.gen_range(1000..99_999_999)),
        2 => format!("epoch {}", r.gen_range(1_600_000_000u64..1_800_000_000)),
        3 => format!(
            "ts_ms={}",
            r.gen_range(1_600_000_000_000u64..1_800_000_000_000)
        ),
        4 => format!(
            "message id {}",
            r.gen_range(1_000_000_000_000_000_000u64..1_900_000_000_000_000_000)
        ),
        5 => format!("{} bytes", r.gen_range(100_000u64..99_999_999_999)),
        6 => format!("seq={}", r.gen_range(10_000_000u64..99_999_999_999)),
        _ => format!("trace_id={}", chars(r, HEX, 32)),
    }
}

pub fn measurement(r: &mut Rng8) -> String {
    match r.gen_range(0..7) {
        0 => format!("{}.{} kg", r.gen_range(0..80), r.gen_range(0..100)),
        1 => format!(
            "{}x{}",
            pick(r, &["1920", "2560", "3840", "1280"]),
            pick(r, &["1080", "1440", "2160", "720"])
        ),
        2 => format!("{} °C", r.gen_range(-20..250)),
        3 => format!("{}.{}%", r.gen_range(0..100), r.gen_range(0..10)),
        4 => format!("{} ms", r.gen_range(1..5000)),
        5 => format!("{}.{} GB", r.gen_range(1..512), r.gen_range(0..10)),
        _ => format!("{} mm", r.gen_range(1..2000)),
    }
}

fn log_excerpt(r: &mut Rng8) -> String {
    let mut s = String::new();
    let service = pick(
        r,
        &[
            "api-gateway",
            "billing-worker",
            "ingest",
            "scheduler",
            "auth-svc",
            "search",
        ],
    );
    for _ in 0..r.gen_range(8..25) {
        let ts = iso_ts(r);
        let line = match r.gen_range(0..9) {
            0 => format!(
                "{ts} INFO  [{service}] processed batch {} in {} ms (rows={}, retries=0)",
                r.gen_range(1000..99999),
                r.gen_range(3..900),
                r.gen_range(10..50000)
            ),
            1 => format!(
                "{ts} DEBUG request_id={} status=200 latency_ms={}",
                uuid(r),
                r.gen_range(1..400)
            ),
            2 => format!(
                "{ts} WARN  [{service}] slow query took {}.{}s on table {}",
                r.gen_range(1..30),
                r.gen_range(0..10),
                pick(r, &["orders", "events", "line_items", "sessions"])
            ),
            3 => format!(
                "{ts} INFO  GET /api/v2/orders/{} 200 {}ms",
                order_number(r),
                r.gen_range(2..300)
            ),
            4 => format!(
                "{ts} ERROR [{service}] upstream timeout after 30000 ms (attempt {}/5)",
                r.gen_range(1..6)
            ),
            5 => format!("{ts} INFO  deployed {} ({})", version(r), short_sha(r)),
            6 => format!(
                "{} {} kernel: [{}.{:06}] eth0: link up, 1000 Mbps, full duplex",
                plain_ts(r),
                service,
                r.gen_range(1..99999),
                r.gen_range(0..999999)
            ),
            7 => format!(
                "{ts} INFO  cache hit ratio {} ({} keys)",
                measurement(r),
                r.gen_range(1000..9_999_999)
            ),
            _ => format!("{ts} INFO  job {} finished: {}", uuid(r), counter(r)),
        };
        s.push_str(&line);
        s.push('\n');
    }
    s
}

fn csv_metrics(r: &mut Rng8) -> String {
    let mut s = String::from("date,region,requests,errors,p50_ms,p99_ms,cost_usd\n");
    for _ in 0..r.gen_range(6..20) {
        s.push_str(&format!(
            "{}-{:02}-{:02},{},{},{},{}.{},{}.{},{}.{:02}\n",
            r.gen_range(2020..2027),
            r.gen_range(1..13),
            r.gen_range(1..29),
            pick(
                r,
                &["eu-west-1", "us-east-1", "ap-southeast-2", "eu-central-1"]
            ),
            r.gen_range(10_000..99_999_999),
            r.gen_range(0..5000),
            r.gen_range(1..80),
            r.gen_range(0..10),
            r.gen_range(80..2000),
            r.gen_range(0..10),
            r.gen_range(10..90000),
            r.gen_range(0..100)
        ));
    }
    s
}

fn code_snippet(r: &mut Rng8) -> String {
    match r.gen_range(0..8) {
        0 => format!(
            "```rust\npub fn backoff(attempt: u32) -> Duration {{\n    let base = Duration::from_millis({});\n    let cap = Duration::from_secs({});\n    (base * 2u32.pow(attempt.min({}))).min(cap)\n}}\n\n#[test]\nfn grows() {{\n    assert_eq!(backoff(0), Duration::from_millis({}));\n}}\n```\n",
            r.gen_range(50..500),
            r.gen_range(10..120),
            r.gen_range(5..12),
            r.gen_range(50..500)
        ),
        1 => format!(
            "```python\nimport os\nimport hashlib\n\nDB_PASSWORD = os.environ[\"DB_PASSWORD\"]\nAPI_KEY = os.getenv(\"OPENAI_API_KEY\")\n\ndef checksum(path: str) -> str:\n    h = hashlib.sha256()\n    with open(path, \"rb\") as f:\n        for chunk in iter(lambda: f.read({}), b\"\"):\n            h.update(chunk)\n    return h.hexdigest()  # e.g. {}\n\nBATCH_SIZE = {}\nTIMEOUT = {}.{}\n```\n",
            r.gen_range(4096..65536),
            sha256(r),
            r.gen_range(16..1024),
            r.gen_range(1..60),
            r.gen_range(0..10)
        ),
        2 => format!(
            "```ts\nexport async function fetchOrders(page = 1, limit = {}) {{\n  const token = req.headers.get(\"Authorization\");\n  const res = await fetch(`/api/v2/orders?page=${{page}}&limit=${{limit}}`, {{ headers: {{ \"X-Request-Id\": \"{}\" }} }});\n  if (res.status === 429) await sleep({});\n  return res.json() as Promise<Order[]>;\n}}\n```\n",
            r.gen_range(10..200),
            uuid(r),
            r.gen_range(100..5000)
        ),
        3 => format!(
            "```go\nfunc (s *Server) Retry(ctx context.Context, id string) error {{\n\tfor i := 0; i < {}; i++ {{\n\t\tif err := s.client.Do(ctx, id); err == nil {{\n\t\t\treturn nil\n\t\t}}\n\t\ttime.Sleep(time.Duration(i*{}) * time.Millisecond)\n\t}}\n\treturn fmt.Errorf(\"job %s failed after %d attempts\", id, {})\n}}\n```\n",
            r.gen_range(3..10),
            r.gen_range(100..1000),
            r.gen_range(3..10)
        ),
        4 => format!(
            "```sql\nSELECT c.id, c.country, COUNT(o.id) AS orders, SUM(o.total_cents) / 100.0 AS revenue\nFROM customers c\nJOIN orders o ON o.customer_id = c.id\nWHERE o.created_at >= '{}-{:02}-01' AND o.status <> 'cancelled'\nGROUP BY c.id, c.country\nHAVING COUNT(o.id) > {}\nORDER BY revenue DESC\nLIMIT {};\n```\n",
            r.gen_range(2020..2027),
            r.gen_range(1..13),
            r.gen_range(1..20),
            r.gen_range(10..500)
        ),
        5 => format!(
            "```yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {}\nspec:\n  replicas: {}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.local/app@sha256:{}\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {{ name: db-creds, key: password }}\n            - name: API_TOKEN\n              value: \"${{API_TOKEN}}\"\n          resources:\n            limits: {{ cpu: \"{}m\", memory: \"{}Mi\" }}\n```\n",
            pick(r, &["checkout", "search-api", "worker", "frontend"]),
            r.gen_range(1..12),
            sha256(r),
            r.gen_range(100..4000),
            r.gen_range(128..8192)
        ),
        6 => format!(
            "```java\npublic final class RateLimiter {{\n    private static final long WINDOW_MS = {}L;\n    private final Map<String, Deque<Long>> hits = new ConcurrentHashMap<>();\n\n    public boolean allow(String key) {{\n        long now = System.currentTimeMillis();\n        Deque<Long> q = hits.computeIfAbsent(key, k -> new ArrayDeque<>());\n        while (!q.isEmpty() && now - q.peekFirst() > WINDOW_MS) q.pollFirst();\n        return q.size() < {} && q.add(now);\n    }}\n}}\n```\n",
            r.gen_range(1000..60000),
            r.gen_range(10..1000)
        ),
        _ => format!(
            "```bash\nset -euo pipefail\nexport RUST_LOG=info\nexport PASSWORD_FILE=/run/secrets/db_password\ncurl -sf -H \"Authorization: Bearer $TOKEN\" \"$API/v1/jobs/{}\" | jq '.status'\ndocker pull ghcr.io/acme/worker:{}\necho \"digest sha256:{}\"\n```\n",
            uuid(r),
            version(r),
            sha256(r)
        ),
    }
}

fn shipping_note(r: &mut Rng8) -> String {
    format!(
        "Your order {} has shipped. Tracking number: {}. Invoice {} — total {} incl. {}% VAT. Estimated delivery in {} business days. Package weight {}; dimensions {}x{}x{} cm. Reference {}.\n",
        order_number(r),
        tracking_number(r),
        order_number(r),
        price(r),
        pick(r, &["19", "20", "21", "7", "10"]),
        r.gen_range(2..8),
        measurement(r),
        r.gen_range(10..80),
        r.gen_range(10..60),
        r.gen_range(5..40),
        order_number(r)
    )
}

fn product_spec(r: &mut Rng8) -> String {
    let name = format!(
        "{} {}{}",
        pick(
            r,
            &[
                "Nimbus",
                "Falcon Ridge",
                "Aurora",
                "Vertex",
                "Quantum Leaf",
                "Summit",
                "Orion Blade",
                "Helix"
            ]
        ),
        pick(r, &["X", "Pro ", "Air ", "S", "Max "]),
        r.gen_range(2..900)
    );
    format!(
        "The {name} weighs {}, has a {}.{}-inch display at {}, {} GB RAM and a {} Wh battery. SKU {}-{}, EAN {}. Launch price {} ({}% off until the end of the quarter). Firmware {} fixes a {} drift in the thermal sensor.\n",
        measurement(r),
        r.gen_range(11..17),
        r.gen_range(0..10),
        measurement(r),
        pick(r, &["8", "16", "32", "64"]),
        r.gen_range(40..100),
        chars(r, b"ABCDEFGHJKLMNPQRSTUVWXYZ", 3),
        r.gen_range(1000..9999),
        v::to_str(&v::digit_vec(r, 13)),
        price(r),
        r.gen_range(5..40),
        version(r),
        measurement(r)
    )
}

fn test_output(r: &mut Rng8) -> String {
    let passed = r.gen_range(10..900);
    format!(
        "running {passed} tests\ntest parser::tests::round_trip ... ok\ntest store::tests::compaction ... ok\ntest net::tests::retry_backoff ... ok\n\ntest result: ok. {passed} passed; 0 failed; {} ignored; 0 measured; 0 filtered out; finished in {}.{:02}s\n\ncommit {}\nMerge pull request #{} from feature/retry-backoff\n",
        r.gen_range(0..5),
        r.gen_range(0..60),
        r.gen_range(0..100),
        git_sha(r),
        r.gen_range(100..9999)
    )
}

fn science(r: &mut Rng8) -> String {
    format!(
        "The sample mean was {}.{} ± {}.{} (n = {}, p < 0.05). Increasing the learning rate from 3e-4 to 1e-3 cut the loss by {} over {} steps; the checkpoint hash is {}. Matrix dimensions {}x{}, condition number {}.{}e{}.\n",
        r.gen_range(10..99),
        r.gen_range(0..10),
        r.gen_range(0..9),
        r.gen_range(0..10),
        r.gen_range(30..5000),
        measurement(r),
        r.gen_range(1000..200000),
        short_sha(r),
        r.gen_range(2..4096),
        r.gen_range(2..4096),
        r.gen_range(1..9),
        r.gen_range(0..10),
        r.gen_range(2..12)
    )
}

fn recipe(r: &mut Rng8) -> String {
    format!(
        "Preheat the oven to {} °C. Mix {} g flour, {} ml milk and {} eggs; rest for {} minutes. Bake for {} to {} minutes until golden. Serves {}.\n",
        r.gen_range(160..230),
        r.gen_range(100..800),
        r.gen_range(100..600),
        r.gen_range(1..5),
        r.gen_range(5..60),
        r.gen_range(10..30),
        r.gen_range(30..60),
        r.gen_range(2..8)
    )
}

fn json_payload(r: &mut Rng8) -> String {
    format!(
        "{{\"id\": \"{}\", \"created_at\": \"{}\", \"amount\": {}.{:02}, \"currency\": \"{}\", \"status\": \"{}\", \"items\": {}, \"checksum\": \"{}\", \"thumbnail\": \"{}\", \"trace\": \"{}\"}}\n",
        uuid(r),
        iso_ts(r),
        r.gen_range(1..100000),
        r.gen_range(0..100),
        pick(r, &["EUR", "USD", "GBP", "JPY"]),
        pick(r, &["paid", "pending", "refunded"]),
        r.gen_range(1..40),
        sha256(r),
        base64_blob(r),
        short_sha(r)
    )
}

/// One benign snippet of any kind, for mixing into prompts.
pub fn snippet(r: &mut Rng8) -> String {
    match r.gen_range(0..8) {
        0 => format!("Order {} was placed at {}.", order_number(r), plain_ts(r)),
        1 => format!("Ticket {} (ref {}).", order_number(r), uuid(r)),
        2 => format!("Build {} from commit {}.", version(r), short_sha(r)),
        3 => format!(
            "The total was {}, about {} more than last month.",
            price(r),
            measurement(r)
        ),
        4 => format!("Tracking: {}.", tracking_number(r)),
        5 => format!("Invoice {} dated {}.", order_number(r), plain_ts(r)),
        6 => format!("The export has {}.", counter(r)),
        _ => format!("Checksum {}.", sha256(r)),
    }
}

/// A whole benign document.
pub fn document(r: &mut Rng8) -> (String, &'static str) {
    let kinds = r.gen_range(1..4);
    let mut s = String::new();
    let mut name = "mixed";
    for i in 0..kinds {
        let (part, k) = match r.gen_range(0..11) {
            0 => (log_excerpt(r), "log"),
            1 => (csv_metrics(r), "csv"),
            2 | 3 => (code_snippet(r), "code"),
            4 => (shipping_note(r), "shipping"),
            5 => (product_spec(r), "product"),
            6 => (test_output(r), "test-output"),
            7 => (science(r), "science"),
            8 => (recipe(r), "recipe"),
            9 => (json_payload(r), "json"),
            _ => (
                format!("{} {} {}\n", snippet(r), snippet(r), snippet(r)),
                "snippets",
            ),
        };
        if i == 0 {
            name = k;
        }
        s.push_str(&part);
        s.push('\n');
    }
    (s, name)
}

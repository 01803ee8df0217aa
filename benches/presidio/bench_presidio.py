"""Presidio analyzer speed on the same prompts as dlp-bench, single thread.

Configuration: the no_op NLP engine (no spaCy model, no NER) with the default recognizer
registry for English, i.e. Presidio's regex + checksum recognizers. This is the fastest way
Presidio can run; a spaCy NER model makes it several times slower.

Input: JSON lines with a "text" field. Prints one JSON line:
{"mb_per_s", "p50_ms", "p99_ms", "texts", "bytes"} (MB = 10^6 UTF-8 bytes).
"""

import argparse
import json
import statistics
import sys
import time

from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def engine():
    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "no_op", "models": [{"lang_code": "en", "model_name": "none"}]}
    )
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--throughput", required=True, help="JSONL of ~2 KB texts")
    p.add_argument("--latency", required=True, help="JSONL of ~4 KB texts")
    args = p.parse_args()
    small, large = load(args.throughput), load(args.latency)
    analyzer = engine()
    for t in small[:5]:
        analyzer.analyze(text=t, language="en")

    total = sum(len(t.encode("utf-8")) for t in small)
    start = time.perf_counter()
    for t in small:
        analyzer.analyze(text=t, language="en")
    elapsed = time.perf_counter() - start

    lat = []
    for t in large:
        s = time.perf_counter()
        analyzer.analyze(text=t, language="en")
        lat.append((time.perf_counter() - s) * 1000.0)
    lat.sort()

    def pct(q):
        return lat[min(len(lat) - 1, round((len(lat) - 1) * q))] if lat else 0.0

    print(
        json.dumps(
            {
                "mb_per_s": total / elapsed / 1e6,
                "p50_ms": statistics.median(lat) if lat else 0.0,
                "p99_ms": pct(0.99),
                "texts": len(small),
                "bytes": total,
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())

// Per-call cost of scanning the 2 KB benchmark prompt through the Node binding with the default
// scanner. `make bench` compares it with the same call in Rust; the difference is the cost of
// crossing the binding (string conversion in, finding objects out).
//
// Prints one line: `node  <median µs/call>`. Runs for a few seconds at most.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { Scanner } from 'routeguard'

const promptPath = fileURLToPath(new URL('../../tests/conformance/dlp/bench-prompt.txt', import.meta.url))
const prompt = readFileSync(promptPath, 'utf8')
const scanner = new Scanner()

const CALLS = 2000
const RUNS = 9

function run() {
  const start = process.hrtime.bigint()
  let findings = 0
  for (let i = 0; i < CALLS; i++) findings += scanner.scan(prompt).length
  const elapsed = Number(process.hrtime.bigint() - start)
  if (findings === 0) throw new Error('the benchmark prompt should hold findings')
  return elapsed / 1000 / CALLS
}

run() // warm-up: JIT, caches
const perCall = Array.from({ length: RUNS }, run).sort((a, b) => a - b)
console.log(`node  ${perCall[RUNS >> 1].toFixed(2)} µs/call`)

// What a governed call adds from Node: `Governor.begin` + `Call.complete` over a canned response
// (no network), and `client.chat` against the local stand-in beside a direct `fetch` of the same
// request. `make bench` prints these beside the Rust figures (benches/governed.sh).
//
// Prints `node-<row> <p50 µs> <p99 µs>` lines. Bounded: a fixed number of calls, then exits.
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { AuditTrail, Client, Governor, Guard, Ledger } from 'routeguard'

const CALLS = Number(process.argv[2] ?? 2000)
const HTTP_CALLS = Math.max(50, Math.floor(CALLS / 10))
const policy = {
  version: 1,
  defaults: {
    models: { allow: ['anthropic/*'] },
    providers: { processing: ['EU'], jurisdictions: ['EEA', 'US'] },
    dlp: { scanner: { actions: { EMAIL_ADDRESS: 'pseudonymize' } }, response: { scan: true, restore_pseudonyms: true } },
    budgets: [{ scope: 'user', window: 'daily', limit_usd: 1000000 }],
  },
  users: { alice: {} },
  workspaces: { eu: {} },
}
const alice = { user: 'alice', workspace: 'eu' }
const request = {
  model: 'anthropic/claude-sonnet-4',
  max_tokens: 200,
  messages: [
    { role: 'system', content: 'You are a helpful assistant for the support desk.' },
    { role: 'user', content: 'My e-mail is ada@example.org; please summarise my last three orders and tell me when the next delivery arrives.' },
  ],
}
const response = {
  id: 'gen-1', provider: 'Google', model: 'anthropic/claude-sonnet-4', object: 'chat.completion',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Your last three orders were shipped; <EMAIL_ADDRESS_1> will get the tracking link. The next delivery arrives on Thursday.' } }],
  usage: { prompt_tokens: 48, completion_tokens: 30, total_tokens: 78, cost: 0.000594 },
}
const responseText = JSON.stringify(response)

function parts() {
  const guard = new Guard(policy)
  const ledger = new Ledger('memory:')
  const trail = AuditTrail.open({ sink: { type: 'memory' }, writer: 'bench.node', prompt: 'redacted', response: 'hash' }, 'ab'.repeat(32))
  return { guard, ledger, trail }
}

function percentiles(samples) {
  samples.sort((a, b) => a - b)
  const at = (q) => samples[Math.round((samples.length - 1) * q)]
  return `${at(0.5).toFixed(1)} ${at(0.99).toFixed(1)}`
}

const now = () => Number(process.hrtime.bigint()) / 1000

// 1. In process.
{
  const { guard, ledger, trail } = parts()
  const governor = new Governor(guard, { ledger, trail })
  const one = () => {
    const started = now()
    const call = governor.begin(alice, request)
    const answer = call.complete(200, responseText)
    if (!answer.allowed) throw new Error('the bench call is allowed')
    return now() - started
  }
  for (let i = 0; i < 200; i++) one()
  const samples = Array.from({ length: CALLS }, one)
  console.log(`node-inprocess ${percentiles(samples)}`)
}

// 2. Against the stand-in.
const server = fileURLToPath(new URL('../../tests/mock-openrouter/server.py', import.meta.url))
const child = spawn('python3', [server, '--port', '0', '--idle-exit', '120'], { stdio: ['ignore', 'pipe', 'inherit'] })
const root = await new Promise((resolve, reject) => {
  let out = ''
  child.stdout.on('data', (d) => {
    out += d
    const m = /listening (http:\/\/\S+)/.exec(out)
    if (m) resolve(m[1])
  })
  child.on('exit', (code) => reject(new Error(`the stand-in exited (${code})`)))
})
child.stdout.resume()
try {
  const base = `${root}/api/v1`
  const keyFile = join(mkdtempSync(join(tmpdir(), 'rg-bench-')), 'key')
  writeFileSync(keyFile, 'sk-or-v1-bench\n')
  const { guard, ledger, trail } = parts()
  const client = new Client(guard, { ledger, trail, baseUrl: base, apiKeyFile: keyFile })
  // The direct call sends what the governed call sends (constrained, DLP applied).
  const sent = new Governor(guard, {}).begin(alice, request)
  const body = sent.requestJson
  sent.fail('bench: only the prepared request was needed')
  const direct = async () => {
    const started = now()
    const r = await fetch(`${base}/chat/completions`, {
      method: 'POST', body, headers: { authorization: 'Bearer sk-or-v1-bench', 'content-type': 'application/json' },
    })
    await r.json()
    return now() - started
  }
  const governed = async () => {
    const started = now()
    const answer = await client.chat(alice, request)
    if (!answer.allowed) throw new Error(JSON.stringify(answer.reasons))
    return now() - started
  }
  for (let i = 0; i < 20; i++) {
    await direct()
    await governed()
  }
  const d = []
  const g = []
  for (let i = 0; i < HTTP_CALLS; i++) {
    d.push(await direct())
    g.push(await governed())
  }
  console.log(`node-direct ${percentiles(d)}`)
  console.log(`node-governed ${percentiles(g)}`)
} finally {
  child.kill('SIGTERM')
}

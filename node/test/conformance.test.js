'use strict'
// Runs every case of every file of tests/conformance/ against the Node package. The directory is
// walked, so a file the lead adds later is picked up; a file without a runner here fails. The
// DLP files run through `Scanner`, the policy files through `Guard`, the budget files through
// `Ledger` (memory, SQLite, and PostgreSQL when ROUTEGUARD_TEST_POSTGRES names a database), the
// audit files through `AuditTrail`, `Guard.audit`, `auditVerifyText` and `canonicalJson`, the
// governed calls through `Client` and `Governor` against the local OpenRouter stand-in.

const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { after, before, describe, it } = require('node:test')

const { keyFile, startMock } = require('./support/mock-openrouter.js')

const {
  AuditTrail,
  Client,
  Governor,
  Guard,
  Ledger,
  Prepared,
  Scanner,
  Vault,
  auditVerifyText,
  canonicalJson,
  errorCodes,
  isRouteguardError,
} = require('routeguard')

const ROOT = path.resolve(__dirname, '..', '..', 'tests', 'conformance')

/** Files that hold no cases for a binding (documentation, CLI input, benchmark input). */
const NOT_CASES = new Set(['README.md', 'dlp/sample.jsonl', 'dlp/bench-prompt.txt', 'audit/gen-canonical.mjs'])

/** Files with a runner that are not lists of cases (the error table, the policy catalogue). */
const NO_CASE_LIST = new Set(['errors.json', 'policy/catalog.json'])

/** The fixed catalogue of the policy cases, as the JSON text a guard is given. */
const POLICY_CATALOG = fs.readFileSync(path.join(ROOT, 'policy', 'catalog.json'), 'utf8')

/** Expected keys of the corpus -> keys of the JavaScript objects. JavaScript compares UTF-16
 * offsets; code-point offsets belong to Python. */
const KEY = {
  start: null,
  end: null,
  utf16_start: 'start',
  utf16_end: 'end',
  byte_start: 'byteStart',
  byte_end: 'byteEnd',
  media_type: 'mediaType',
}

/** The part of `actual` (a JavaScript record) that `expected` (a corpus record) speaks about,
 * written with the corpus keys. */
function project(actual, expected) {
  const out = {}
  for (const key of Object.keys(expected)) {
    if (KEY[key] === null) continue
    const jsKey = KEY[key] ?? key
    assert.ok(jsKey in actual, `result has no ${jsKey} (for corpus key ${key})`)
    out[key] = actual[jsKey]
  }
  return out
}

function expectedWithoutCodePoints(expected) {
  return Object.fromEntries(Object.entries(expected).filter(([key]) => KEY[key] !== null))
}

function assertRecords(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: count`)
  assert.deepEqual(
    actual.map((a, i) => project(a, expected[i])),
    expected.map(expectedWithoutCodePoints),
    what,
  )
}

/** Every JavaScript finding slices its own match out of the text it was found in. */
function assertSpansSlice(text, findings) {
  const bytes = Buffer.from(text, 'utf8')
  for (const f of findings) {
    assert.equal(
      Buffer.from(text.slice(f.start, f.end), 'utf8').toString('hex'),
      bytes.subarray(f.byteStart, f.byteEnd).toString('hex'),
      `${f.detector}: UTF-16 and byte spans cover the same text`,
    )
  }
}

function scannerFor(config) {
  return config === null ? new Scanner() : new Scanner(config)
}

function jsOptions(options = {}) {
  const out = {}
  for (const [key, value] of Object.entries(options)) {
    if (key === 'action') out.action = value
    else if (key === 'hash_key') out.hashKey = value
    else assert.fail(`unknown option ${key}`)
  }
  return out
}

/** Each expected record compared on the keys it names only, in order (the policy files). */
function assertSubset(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: ${JSON.stringify(actual)}`)
  assert.deepEqual(
    actual.map((a, i) => Object.fromEntries(Object.keys(expected[i]).map((key) => [key, a[key]]))),
    expected,
    what,
  )
}

/** One guard per named policy of a policy file, over the corpus catalogue. */
function guardsFor(doc) {
  const guards = new Map()
  return (name) => {
    if (!guards.has(name)) {
      assert.ok(name in doc.policies, `unknown policy ${name}`)
      guards.set(name, new Guard(doc.policies[name], { catalog: POLICY_CATALOG }))
    }
    return guards.get(name)
  }
}

/** The request of a policy case: an object, or raw `request_text`. */
function policyRequest(c) {
  const request = 'request_text' in c ? c.request_text : c.request
  assert.ok(request !== undefined, 'case has request or request_text')
  return request
}

/** A decision as plain data (what `JSON.stringify` writes), to compare two decisions. */
function plain(value) {
  return JSON.parse(JSON.stringify(value))
}

function assertRouteguardError(fn, code) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error)
    assert.equal(e.code, code)
    assert.equal(e.number, errorCodes().find((c) => c.name === code).number)
    assert.ok(isRouteguardError(e))
    return true
  })
}

/** `got` has every key of `expected` with the same value; lists match in length and order, each
 * entry on the keys it gives (the budget files). */
function assertBudget(got, expected, where) {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(got), `${where}: ${JSON.stringify(got)}`)
    assert.equal(got.length, expected.length, `${where}: ${JSON.stringify(got)}`)
    expected.forEach((e, i) => assertBudget(got[i], e, `${where}[${i}]`))
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(got !== null && typeof got === 'object', `${where}: ${JSON.stringify(got)}`)
    for (const [key, value] of Object.entries(expected)) assertBudget(got[key], value, `${where}.${key}`)
  } else {
    assert.deepEqual(got, expected, where)
  }
}

/** Denials are checked on their cap's fields plus the request's. */
function liftDenials(outcome) {
  for (const key of ['denials', 'shadow']) {
    outcome[key] = outcome[key].map(({ cap, ...rest }) => ({ ...rest, ...cap }))
  }
  return outcome
}

/** A schema of its own per case (`search_path`), dropped first, made with psql. */
function freshPostgres(url, name) {
  const schema = `conf_node_${name.replace(/[^A-Za-z0-9]/g, '_')}`
  const sql = `DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema};`
  execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { stdio: ['ignore', 'ignore', 'inherit'] })
  return `${url}${url.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}`
}

/** A fresh store per backend for one case. */
function ledgerUrls(name, dir) {
  const urls = [
    ['memory', 'memory:'],
    ['sqlite', `sqlite:${path.join(dir, `${name}.db`)}`],
  ]
  const postgres = process.env.ROUTEGUARD_TEST_POSTGRES
  if (postgres) urls.push(['postgres', freshPostgres(postgres, name)])
  return urls
}

function ledgerStep(ledger, ids, step) {
  const now = step.now_ms
  switch (step.op) {
    case 'reserve': {
      const out = ledger.reserve(step.caps, step.amount_micros, step.meta, step.lease_ms, now)
      if (step.as !== undefined && out.id !== null) ids.set(step.as, out.id)
      return liftDenials(out)
    }
    case 'settle':
      return ledger.settle(ids.get(step.id) ?? step.id, step.settlement, now)
    case 'renew':
      return ledger.renew(ids.get(step.id), step.lease_ms, now)
    case 'status':
      return ledger.status(step.caps, now)
    case 'report':
      return ledger.report(step.by, step.window, now).toJSON()
    default:
      throw new Error(`unknown ledger op ${step.op}; teach conformance.test.js`)
  }
}

/** A corpus file by its path under tests/conformance. */
function corpus(rel) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8'))
}

/** What the failing callback sink of records.json throws: its class name is the failure's kind. */
class ConformanceSinkDown extends Error {}

/** Opens a records.json case's trail (its `config` passed through unchanged): a memory sink, or
 * a callback sink that throws on the listed 1-based calls and keeps the lines it accepted. */
function openCaseTrail(suite, c) {
  const accepted = []
  let callback = null
  if (Array.isArray(c.callback_fails)) {
    let calls = 0
    callback = (line) => {
      calls += 1
      if (c.callback_fails.includes(calls)) throw new ConformanceSinkDown('the sink is down')
      accepted.push(line)
    }
  }
  const trail = AuditTrail.open(c.config, suite.chain_key, suite.signing_key, callback)
  return { trail, accepted, callback: callback !== null }
}

/** Runs the steps of a records.json case (`async`: writes and closes through the `…Async`
 * forms) and gives back the trail's lines. */
async function runRecordsCase(suite, c, { async = false } = {}) {
  const { trail, accepted, callback } = openCaseTrail(suite, c)
  for (const [i, step] of c.steps.entries()) {
    const where = `step ${i}`
    const now = step.now_ms
    let run
    if ('write' in step) run = () => (async ? trail.writeAsync(step.write, now) : trail.write(step.write, now))
    else if ('checkpoint' in step) run = () => trail.checkpoint(now)
    else if ('close' in step) run = () => (async ? trail.closeAsync(now) : trail.close(now))
    else assert.fail(`${where}: unknown step ${JSON.stringify(step)}; teach conformance.test.js`)
    if (typeof step.expect_error === 'string') {
      await assert.rejects(async () => run(), (e) => {
        assert.equal(e.code, step.expect_error, `${where}: ${e.message}`)
        assert.ok(isRouteguardError(e))
        return true
      }, where)
      continue
    }
    const receipt = await run()
    assert.equal(receipt.status, step.expect_status ?? 'written', `${where}: ${JSON.stringify(receipt)}`)
    assert.equal(receipt.writer, c.config.writer, where)
  }
  return callback ? accepted : trail.lines()
}

/** The log of a records.json case after a verify.json case's mutation, as bytes. */
function mutatedLog(records, c) {
  const source = records.cases.find((r) => r.name === c.log)
  assert.ok(source, `no records case ${c.log}`)
  const lines = [...source.expect_lines]
  const m = c.mutate ?? {}
  if (m.delete !== undefined) lines.splice(m.delete, 1)
  if (m.duplicate !== undefined) lines.splice(m.duplicate + 1, 0, lines[m.duplicate])
  if (m.swap !== undefined) {
    const [i, j] = m.swap
    ;[lines[i], lines[j]] = [lines[j], lines[i]]
  }
  if (m.keep_lines !== undefined) lines.length = Math.min(lines.length, m.keep_lines)
  if (m.replace !== undefined) {
    const { line, from, to } = m.replace
    lines[line] = lines[line].replace(from, () => to)
  }
  const known = new Set(['delete', 'duplicate', 'swap', 'keep_lines', 'replace', 'cut_bytes'])
  for (const key of Object.keys(m)) assert.ok(known.has(key), `unknown mutation ${key}; teach conformance.test.js`)
  const log = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8')
  return log.subarray(0, log.length - (m.cut_bytes ?? 0))
}

const RUNNERS = {
  'errors.json': (doc) => {
    it('error table equals errors.json', () => {
      assert.deepEqual(errorCodes(), doc.codes)
    })
  },

  'dlp/cases.json': (doc) => {
    for (const c of doc.cases) {
      it(c.name, async () => {
        const scanner = scannerFor(c.config)
        const findings = scanner.scan(c.text)
        assertRecords(findings, c.findings, 'findings')
        assertSpansSlice(c.text, findings)
        assert.deepEqual(await scanner.scanAsync(c.text), findings)
        const redaction = scanner.redact(c.text, { action: 'redact' })
        assert.equal(redaction.text, c.redacted)
        assert.deepEqual(await scanner.redactAsync(c.text, { action: 'redact' }), redaction)
      })
    }
  },

  'dlp/actions.json': (doc) => {
    for (const c of doc.cases) {
      it(c.name, async () => {
        const scanner = scannerFor(c.config)
        const redaction = scanner.redact(c.text, jsOptions(c.options))
        assert.equal(redaction.text, c.expect.text)
        assert.equal(redaction.blocked, c.expect.blocked)
        assertRecords(redaction.applied, c.expect.applied, 'applied')
        assert.deepEqual(await scanner.redactAsync(c.text, jsOptions(c.options)), redaction)
        if (c.options.hash_key !== undefined) {
          // The key as bytes is the same key.
          const bytes = new TextEncoder().encode(c.options.hash_key)
          const viaBytes = scanner.redact(c.text, { ...jsOptions(c.options), hashKey: bytes })
          assert.equal(viaBytes.text, c.expect.text)
        }
      })
    }
  },

  'dlp/pseudonymize.json': (doc) => {
    for (const c of doc.cases) {
      it(c.name, () => {
        const scanner = scannerFor(c.config)
        const vault = new Vault()
        const texts = c.texts.map((t) => scanner.redact(t, { action: 'pseudonymize', vault }).text)
        assert.deepEqual(texts, c.expect.texts)
        assert.equal(vault.restore(c.restore.input), c.restore.output)
        assert.equal(vault.size, c.expect.vault_len)
      })
    }
  },

  'dlp/requests.json': (doc) => {
    for (const c of doc.cases) {
      it(c.name, async () => {
        const scanner = scannerFor(c.config)
        const request = 'request_text' in c ? c.request_text : c.request
        assert.ok(request !== undefined, 'case has request or request_text')
        const options = jsOptions(c.options)
        if ('error' in c.expect) {
          assertRouteguardError(() => scanner.scanRequest(request, options), c.expect.error)
          await assert.rejects(scanner.scanRequestAsync(request, options), { code: c.expect.error })
          return
        }
        const scan = scanner.scanRequest(request, options)
        assert.equal(scan.blocked, c.expect.blocked)
        assert.deepEqual(scan.request, c.expect.request)
        assertRecords(scan.findings, c.expect.findings, 'findings')
        assertRecords(scan.inlineData, c.expect.inline_data, 'inline_data')
        // The same request given as JSON text, and off the main thread, gives the same result.
        const text = typeof request === 'string' ? request : JSON.stringify(request)
        assert.deepEqual(scanner.scanRequest(text, options), scan)
        assert.deepEqual(await scanner.scanRequestAsync(request, options), scan)
      })
    }
  },

  'dlp/streams.json': (doc) => {
    for (const c of doc.cases) {
      it(c.name, () => {
        const scanner = scannerFor(c.config)
        const stream = scanner.stream(jsOptions(c.options))
        const steps = c.chunks.map((chunk) => stream.push(chunk))
        steps.push(stream.finish())
        assert.equal(steps.map((s) => s.text).join(''), c.expect.text)
        assert.equal(steps.some((s) => s.blocked), c.expect.blocked)
        assertRecords(steps.flatMap((s) => s.findings), c.expect.findings, 'findings')
        assert.equal(stream.pending, 0)
      })
    }
  },

  'dlp/config_errors.json': (doc) => {
    for (const c of doc.cases) {
      it(c.name, () => {
        if ('json' in c) {
          assertRouteguardError(() => new Scanner(c.json), c.expect.error)
        } else if ('yaml' in c) {
          assertRouteguardError(() => Scanner.fromYaml(c.yaml), c.expect.error)
        } else {
          assert.fail('case has neither json nor yaml')
        }
      })
    }
  },

  'policy/catalog.json': (doc) => {
    it('builds a guard as an object and as JSON text', () => {
      const policy = { version: 1, defaults: { models: { allow: ['*'] } } }
      assert.equal(new Guard(policy, { catalog: doc }).policyHash, new Guard(policy, { catalog: POLICY_CATALOG }).policyHash)
    })
  },

  'policy/prepare.json': (doc) => {
    const guard = guardsFor(doc)
    for (const c of doc.cases) {
      it(c.name, async () => {
        const g = guard(c.policy)
        const request = policyRequest(c)
        const expect = c.expect
        if ('error' in expect) {
          assertRouteguardError(() => g.prepare(c.principal, request), expect.error)
          await assert.rejects(g.prepareAsync(c.principal, request), { code: expect.error })
          return
        }
        const decision = g.prepare(c.principal, request)
        assert.equal(decision.allowed, expect.allowed, JSON.stringify(decision))
        assert.equal(decision.policyHash, g.policyHash)
        assertSubset(decision.reasons, expect.reasons ?? [], 'reasons')
        if ('notices' in expect) assertSubset(decision.notices, expect.notices, 'notices')
        // The same request as JSON text (and the principal too), and off the main thread, decide alike.
        const text = typeof request === 'string' ? request : JSON.stringify(request)
        assert.deepEqual(plain(g.prepare(JSON.stringify(c.principal), text)), plain(decision))
        assert.deepEqual(plain(await g.prepareAsync(c.principal, request)), plain(decision))
        if (!decision.allowed) {
          assert.equal(decision.prepared, null)
          return
        }
        const prepared = decision.prepared
        assert.ok(prepared instanceof Prepared)
        if ('models' in expect) assert.deepEqual(prepared.models, expect.models, 'models')
        if ('providers' in expect) assert.deepEqual(prepared.providers, expect.providers, 'providers')
        if ('findings' in expect) assertSubset(prepared.findings, expect.findings, 'findings')
        const sent = prepared.request
        assert.deepEqual(sent, JSON.parse(prepared.requestJson))
        for (const [key, value] of Object.entries(expect.sent ?? {})) {
          assert.deepEqual(sent[key], value, `sent.${key}`)
        }
        for (const key of expect.sent_has_no ?? []) assert.ok(!(key in sent), `sent has ${key}`)
      })
    }
  },

  'policy/verify.json': (doc) => {
    const guard = guardsFor(doc)
    for (const c of doc.cases) {
      it(c.name, async () => {
        const g = guard(c.policy)
        const decision = g.prepare(c.principal, policyRequest(c))
        assert.ok(decision.allowed, `case ${c.name} must be allowed`)
        const v = g.verify(decision.prepared, c.response)
        const expect = c.expect
        assert.equal(v.allowed, expect.allowed, JSON.stringify(v))
        assert.equal(v.provider, expect.provider)
        assertSubset(v.reasons, expect.reasons, 'reasons')
        assert.equal(v.withheld, expect.withheld)
        if (v.withheld) {
          assert.equal((v.response.choices ?? []).length, 0, 'withheld content')
        } else {
          assert.deepEqual(v.response, c.response, 'response passed through')
        }
        // The response as JSON text, and off the main thread, verify alike.
        assert.deepEqual(g.verify(decision.prepared, JSON.stringify(c.response)), v)
        assert.deepEqual(await g.verifyAsync(decision.prepared, c.response), v)
      })
    }
  },

  'budget/ledger.json': (doc) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-node-ledger-'))
    for (const c of doc.cases) {
      it(c.name, () => {
        for (const [backend, url] of ledgerUrls(c.name, dir)) {
          const ledger = new Ledger(url)
          assert.equal(ledger.backend, backend)
          const ids = new Map()
          c.steps.forEach((step, i) => {
            const where = `${backend} step ${i}`
            if (step.expect && typeof step.expect.error === 'string') {
              assertRouteguardError(() => ledgerStep(ledger, ids, step), step.expect.error)
              return
            }
            const got = ledgerStep(ledger, ids, step)
            if (step.expect !== undefined && step.expect !== null) assertBudget(got, step.expect, where)
          })
        }
      })
    }
  },

  'budget/guard.json': (doc) => {
    const g = new Guard(doc.policy, { catalog: POLICY_CATALOG })
    for (const c of doc.cases) {
      it(c.name, () => {
        const ledger = new Ledger('memory:')
        const decision = g.prepare(c.principal, c.request)
        assert.ok(decision.prepared, 'the case\'s request is allowed')
        const { estimate, ...outcome } = g.reserve(ledger, c.principal, decision.prepared, null, c.now_ms)
        assertBudget(liftDenials({ ...outcome, ...estimate }), c.expect_reserve, 'reserve')
        if (c.outcome !== undefined) {
          const record = g.settle(ledger, outcome.id, c.response, c.outcome, c.now_ms)
          assertBudget(record, c.expect_settle, 'settle')
        }
      })
    }
  },

  'audit/records.json': (doc) => {
    const { public_key: publicKey } = corpus('audit/verify.json')
    for (const c of doc.cases) {
      it(c.name, async () => {
        const lines = await runRecordsCase(doc, c)
        assert.ok(Array.isArray(c.expect_lines), 'the case has expect_lines')
        assert.deepEqual(lines, c.expect_lines, 'the lines, byte for byte')
        const text = lines.map((l) => `${l}\n`).join('')
        for (const absent of c.expect_absent ?? []) assert.ok(!text.includes(absent), `the log holds ${absent}`)
        const report = auditVerifyText(text, doc.chain_key, publicKey)
        assert.equal(report.status, 'intact', JSON.stringify(report.problems))
        if (c.callback_fails === undefined) {
          // The same steps through writeAsync / closeAsync give the same bytes.
          assert.deepEqual(await runRecordsCase(doc, c, { async: true }), c.expect_lines, 'async lines')
        } else {
          // A callback trail refuses the async forms: its function runs on the JavaScript thread.
          const { trail } = openCaseTrail(doc, c)
          await assert.rejects(trail.writeAsync({ outcome: 'allowed' }), { code: 'invalid_argument' })
          await assert.rejects(trail.closeAsync(), { code: 'invalid_argument' })
        }
      })
    }
  },

  'audit/verify.json': (doc) => {
    const records = corpus('audit/records.json')
    for (const c of doc.cases) {
      it(c.name, () => {
        const key = c.chain_key ?? records.chain_key
        const publicKey = c.public_key ?? doc.public_key
        const log = mutatedLog(records, c)
        if (c.flip_every_byte === true) {
          const lastLineStart = log.subarray(0, log.length - 1).lastIndexOf(0x0a) + 1
          for (let i = 0; i < log.length; i++) {
            const copy = Buffer.from(log)
            copy[i] ^= 1
            const report = auditVerifyText(copy, key, publicKey)
            assert.notEqual(report.status, 'intact', `byte ${i} flipped went unnoticed`)
            if (i < lastLineStart) assert.equal(report.status, 'tampered', `byte ${i}`)
          }
          return
        }
        const report = auditVerifyText(log, key, publicKey)
        const expect = c.expect
        const problems = JSON.stringify(report.problems)
        assert.equal(report.status, expect.status, problems)
        if (expect.first_kind !== undefined) assert.equal(report.first_bad?.kind, expect.first_kind, problems)
        if (expect.first_line !== undefined) assert.equal(report.first_bad?.line, expect.first_line, problems)
        if (expect.records !== undefined) assert.equal(report.records, expect.records, 'records')
        if (expect.checkpoints !== undefined) assert.equal(report.checkpoints, expect.checkpoints, 'checkpoints')
        assert.equal(report.exit_code, { intact: 0, tampered: 1, incomplete: 4 }[report.status])
        // The log as text verifies alike.
        assert.deepEqual(auditVerifyText(log.toString('utf8'), key, publicKey).status, report.status)
      })
    }
  },

  'audit/guard.json': (doc) => {
    const records = corpus('audit/records.json')
    const g = new Guard(doc.policy, { catalog: POLICY_CATALOG })
    const config = {
      sink: { type: 'memory' },
      writer: 'guard.1',
      prompt: 'full',
      response: 'full',
      checkpoint_every: 0,
      checkpoint_interval_ms: 0,
    }
    for (const c of doc.cases) {
      it(c.name, () => {
        const decision = g.prepare(c.principal, c.request)
        const trail = AuditTrail.open(config, records.chain_key)
        const receipt = g.audit(trail, c.principal, c.request, decision, c.details, c.now_ms)
        assert.equal(receipt.status, 'written')
        const record = JSON.parse(receipt.line)
        assertBudget(record, c.expect, 'record')
        for (const absent of c.expect_absent ?? []) assert.ok(!receipt.line.includes(absent), `the line holds ${absent}`)
        // The arguments as JSON text write the same record.
        const again = AuditTrail.open(JSON.stringify(config), Buffer.from(records.chain_key, 'hex'))
        const text = (v) => (v === undefined ? undefined : JSON.stringify(v))
        const line = g.audit(again, text(c.principal), text(c.request), decision, text(c.details), c.now_ms).line
        assert.equal(line, receipt.line)
        assert.deepEqual(again.lines(), trail.lines())
      })
    }
  },

  'audit/canonical.json': (doc) => {
    for (const c of doc.cases) {
      it(c.name, () => {
        if (typeof c.canonical === 'string') {
          assert.equal(canonicalJson(c.input), c.canonical)
        } else {
          assertRouteguardError(() => canonicalJson(c.input), c.error)
        }
      })
    }
  },

  'governed/calls.json': (doc) => {
    const { chain_key: chainKey } = corpus('audit/records.json')
    let mock
    let key
    before(async () => {
      mock = await startMock()
      key = keyFile('sk-or-v1-conformance')
    })
    after(() => mock.stop())
    const textOf = (response) => response?.choices?.[0]?.message?.content ?? ''
    for (const c of doc.cases) {
      it(c.name, async () => {
        await mock.reset()
        if (c.script !== undefined && c.script !== null) await mock.script(c.script)
        const guard = new Guard(doc.policies[c.policy])
        const ledger = new Ledger('memory:')
        const trail = AuditTrail.open(
          { sink: { type: 'memory' }, writer: 'governed.1', prompt: 'full', response: 'hash' },
          Buffer.from(chainKey, 'hex'),
        )
        let answer
        let text = ''
        let chunks = 0
        if (c.mode === 'chat') {
          const client = new Client(guard, { ledger, trail, baseUrl: mock.base, backoffMs: 5, apiKeyFile: key })
          answer = await client.chat(c.principal, c.request)
          text = textOf(answer.response)
        } else if (c.mode === 'stream') {
          const client = new Client(guard, { ledger, trail, baseUrl: mock.base, backoffMs: 5, apiKeyFile: key })
          const stream = await client.stream(c.principal, c.request)
          for await (const chunk of stream) {
            chunks += 1
            text += chunk.choices?.[0]?.delta?.content ?? ''
          }
          answer = stream.answer
        } else if (c.mode === 'complete') {
          const begun = new Governor(guard, { ledger, trail }).begin(c.principal, c.request)
          if ('refused' in begun) {
            answer = begun.refused
          } else {
            const response = await fetch(`${mock.base}/chat/completions`, {
              method: 'POST',
              headers: { authorization: 'Bearer sk-or-v1-conformance', 'content-type': 'application/json' },
              body: begun.requestJson,
            })
            answer = begun.complete(response.status, await response.text())
            text = textOf(answer.response)
          }
        } else {
          assert.fail(`unknown mode ${c.mode}`)
        }
        assertLike(answer, c.expect, 'answer')
        if (c.expect_text !== undefined) assert.equal(text, c.expect_text, 'text')
        if (c.expect_chunks_min !== undefined) assert.ok(chunks >= c.expect_chunks_min, `${chunks} chunks`)
        if ('expect_sent' in c) {
          const sent = await mock.chatBodies()
          if (c.expect_sent === null) assert.equal(sent.length, 0, 'a request was sent')
          else {
            assert.ok(sent.length > 0, 'no request was sent')
            assertLike(sent.at(-1), c.expect_sent, 'sent')
          }
        }
        const lines = trail.lines().filter((line) => JSON.parse(line).kind === 'interaction')
        assert.equal(lines.length, 1, 'one interaction record')
        if (c.expect_record !== undefined) assertLike(JSON.parse(lines[0]), c.expect_record, 'record')
        for (const absent of c.expect_absent ?? []) {
          assert.ok(!lines[0].includes(absent), `the record holds ${absent}`)
          assert.ok(!JSON.stringify(answer).includes(absent), `the answer holds ${absent}`)
        }
        if (c.expect_spend_records !== undefined) assert.equal(ledger.records().length, c.expect_spend_records, 'settlements')
      })
    }
  },

  'policy/policy_errors.json': (doc) => {
    for (const c of doc.cases) {
      it(c.name, () => {
        const options = { catalog: POLICY_CATALOG }
        if ('json' in c) {
          assertRouteguardError(() => new Guard(c.json, options), c.expect.error)
        } else if ('yaml' in c) {
          assertRouteguardError(() => Guard.fromYaml(c.yaml, options), c.expect.error)
        } else {
          assert.fail('case has neither json nor yaml')
        }
      })
    }
  },
}

/** `actual` matches `expected` as everywhere in the corpus: objects on the keys given, lists in
 * length and order, other values equal. */
function assertLike(actual, expected, where) {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: not a list`)
    assert.equal(actual.length, expected.length, `${where}: length`)
    expected.forEach((e, i) => assertLike(actual[i], e, `${where}[${i}]`))
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${where}: not an object (${JSON.stringify(actual)})`)
    for (const [key, value] of Object.entries(expected)) assertLike(actual[key], value, `${where}.${key}`)
  } else {
    assert.deepEqual(actual, expected, where)
  }
}

function walk(dir, prefix = '') {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const rel = prefix + entry.name
      return entry.isDirectory() ? walk(path.join(dir, entry.name), rel + '/') : [rel]
    })
    .sort()
}

const files = walk(ROOT)

it('the corpus is there', () => {
  assert.ok(files.includes('errors.json') && files.includes('dlp/cases.json'), ROOT)
})

for (const rel of files) {
  if (NOT_CASES.has(rel)) continue
  describe(rel, () => {
    const runner = RUNNERS[rel]
    if (runner === undefined) {
      it('has a runner', () => assert.fail(`no Node runner for tests/conformance/${rel}`))
      return
    }
    const doc = JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8'))
    if (!NO_CASE_LIST.has(rel)) {
      it('has cases', () => assert.ok(Array.isArray(doc.cases) && doc.cases.length > 0))
    }
    runner(doc)
  })
}

'use strict'
// Budgets from Node: `Ledger` (reserve, settle, renew, status, records, report) on memory and
// SQLite, `guard.reserve` / `guard.settle`, the spend report and its CSV, and the ledger's errors;
// the `…Async` forms of all of them (same answers, same errors, on the thread pool).
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Worker } = require('node:worker_threads')
const { describe, it } = require('node:test')

const routeguard = require('routeguard')
const { Guard, Ledger, SpendReport, errorCodes, isRouteguardError } = routeguard

const T0 = 1795521600000 // 2026-11-24T12:00:00Z
const DAY = 86_400_000
const ALICE = { user: 'alice', workspace: 'eu' }
const CONFORMANCE = path.resolve(__dirname, '..', '..', 'tests', 'conformance')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-node-budget-'))

const cap = (limit, rule = 'users.alice.budgets[0]', extra = {}) => ({
  rule,
  subject: 'user:alice',
  window: 'monthly',
  limit_micros: limit,
  ...extra,
})

function throwsCode(fn, code) {
  assert.throws(fn, (e) => {
    assert.ok(isRouteguardError(e), String(e))
    assert.equal(e.code, code)
    assert.equal(e.number, errorCodes().find((c) => c.name === code).number)
    return true
  })
}

async function rejectsCode(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof Error)
    assert.ok(isRouteguardError(e), String(e))
    assert.equal(e.code, code)
    assert.equal(e.number, errorCodes().find((c) => c.name === code).number)
    return true
  })
}

let n = 0
const backends = {
  memory: () => new Ledger('memory:'),
  sqlite: () => Ledger.open(`sqlite:${path.join(tmp, `t${n++}.db`)}`),
}

for (const [backend, open] of Object.entries(backends)) {
  describe(`Ledger on ${backend}`, () => {
    it('names its backend', () => {
      assert.equal(open().backend, backend)
    })

    it('denies naming the cap and holds nothing on any cap', () => {
      const ledger = open()
      const caps = [cap(1_000_000), cap(500_000, 'workspaces.eu.budgets[0]')]
      const first = ledger.reserve(caps, 400_000, ALICE, null, T0)
      assert.equal(first.reserved, true)
      assert.equal(typeof first.id, 'string')
      const denied = ledger.reserve(caps, 200_000, ALICE, undefined, T0)
      assert.equal(denied.reserved, false)
      assert.equal(denied.id, null)
      assert.deepEqual(
        denied.denials.map((d) => d.cap.rule),
        ['workspaces.eu.budgets[0]'],
      )
      assert.equal(denied.denials[0].requested_micros, 200_000)
      assert.equal(denied.denials[0].cap.resets_at, '2026-12-01T00:00:00.000Z')
      assert.match(denied.denials[0].message, /workspaces\.eu\.budgets\[0\]/)
      assert.deepEqual(
        ledger.status(caps, T0).map((s) => [s.rule, s.reserved_micros]),
        [
          ['users.alice.budgets[0]', 400_000],
          ['workspaces.eu.budgets[0]', 400_000],
        ],
      )
    })

    it('settles the actual cost, releases the hold and lists the record', () => {
      const ledger = open()
      const caps = JSON.stringify([cap(1_000_000)])
      const r = ledger.reserve(caps, 300_000, JSON.stringify({ ...ALICE, model: 'anthropic/claude-sonnet-4' }), null, T0)
      const record = ledger.settle(r.id, { outcome: 'completed', actual_micros: 120_000, provider: 'anthropic' }, T0 + 1000)
      assert.equal(record.id, r.id)
      assert.deepEqual(
        [record.charged_micros, record.reserved_micros, record.actual_known, record.user, record.provider],
        [120_000, 300_000, true, 'alice', 'anthropic'],
      )
      const [status] = ledger.status(caps, T0 + 1000)
      assert.deepEqual([status.spent_micros, status.reserved_micros], [120_000, 0])
      assert.deepEqual(ledger.records(), [record])
      assert.deepEqual(ledger.records(T0 + 1001), [])
      assert.deepEqual(ledger.records(null, T0 + 1000), [])
      throwsCode(() => ledger.settle(r.id, '{"outcome": "completed"}', T0), 'already_settled')
    })

    it('renews a lease; an unrenewed lease lapses', () => {
      const ledger = open()
      const caps = [cap(1_000)]
      const r = ledger.reserve(caps, 800, ALICE, 1_000, T0)
      ledger.renew(r.id, 60_000, T0 + 500)
      assert.equal(ledger.reserve(caps, 800, ALICE, null, T0 + 5_000).reserved, false)
      const other = open()
      other.reserve(caps, 800, ALICE, 1_000, T0)
      assert.equal(other.reserve(caps, 800, ALICE, null, T0 + 5_000).reserved, true)
    })

    it('reports by provider with shares, HHI and CSV', () => {
      const ledger = open()
      const caps = [cap(10_000_000)]
      for (const [provider, model, actual] of [
        ['anthropic', 'anthropic/claude-sonnet-4', 600_000],
        ['google-vertex', 'anthropic/claude-sonnet-4', 300_000],
        ['anthropic', 'anthropic/claude-haiku', 100_000],
      ]) {
        const r = ledger.reserve(caps, actual * 2, { ...ALICE, model }, null, T0)
        ledger.settle(r.id, { outcome: 'completed', actual_micros: actual, provider, model }, T0)
      }
      const report = ledger.report('provider', 'month', T0)
      assert.ok(report instanceof SpendReport)
      assert.deepEqual([report.by, report.window, report.period], [['provider'], 'monthly', '2026-11'])
      assert.deepEqual(
        report.rows.map((r) => [r.key, r.requests, r.charged_micros, r.share_bp]),
        [
          [['anthropic'], 2, 700_000, 7000],
          [['google-vertex'], 1, 300_000, 3000],
        ],
      )
      assert.equal(report.total.charged_micros, 1_000_000)
      assert.deepEqual(
        report.providers.map((p) => p.provider),
        ['anthropic', 'google-vertex'],
      )
      assert.equal(report.hhi, 70 * 70 + 30 * 30)
      const lines = report.toCsv().trim().split('\n')
      assert.match(lines[0], /^provider,requests,estimate_usd,reserved_usd,charged_usd,/)
      assert.deepEqual(
        lines.slice(1).map((l) => l.split(',').slice(0, 2).concat(l.split(',')[4])),
        [
          ['anthropic', '2', '0.700000'],
          ['google-vertex', '1', '0.300000'],
          ['total', '3', '1.000000'],
        ],
      )
      assert.deepEqual(JSON.parse(JSON.stringify(report)), report.toJSON())
      assert.match(report.toTable(), /google-vertex/)
      // Defaults: by provider, this month, now; another month starts over.
      assert.deepEqual(ledger.report().by, ['provider'])
      assert.equal(ledger.report('provider,model', 'total', T0).rows[0].key.length, 2)
      assert.equal(ledger.report(undefined, undefined, T0 + 10 * DAY).total.requests, 0)
    })

    it('throws routeguard errors with codes', () => {
      const ledger = open()
      throwsCode(() => ledger.settle('no-such-id', { outcome: 'completed' }), 'unknown_reservation')
      throwsCode(() => ledger.renew('no-such-id', 1000), 'unknown_reservation')
      throwsCode(() => ledger.reserve([{ rule: 'r' }], 1, ALICE), 'invalid_argument')
      throwsCode(() => ledger.reserve([cap(1)], 1, { user: 'a' }), 'invalid_argument')
      throwsCode(() => ledger.reserve([cap(1)], -1, ALICE), 'invalid_argument')
      throwsCode(() => ledger.reserve([cap(1)], 1.5, ALICE), 'invalid_argument')
      throwsCode(() => ledger.reserve([cap(1)], 1, ALICE, null, 1e300), 'invalid_argument')
      throwsCode(() => ledger.reserve(42, 1, ALICE), 'invalid_argument')
      throwsCode(() => ledger.report('colour'), 'invalid_argument')
      throwsCode(() => ledger.report('provider', 'fortnight'), 'invalid_argument')
    })
  })
}

describe('opening a ledger', () => {
  it('rejects an unknown scheme and an unreachable store', () => {
    throwsCode(() => new Ledger('redis://x'), 'invalid_ledger_url')
    throwsCode(() => Ledger.open(`sqlite:${path.join(tmp, 'missing-dir', 'x.db')}`), 'ledger_unavailable')
  })
})

describe('async ledger calls (sqlite)', () => {
  const sqlite = () => Ledger.open(`sqlite:${path.join(tmp, `a${n++}.db`)}`)

  it('give the same answers as the sync forms', async () => {
    const [sync, async_] = [sqlite(), sqlite()]
    const caps = [cap(1_000_000), cap(500_000, 'workspaces.eu.budgets[0]')]
    const meta = { ...ALICE, model: 'anthropic/claude-sonnet-4' }
    const pending = async_.reserveAsync(caps, 300_000, meta, 1_000, T0)
    assert.ok(pending instanceof Promise)
    const [a, b] = [sync.reserve(caps, 300_000, meta, 1_000, T0), await pending]
    assert.equal(b.reserved, true)
    const strip = (o) => ({ ...o, id: typeof o.id })
    assert.deepEqual(strip(b), strip(a))
    assert.deepEqual(
      await async_.reserveAsync(JSON.stringify(caps), 300_000, JSON.stringify(meta), null, T0),
      { ...sync.reserve(caps, 300_000, meta, null, T0), id: null },
    )
    assert.equal(await async_.renewAsync(b.id, 60_000, T0 + 500), undefined)
    sync.renew(a.id, 60_000, T0 + 500)
    assert.deepEqual(await async_.statusAsync(caps, T0 + 5_000), sync.status(caps, T0 + 5_000))
    const settlement = { outcome: 'completed', actual_micros: 120_000, provider: 'anthropic' }
    const ra = sync.settle(a.id, settlement, T0 + 1000)
    const rb = await async_.settleAsync(b.id, JSON.stringify(settlement), T0 + 1000)
    assert.deepEqual({ ...rb, id: a.id }, ra)
    assert.deepEqual(await async_.recordsAsync(), [rb])
    assert.deepEqual(await async_.recordsAsync(T0 + 1001), [])
    assert.deepEqual(await async_.recordsAsync(null, T0 + 1001), [rb])
    const report = await async_.reportAsync('provider,model', 'month', T0)
    assert.ok(report instanceof SpendReport)
    const expected = sync.report('provider,model', 'month', T0)
    assert.deepEqual(report.toJSON(), expected.toJSON())
    assert.equal(report.toCsv(), expected.toCsv())
    assert.deepEqual((await async_.reportAsync()).by, ['provider'])
  })

  it('reject with the codes the sync forms throw', async () => {
    const ledger = sqlite()
    await rejectsCode(ledger.settleAsync('no-such-id', { outcome: 'completed' }), 'unknown_reservation')
    await rejectsCode(ledger.renewAsync('no-such-id', 1000), 'unknown_reservation')
    await rejectsCode(ledger.renewAsync('no-such-id', -1), 'invalid_argument')
    await rejectsCode(ledger.reserveAsync([{ rule: 'r' }], 1, ALICE), 'invalid_argument')
    await rejectsCode(ledger.reserveAsync([cap(1)], 1.5, ALICE), 'invalid_argument')
    await rejectsCode(ledger.reserveAsync([cap(1)], 1, ALICE, null, 1e300), 'invalid_argument')
    await rejectsCode(ledger.reserveAsync(42, 1, ALICE), 'invalid_argument')
    throwsCode(() => ledger.status('{not json'), 'invalid_argument')
    await rejectsCode(ledger.statusAsync('{not json'), 'invalid_argument')
    await rejectsCode(ledger.recordsAsync(0.5), 'invalid_argument')
    await rejectsCode(ledger.reportAsync('colour'), 'invalid_argument')
    await rejectsCode(ledger.reportAsync('provider', 'fortnight'), 'invalid_argument')
    const r = await ledger.reserveAsync([cap(10)], 5, ALICE, null, T0)
    await ledger.settleAsync(r.id, { outcome: 'completed' }, T0)
    await rejectsCode(ledger.settleAsync(r.id, '{"outcome": "completed"}', T0), 'already_settled')
  })

  it('concurrent reserveAsync calls on one small cap admit exactly as many as fit', async () => {
    const ledger = sqlite()
    const caps = [cap(1_000)]
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => ledger.reserveAsync(caps, 300, ALICE, null, T0)),
    )
    assert.equal(outcomes.filter((o) => o.reserved).length, 3)
    assert.ok(outcomes.filter((o) => !o.reserved).every((o) => o.denials[0].cap.rule === caps[0].rule))
    assert.equal(new Set(outcomes.filter((o) => o.reserved).map((o) => o.id)).size, 3)
    const [status] = await ledger.statusAsync(caps, T0)
    assert.equal(status.reserved_micros, 900)
  })
})

describe('racing reservations', () => {
  it('two threads never both take the last of a cap (SQLite, worker threads)', async () => {
    const file = path.join(tmp, 'race.db')
    new Ledger(`sqlite:${file}`) // creates the schema before the race
    const source = `
      const { parentPort, workerData } = require('node:worker_threads')
      const { Ledger } = require(workerData.module)
      const ledger = new Ledger(workerData.url)
      const flag = new Int32Array(workerData.start)
      Atomics.wait(flag, 0, 0)
      const out = ledger.reserve(workerData.caps, 600, { user: 'alice', workspace: 'eu' }, null, workerData.now)
      parentPort.postMessage(out.reserved)`
    const start = new SharedArrayBuffer(4)
    const workerData = { module: require.resolve('routeguard'), url: `sqlite:${file}`, caps: [cap(1_000)], now: T0, start }
    const workers = Array.from({ length: 6 }, () => new Worker(source, { eval: true, workerData }))
    const results = workers.map((w) => new Promise((resolve, reject) => w.once('message', resolve).once('error', reject)))
    await new Promise((resolve) => setTimeout(resolve, 200))
    Atomics.store(new Int32Array(start), 0, 1)
    Atomics.notify(new Int32Array(start), 0)
    const reserved = await Promise.all(results)
    await Promise.all(workers.map((w) => w.terminate()))
    assert.deepEqual(reserved.sort(), [false, false, false, false, false, true])
    const [status] = new Ledger(`sqlite:${file}`).status([cap(1_000)], T0)
    assert.equal(status.reserved_micros, 600)
  })
})

describe('through the guard', () => {
  const doc = JSON.parse(fs.readFileSync(path.join(CONFORMANCE, 'budget', 'guard.json'), 'utf8'))
  const catalog = fs.readFileSync(path.join(CONFORMANCE, 'policy', 'catalog.json'), 'utf8')
  const guard = new Guard(doc.policy, { catalog })
  const request = { model: 'anthropic/claude-sonnet-4', messages: [{ role: 'user', content: 'hello' }], max_tokens: 100 }
  const response = {
    id: 'gen-1',
    provider: 'Google Vertex',
    model: 'anthropic/claude-sonnet-4',
    choices: [],
    usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30, cost: 0.00014 },
  }
  const prepared = () => guard.prepare(ALICE, request).prepared

  it('reserves the estimate and settles the billed cost', () => {
    const ledger = new Ledger('memory:')
    const r = guard.reserve(ledger, ALICE, prepared(), null, T0)
    assert.equal(r.reserved, true)
    assert.equal(r.estimate.reserve_micros, r.amount_micros)
    assert.deepEqual(
      r.caps.map((c) => c.rule),
      ['defaults.budgets[0]', 'workspaces.eu.budgets[0]'],
    )
    const record = guard.settle(ledger, r.id, response, 'completed', T0)
    assert.deepEqual([record.charged_micros, record.provider, record.actual_known], [140, 'google-vertex', true])
    // No response: the reservation is charged, the actual cost unknown; outcome defaults.
    const r2 = guard.reserve(ledger, JSON.stringify(ALICE), prepared(), 5_000, T0)
    const record2 = guard.settle(ledger, r2.id)
    assert.deepEqual([record2.charged_micros, record2.actual_known, record2.outcome], [r2.amount_micros, false, 'completed'])
  })

  it('denies once the daily cap is spent, and starts over the next day', () => {
    const ledger = new Ledger('memory:')
    const p = prepared()
    const outcomes = Array.from({ length: 5 }, () => guard.reserve(ledger, ALICE, p, null, T0))
    const denied = outcomes.filter((o) => !o.reserved)
    assert.ok(denied.length > 0)
    assert.equal(denied[0].denials[0].cap.rule, 'workspaces.eu.budgets[0]')
    assert.equal(guard.reserve(ledger, ALICE, p, null, T0 + DAY).reserved, true)
  })

  it('throws on bad input', () => {
    const ledger = new Ledger('memory:')
    throwsCode(() => guard.settle(ledger, 'nope', response), 'unknown_reservation')
    const r = guard.reserve(ledger, ALICE, prepared())
    throwsCode(() => guard.settle(ledger, r.id, response, 'exploded'), 'invalid_argument')
    throwsCode(() => guard.settle(ledger, r.id, '{not json'), 'invalid_json')
    throwsCode(() => guard.reserve(ledger, ALICE, { request }), 'invalid_argument')
    throwsCode(() => guard.reserve(ledger, { user: 'mallory', workspace: 'nowhere' }, prepared()), 'invalid_argument')
    assert.throws(() => guard.reserve({}, ALICE, prepared()))
  })

  it('reserveAsync and settleAsync answer as the sync forms and reject with codes', async () => {
    const [sync, async_] = ['s', 'a'].map((k) => Ledger.open(`sqlite:${path.join(tmp, `g${k}${n++}.db`)}`))
    const p = prepared()
    const a = guard.reserve(sync, ALICE, p, null, T0)
    const b = await guard.reserveAsync(async_, JSON.stringify(ALICE), p, null, T0)
    assert.equal(b.reserved, true)
    assert.deepEqual({ ...b, id: a.id }, a)
    const ra = guard.settle(sync, a.id, response, 'completed', T0)
    const rb = await guard.settleAsync(async_, b.id, JSON.stringify(response), 'completed', T0)
    assert.deepEqual({ ...rb, id: ra.id }, ra)
    const b2 = await guard.reserveAsync(async_, ALICE, p, 5_000, T0)
    const rb2 = await guard.settleAsync(async_, b2.id)
    assert.deepEqual([rb2.charged_micros, rb2.actual_known, rb2.outcome], [b2.amount_micros, false, 'completed'])
    await rejectsCode(guard.settleAsync(async_, 'nope', response), 'unknown_reservation')
    const r = await guard.reserveAsync(async_, ALICE, p)
    await rejectsCode(guard.settleAsync(async_, r.id, response, 'exploded'), 'invalid_argument')
    await rejectsCode(guard.settleAsync(async_, r.id, '{not json'), 'invalid_json')
    await rejectsCode(guard.reserveAsync(async_, ALICE, { request }), 'invalid_argument')
    await rejectsCode(guard.reserveAsync(async_, { user: 'mallory', workspace: 'nowhere' }, p), 'invalid_argument')
    await rejectsCode(guard.reserveAsync(async_, ALICE, p, -5), 'invalid_argument')
  })
})

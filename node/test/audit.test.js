'use strict'
// The audit trail from JavaScript: a JSON Lines trail written, closed and verified, then tampered
// with; callback sinks that fail closed or open; search and export; keys as bytes or hex; the
// async forms; records written through the guard; and secrets kept out of error messages. The
// conformance corpus (tests/conformance/audit) checks the bytes of the records case by case.
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const util = require('node:util')
const { describe, it } = require('node:test')

const {
  AuditTrail,
  Guard,
  auditExport,
  auditExportAsync,
  auditSearch,
  auditSearchAsync,
  auditVerify,
  auditVerifyAsync,
  auditVerifyText,
  auditVerifyTextAsync,
  canonicalJson,
  errorCodes,
  isRouteguardError,
} = require('routeguard')

const CHAIN_KEY = '6b6579206f6620746865207472616e732d6c616e67756167652074657374732121'
const SIGNING_KEY = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'
const PUBLIC_KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'
const T0 = 1795608900000

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rg-node-audit-'))
}

function assertCode(fn, code) {
  assert.throws(fn, (e) => {
    assert.ok(isRouteguardError(e), `${e}`)
    assert.equal(e.code, code, e.message)
    assert.equal(e.number, errorCodes().find((c) => c.name === code).number)
    return true
  })
  try {
    fn()
  } catch (e) {
    return e
  }
}

/** An interaction event of `user` served by `provider`. */
function event(user, provider, extra = {}) {
  return {
    outcome: 'allowed',
    principal: { user, workspace: 'eu' },
    model: { requested: 'anthropic/claude-sonnet-4', served: 'anthropic/claude-sonnet-4' },
    routing: { served_provider: provider },
    prompt: [{ role: 'user', content: `hello from ${user}` }],
    tokens: { prompt: 10, completion: 2 },
    ...extra,
  }
}

/** Writes three interactions (alice twice) to a JSONL trail in a new directory and closes it. */
function writeJsonlLog() {
  const dir = tempDir()
  const trail = AuditTrail.open({ sink: { type: 'jsonl', path: dir }, writer: 'node.test.1' }, CHAIN_KEY, SIGNING_KEY)
  assert.equal(trail.writer, 'node.test.1')
  assert.equal(trail.publicKey, PUBLIC_KEY)
  const receipts = [
    trail.write(event('alice', 'google-vertex'), T0),
    trail.write(event('bob', 'mistral'), T0 + 1000),
    trail.write(event('alice', 'mistral'), T0 + 2000),
  ]
  const close = trail.close(T0 + 3000)
  return { dir, receipts, close }
}

function logFile(dir) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl'))
  assert.equal(files.length, 1, files.join())
  return path.join(dir, files[0])
}

describe('a JSON Lines trail', () => {
  it('writes receipts, closes, and verifies intact', async () => {
    const { dir, receipts, close } = writeJsonlLog()
    assert.deepEqual(
      receipts.map((r) => [r.writer, r.status, r.seq]),
      [
        ['node.test.1', 'written', 0],
        ['node.test.1', 'written', 1],
        ['node.test.1', 'written', 2],
      ],
    )
    for (const r of receipts) {
      assert.match(r.mac, /^[0-9a-f]{64}$/)
      assert.equal(JSON.parse(r.line).mac, r.mac)
    }
    assert.equal(close.seq, 3)
    assert.equal(JSON.parse(close.line).checkpoint.reason, 'close')
    const lines = fs.readFileSync(logFile(dir), 'utf8')
    assert.equal(lines, [...receipts, close].map((r) => `${r.line}\n`).join(''))

    const report = auditVerify(dir, CHAIN_KEY, PUBLIC_KEY)
    assert.equal(report.status, 'intact', JSON.stringify(report.problems))
    assert.equal(report.records, 3)
    assert.equal(report.checkpoints, 1)
    assert.equal(report.signatures_checked, true)
    assert.equal(report.first_bad, null)
    assert.equal(report.exit_code, 0)
    assert.deepEqual(report.writers.map((w) => [w.writer, w.closed]), [['node.test.1', true]])
    // The file itself, the key as bytes, and off the main thread, verify alike.
    assert.deepEqual(auditVerify(logFile(dir), Buffer.from(CHAIN_KEY, 'hex'), Buffer.from(PUBLIC_KEY, 'hex')), report)
    assert.deepEqual(await auditVerifyAsync(dir, CHAIN_KEY, PUBLIC_KEY), report)
    assert.deepEqual(auditVerifyText(lines, CHAIN_KEY).signatures_checked, false)
    assert.equal((await auditVerifyTextAsync(Buffer.from(lines), CHAIN_KEY, PUBLIC_KEY)).status, 'intact')
  })

  it('reports a changed byte as tampered at its line', async () => {
    const { dir } = writeJsonlLog()
    const file = logFile(dir)
    const bytes = fs.readFileSync(file)
    // A byte inside the second line's content: `bob` becomes `cob`.
    const at = bytes.indexOf('"user":"bob"') + '"user":"'.length
    assert.ok(at > bytes.indexOf('\n'), 'the change is on line 2')
    bytes[at] = 'c'.charCodeAt(0)
    fs.writeFileSync(file, bytes)
    const report = auditVerify(dir, CHAIN_KEY, PUBLIC_KEY)
    assert.equal(report.status, 'tampered')
    assert.equal(report.exit_code, 1)
    assert.equal(report.first_bad.kind, 'bad_mac')
    assert.equal(report.first_bad.line, 2)
    assert.equal(report.first_bad.tamper, true)
    assert.equal(path.basename(report.first_bad.source), path.basename(file))
    assert.equal((await auditVerifyAsync(dir, CHAIN_KEY, PUBLIC_KEY)).first_bad.line, 2)
  })

  it('reports a cut tail as incomplete, and another key as tampered', () => {
    const { dir } = writeJsonlLog()
    const file = logFile(dir)
    const text = fs.readFileSync(file, 'utf8')
    assert.equal(auditVerifyText(text.slice(0, -20), CHAIN_KEY).status, 'incomplete')
    assert.equal(auditVerifyText(text.slice(0, -20), CHAIN_KEY).exit_code, 4)
    const other = auditVerify(dir, 'ab'.repeat(32))
    assert.equal(other.status, 'tampered')
    assert.equal(other.first_bad.kind, 'bad_mac')
    assert.equal(other.first_bad.line, 1)
  })

  it('searches by user, provider and time', async () => {
    const { dir } = writeJsonlLog()
    const alice = auditSearch(dir, { user: 'alice' })
    assert.deepEqual(
      alice.map((r) => [r.seq, r.principal.user, r.routing.served_provider]),
      [
        [0, 'alice', 'google-vertex'],
        [2, 'alice', 'mistral'],
      ],
    )
    assert.deepEqual(auditSearch(dir, { provider: 'mistral' }).map((r) => r.seq), [1, 2])
    assert.deepEqual(auditSearch(dir, '{"user": "alice", "provider": "mistral"}').map((r) => r.seq), [2])
    assert.deepEqual(auditSearch(dir, { since_ms: T0 + 1000, until_ms: T0 + 2000 }).map((r) => r.seq), [1])
    assert.deepEqual(auditSearch(dir).map((r) => r.kind), ['interaction', 'interaction', 'interaction'])
    assert.deepEqual(auditSearch(dir, { all_kinds: true }).map((r) => r.kind).at(-1), 'checkpoint')
    assert.deepEqual(auditSearch(dir, { user: 'carol' }), [])
    assert.deepEqual(await auditSearchAsync(dir, { user: 'alice' }), alice)
    // Stored as the default mode says: the prompt's HMAC, not its text.
    assert.equal(alice[0].prompt.mode, 'hash')
    assert.ok(!JSON.stringify(alice).includes('hello from'))
    assertCode(() => auditSearch(dir, { colour: 'blue' }), 'invalid_argument')
  })

  it('exports CSV with a header and a row per interaction, and OCSF', async () => {
    const { dir } = writeJsonlLog()
    const csv = auditExport(dir, 'csv')
    const rows = csv.trimEnd().split('\n')
    assert.equal(rows.length, 1 + 3, csv)
    assert.match(rows[0], /user/)
    assert.ok(rows[1].includes('alice') && rows[1].includes('google-vertex'), rows[1])
    assert.ok(rows[2].includes('bob'), rows[2])
    assert.equal(await auditExportAsync(dir, 'csv'), csv)
    const ocsf = auditExport(dir, 'ocsf').trimEnd().split('\n').map((l) => JSON.parse(l))
    assert.equal(ocsf.length, 3)
    assertCode(() => auditExport(dir, 'xml'), 'invalid_argument')
    await assert.rejects(auditExportAsync(dir, 'xml'), { code: 'invalid_argument' })
  })

  it('throws audit_unreadable for a log that is not there', async () => {
    const missing = path.join(tempDir(), 'nothing-here')
    assertCode(() => auditVerify(missing, CHAIN_KEY), 'audit_unreadable')
    await assert.rejects(auditVerifyAsync(missing, CHAIN_KEY), { code: 'audit_unreadable' })
    assertCode(() => auditSearch(missing), 'audit_unreadable')
  })
})

describe('a memory trail', () => {
  const config = { sink: { type: 'memory' }, writer: 'mem.1', checkpoint_every: 0, checkpoint_interval_ms: 0 }

  it('keeps its lines; keys as bytes and as hex write the same bytes', () => {
    const run = (chain, signing) => {
      const trail = AuditTrail.open(config, chain, signing)
      trail.write(event('alice', 'mistral'), T0)
      trail.checkpoint(T0 + 1)
      trail.flush(T0 + 2)
      trail.close(T0 + 3)
      return trail.lines()
    }
    const hex = run(CHAIN_KEY, SIGNING_KEY)
    assert.equal(hex.length, 3)
    assert.deepEqual(run(Buffer.from(CHAIN_KEY, 'hex'), new Uint8Array(Buffer.from(SIGNING_KEY, 'hex'))), hex)
    assert.deepEqual(run(JSON.stringify(config) && CHAIN_KEY, SIGNING_KEY), hex)
    assert.equal(auditVerifyText(hex.map((l) => `${l}\n`).join(''), CHAIN_KEY, PUBLIC_KEY).status, 'intact')
  })

  it('is the same opened from JSON text; without a signing key it has no public key', () => {
    const trail = AuditTrail.open(JSON.stringify(config), CHAIN_KEY)
    assert.equal(trail.publicKey, null)
    assert.equal(util.inspect(trail), 'AuditTrail { writer: "mem.1" }')
    assert.equal(trail.write(event('a', 'b'), T0).status, 'written')
  })

  it('throws on bad events and after close', () => {
    const trail = AuditTrail.open(config, CHAIN_KEY)
    assertCode(() => trail.write({ outcome: 'allowed', colour: 'blue' }, T0), 'invalid_audit_record')
    assertCode(() => trail.write('{not json', T0), 'invalid_audit_record')
    assertCode(() => trail.write(42, T0), 'invalid_argument')
    assertCode(() => trail.write({}, 1.5), 'invalid_argument')
    trail.close(T0)
    assertCode(() => trail.write(event('a', 'b'), T0), 'audit_trail_closed')
  })

  it('has async write and close', async () => {
    const trail = AuditTrail.open(config, CHAIN_KEY, SIGNING_KEY)
    const first = await trail.writeAsync(event('alice', 'mistral'), T0)
    assert.equal(first.status, 'written')
    const writes = await Promise.all([1, 2, 3].map((i) => trail.writeAsync(event(`u${i}`, 'mistral'), T0 + i)))
    assert.deepEqual(writes.map((r) => r.seq).sort(), [1, 2, 3])
    assert.equal((await trail.closeAsync(T0 + 10)).seq, 4)
    await assert.rejects(trail.writeAsync(event('a', 'b')), { code: 'audit_trail_closed' })
    await assert.rejects(trail.writeAsync('{oops'), { code: 'invalid_audit_record' })
    assert.equal(auditVerifyText(trail.lines().join('\n') + '\n', CHAIN_KEY, PUBLIC_KEY).status, 'intact')
  })

  it('gives lines only for a memory sink', () => {
    const trail = AuditTrail.open({ sink: { type: 'jsonl', path: tempDir() } }, CHAIN_KEY)
    assertCode(() => trail.lines(), 'invalid_argument')
    trail.close()
  })
})

describe('a callback sink', () => {
  const config = { sink: { type: 'callback' }, writer: 'cb.1', checkpoint_every: 0, checkpoint_interval_ms: 0 }

  it('calls the function synchronously with each line', () => {
    const seen = []
    const trail = AuditTrail.open(config, CHAIN_KEY, SIGNING_KEY, (line) => seen.push(line))
    const receipt = trail.write(event('alice', 'mistral'), T0)
    assert.deepEqual(seen, [receipt.line])
    const close = trail.close(T0 + 1)
    assert.deepEqual(seen, [receipt.line, close.line])
    assert.equal(JSON.parse(seen[0]).sdk.language, 'node')
  })

  it('fails closed when the function throws: audit_unavailable, named by class only', () => {
    class SinkDown extends Error {}
    let fail = false
    const seen = []
    const trail = AuditTrail.open(config, CHAIN_KEY, null, (line) => {
      if (fail) throw new SinkDown('disk full while writing sk-or-v1-secret-token')
      seen.push(line)
    })
    trail.write(event('alice', 'mistral'), T0)
    fail = true
    const e = assertCode(() => trail.write(event('bob', 'mistral'), T0 + 1), 'audit_unavailable')
    assert.match(e.message, /SinkDown/)
    assert.ok(!e.message.includes('secret'), e.message)
    assert.ok(!e.message.includes('disk full'), e.message)
    // A thrown non-Error, a returned promise: failures too.
    const thrower = AuditTrail.open(config, CHAIN_KEY, null, () => {
      throw 'sk-or-v1-secret-token'
    })
    const e2 = assertCode(() => thrower.write(event('a', 'b'), T0), 'audit_unavailable')
    assert.ok(!e2.message.includes('secret'), e2.message)
    const promised = AuditTrail.open(config, CHAIN_KEY, null, async () => {})
    assertCode(() => promised.write(event('a', 'b'), T0), 'audit_unavailable')
    // No gap: the next write after the sink recovers continues the chain.
    fail = false
    trail.write(event('carol', 'mistral'), T0 + 2)
    trail.close(T0 + 3)
    assert.equal(seen.length, 3)
    assert.equal(auditVerifyText(seen.map((l) => `${l}\n`).join(''), CHAIN_KEY).status, 'intact')
  })

  it('fails open under on_sink_error: allow, and records the outage', () => {
    let fail = true
    const seen = []
    const trail = AuditTrail.open({ ...config, on_sink_error: 'allow' }, CHAIN_KEY, null, (line) => {
      if (fail) throw new TypeError('down')
      seen.push(line)
    })
    assert.equal(trail.write(event('alice', 'mistral'), T0).status, 'delayed')
    fail = false
    trail.flush(T0 + 1)
    trail.close(T0 + 2)
    const kinds = seen.map((l) => JSON.parse(l).kind)
    assert.ok(kinds.includes('notice'), kinds.join())
    assert.equal(auditVerifyText(seen.map((l) => `${l}\n`).join(''), CHAIN_KEY).status, 'intact')
  })

  it('refuses the async forms and calls from inside the function', async () => {
    let trail = null
    let inner = null
    trail = AuditTrail.open(config, CHAIN_KEY, null, () => {
      if (inner === null) {
        try {
          trail.write(event('nested', 'x'), T0)
          inner = 'wrote'
        } catch (e) {
          inner = e.code
        }
      }
    })
    await assert.rejects(trail.writeAsync(event('a', 'b'), T0), { code: 'invalid_argument', message: /callback/ })
    await assert.rejects(trail.closeAsync(T0), { code: 'invalid_argument' })
    assert.equal(trail.write(event('a', 'b'), T0).status, 'written')
    assert.equal(inner, 'invalid_argument')
    trail.close(T0)
  })

  it('needs a function exactly when the sink is a callback', () => {
    assertCode(() => AuditTrail.open(config, CHAIN_KEY), 'invalid_argument')
    assertCode(() => AuditTrail.open(config, CHAIN_KEY, null, 'not a function'), 'invalid_argument')
    assertCode(() => AuditTrail.open({ sink: { type: 'memory' } }, CHAIN_KEY, null, () => {}), 'invalid_argument')
  })
})

describe('keys and secrets', () => {
  it('rejects bad keys without showing them', () => {
    const shortKey = 'abad1dea'
    const e = assertCode(() => AuditTrail.open({ sink: { type: 'memory' } }, shortKey), 'audit_key_invalid')
    assert.ok(!e.message.includes(shortKey), e.message)
    const e2 = assertCode(() => auditVerifyText('', 'cafe'.repeat(16), 'beef'), 'audit_key_invalid')
    assert.ok(!e2.message.includes('beef'), e2.message)
    assertCode(() => AuditTrail.open({ sink: { type: 'memory' } }, 12345), 'invalid_argument')
    const e3 = assertCode(() => AuditTrail.open({ sink: { type: 'memory' } }, { key: 'sk-secret-value' }), 'invalid_argument')
    assert.ok(!e3.message.includes('sk-secret-value'), e3.message)
  })

  it('keeps database passwords out of errors', async () => {
    const url = 'postgres://auditor:pw-s3cr3t@127.0.0.1:1/audit'
    const e = assertCode(() => AuditTrail.open({ sink: { type: 'postgres', url } }, CHAIN_KEY), 'audit_unavailable')
    assert.ok(!e.message.includes('pw-s3cr3t'), e.message)
    const e2 = assertCode(() => auditVerify(url, CHAIN_KEY), 'audit_unreadable')
    assert.ok(!e2.message.includes('pw-s3cr3t'), e2.message)
    await assert.rejects(auditSearchAsync(url), (err) => {
      assert.equal(err.code, 'audit_unreadable')
      assert.ok(!err.message.includes('pw-s3cr3t'), err.message)
      return true
    })
  })
})

describe('through the guard', () => {
  const policy = {
    version: 1,
    defaults: {
      models: { allow: ['anthropic/*'] },
      audit: {
        sink: { type: 'callback' },
        chain_key: { env: 'RG_NODE_TEST_AUDIT_CHAIN_KEY' },
        signing_key: { env: 'RG_NODE_TEST_AUDIT_SIGNING_KEY' },
        prompt: 'redacted',
      },
    },
    workspaces: { eu: {} },
    users: { alice: {} },
  }
  process.env.RG_NODE_TEST_AUDIT_CHAIN_KEY = CHAIN_KEY
  process.env.RG_NODE_TEST_AUDIT_SIGNING_KEY = SIGNING_KEY
  const guard = new Guard(policy)
  const alice = { user: 'alice', workspace: 'eu' }
  const request = { model: 'anthropic/claude-sonnet-4', messages: [{ role: 'user', content: 'Mail jane.doe@example.com' }] }

  it('opens the policy\'s trail and writes one record per interaction', async () => {
    const seen = []
    const trail = guard.openAuditTrail((line) => seen.push(line))
    assert.equal(trail.publicKey, PUBLIC_KEY)
    const allowed = guard.prepare(alice, request)
    assert.equal(allowed.allowed, true)
    const receipt = guard.audit(trail, alice, request, allowed, { latency_ms: 12, id: 'i-1' }, T0)
    assert.deepEqual(seen, [receipt.line])
    const record = JSON.parse(receipt.line)
    assert.equal(record.outcome, 'allowed')
    assert.equal(record.id, 'i-1')
    assert.deepEqual(record.principal, { user: 'alice', workspace: 'eu' })
    assert.equal(record.sdk.language, 'node')
    assert.equal(record.prompt.mode, 'redacted')
    assert.ok(!receipt.line.includes('jane.doe@example.com'), receipt.line)

    const denied = await guard.prepareAsync(alice, { model: 'openai/gpt-4o', messages: [] })
    assert.equal(denied.allowed, false)
    const deniedRecord = JSON.parse(guard.audit(trail, alice, { model: 'openai/gpt-4o', messages: [] }, denied).line)
    assert.equal(deniedRecord.outcome, 'denied')
    assert.ok(deniedRecord.decision.reasons.length > 0)
    trail.close()
    assert.equal(auditVerifyText(seen.map((l) => `${l}\n`).join(''), CHAIN_KEY, PUBLIC_KEY).status, 'intact')
  })

  it('needs the decision object prepare returned', () => {
    const trail = AuditTrail.open({ sink: { type: 'memory' } }, CHAIN_KEY)
    const decision = guard.prepare(alice, request)
    for (const copy of [{ ...decision }, JSON.parse(JSON.stringify(decision)), null, 'allowed']) {
      assertCode(() => guard.audit(trail, alice, request, copy), 'invalid_argument')
    }
    assertCode(() => guard.audit(trail, alice, request, decision, { colour: 'blue' }), 'invalid_argument')
    assert.equal(guard.audit(trail, alice, request, decision, '{"latency_ms": 3}').status, 'written')
  })

  it('fails closed when the trail\'s callback throws', () => {
    const trail = guard.openAuditTrail(() => {
      throw new RangeError('no')
    })
    const decision = guard.prepare(alice, request)
    const e = assertCode(() => guard.audit(trail, alice, request, decision), 'audit_unavailable')
    assert.match(e.message, /RangeError/)
  })

  it('needs defaults.audit to open a trail', () => {
    const bare = new Guard({ version: 1, defaults: { models: { allow: ['*'] } } })
    assertCode(() => bare.openAuditTrail(), 'invalid_argument')
  })
})

describe('canonicalJson', () => {
  it('sorts keys and writes numbers as ECMAScript does', () => {
    assert.equal(canonicalJson('{"b": 1, "a": [1.50, 1e21, "\\u00e9"]}'), '{"a":[1.5,1e+21,"é"],"b":1}')
    assert.equal(canonicalJson({ b: { d: 1, c: 2 }, a: null }), '{"a":null,"b":{"c":2,"d":1}}')
    assert.equal(canonicalJson([3, 'x']), '[3,"x"]')
    assertCode(() => canonicalJson('{nope'), 'invalid_json')
    assertCode(() => canonicalJson(7), 'invalid_argument')
  })
})

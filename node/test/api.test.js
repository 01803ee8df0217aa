'use strict'
// The Node API beyond the corpus: offsets in UTF-16 units, errors with .code/.number, async calls
// off the main thread, vaults, streams, configuration sources and the generated typings.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { describe, it } = require('node:test')

const routeguard = require('routeguard')
const { Scanner, Vault, errorCodes, isRouteguardError } = routeguard

const CARD = '4111 1111 1111 1111'
const EMAIL = 'jane.doe@example.com'
const KEY = 'sk-or-v1-' + '0123456789abcdef'.repeat(4)
const CARDS_ONLY = { builtin: { enable: ['credit_card'] } }

function codeNumber(name) {
  return errorCodes().find((c) => c.name === name).number
}

/** Asserts that `error` is routeguard's error with this code and that its message does not leak
 * any of `secrets`. */
function isError(code, ...secrets) {
  return (error) => {
    assert.ok(error instanceof Error, 'an Error')
    assert.equal(error.code, code)
    assert.equal(error.number, codeNumber(code))
    assert.ok(isRouteguardError(error))
    assert.match(error.message, new RegExp(`^${code} \\(${error.number}\\): `))
    for (const secret of secrets) assert.ok(!error.message.includes(secret), 'message leaks input')
    return true
  }
}

describe('offsets', () => {
  const scanner = new Scanner()

  it('are UTF-16 units, so slicing the string gives the match (emoji, CJK, astral)', () => {
    const text = `🙂🙂 客户 ${EMAIL}，卡号 ${CARD} 𝄞 end`
    const found = scanner.scan(text)
    assert.deepEqual(
      found.map((f) => [f.detector, text.slice(f.start, f.end)]),
      [
        ['email_address', EMAIL],
        ['credit_card', CARD],
      ],
    )
    const bytes = Buffer.from(text)
    for (const f of found) {
      assert.equal(bytes.subarray(f.byteStart, f.byteEnd).toString(), text.slice(f.start, f.end))
      assert.ok(f.byteStart > f.start, 'bytes count multi-byte characters')
      assert.equal(f.kind, 'pii')
      assert.ok(f.confidence > 0 && f.confidence <= 1)
    }
  })

  it('of applied actions point into the input and the output', () => {
    const text = `🙂 ${CARD} / ${EMAIL}`
    const r = scanner.redact(text, { action: 'redact' })
    assert.equal(r.text, '🙂 [CREDIT_CARD] / [EMAIL_ADDRESS]')
    for (const a of r.applied) {
      assert.equal(r.text.slice(a.outputStart, a.outputEnd), `[${a.category}]`)
      assert.ok([CARD, EMAIL].includes(text.slice(a.start, a.end)))
    }
  })

  it('of a stream count from the start of the whole stream', () => {
    const stream = new Scanner(CARDS_ONLY).stream({ action: 'log' })
    const chunks = ['🙂 paid with 4111 11', '11 1111 1111, 🙂 and again ', CARD, ' done']
    const steps = [...chunks.map((c) => stream.push(c)), stream.finish()]
    const whole = chunks.join('')
    assert.equal(steps.map((s) => s.text).join(''), whole)
    const found = steps.flatMap((s) => s.findings)
    assert.deepEqual(
      found.map((f) => whole.slice(f.start, f.end)),
      [CARD, CARD],
    )
  })
})

describe('errors', () => {
  it('carry the code name, the number and no input', () => {
    const scanner = new Scanner()
    assert.throws(() => scanner.redact(`my card ${CARD}`, { action: 'shred' }), isError('invalid_argument', CARD))
    assert.throws(() => new Scanner('{"builtin": '), isError('invalid_config'))
    assert.throws(() => Scanner.fromYaml('builtin:\n  enable: [nope]\n'), isError('unknown_detector'))
    assert.throws(
      () => scanner.scanRequest(`{"model": "x", "messages": "${CARD}"}`),
      isError('invalid_request', CARD),
    )
  })

  it('reject async calls the same way', async () => {
    const scanner = new Scanner()
    await assert.rejects(scanner.redactAsync(`card ${CARD}`, { action: 'shred' }), isError('invalid_argument', CARD))
    await assert.rejects(scanner.scanRequestAsync(`{"messages": [${CARD}`), isError('invalid_json', CARD))
  })

  it('come from a stream used after finish', () => {
    const stream = new Scanner().stream()
    stream.push('hello')
    assert.equal(stream.finish().text, 'hello')
    assert.throws(() => stream.push('more'), isError('invalid_argument'))
    assert.throws(() => stream.finish(), isError('invalid_argument'))
  })

  it('come from an object that is not JSON', () => {
    const cyclic = { model: 'x', messages: [] }
    cyclic.self = cyclic
    assert.throws(() => new Scanner().scanRequest(cyclic), isError('invalid_argument'))
    assert.throws(() => new Scanner({ big: 1n }), isError('invalid_argument'))
  })

  it('come from arguments of the wrong type, without echoing them', () => {
    const scanner = new Scanner()
    const message = { role: 'user', content: `card ${CARD}` }
    assert.throws(() => scanner.scan(message), isError('invalid_argument', CARD))
    assert.throws(() => scanner.redact(message), isError('invalid_argument', CARD))
    assert.throws(() => scanner.redact('x', { action: [CARD] }), isError('invalid_argument', CARD))
    assert.throws(() => scanner.redact('x', 'redact'), isError('invalid_argument'))
    assert.throws(() => scanner.redact('x', { hashKey: 5 }), isError('invalid_argument'))
    assert.throws(() => scanner.redact('x', { vault: {} }), isError('invalid_argument'))
    assert.throws(() => scanner.stream().push([CARD]), isError('invalid_argument', CARD))
    assert.throws(() => scanner.scanRequest(42), isError('invalid_argument'))
    assert.throws(() => new Scanner(42), isError('invalid_argument'))
    assert.throws(() => new Vault().restore(null), isError('invalid_argument'))
    assert.throws(() => Scanner.fromYaml(), isError('invalid_argument'))
    assert.throws(() => Scanner.fromFile([CARD]), isError('invalid_argument', CARD))
  })

  it('reject async calls for arguments of the wrong type too', async () => {
    const scanner = new Scanner()
    await assert.rejects(scanner.scanAsync([CARD]), isError('invalid_argument', CARD))
    await assert.rejects(scanner.redactAsync('x', { action: 7 }), isError('invalid_argument'))
    await assert.rejects(scanner.scanRequestAsync(true), isError('invalid_argument'))
  })

  it('isRouteguardError tells them apart from other values', () => {
    for (const value of [
      new Error('x'),
      Object.assign(new Error('x'), { code: 'invalid_config', number: 1 }),
      Object.assign(new Error('x'), { code: 'ENOENT', number: 2000 }),
      { code: 'invalid_config' },
      null,
      undefined,
      'invalid_config',
      2000,
    ]) {
      assert.equal(isRouteguardError(value), false, String(value))
    }
    assert.equal(isRouteguardError({ code: 'invalid_config', number: 2000 }), true)
  })

  it('table names are the RouteguardErrorCode union of index.d.ts', () => {
    const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')
    const union = dts.match(/export type RouteguardErrorCode =([^\n]+)/)[1]
    const names = [...union.matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1])
    assert.deepEqual(names, errorCodes().map((c) => c.name))
  })
})

describe('async calls', () => {
  // A big text keeps the worker busy; the main thread counts event-loop turns meanwhile.
  const big = `${'lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(60000)} ${CARD}`

  async function loopTurnsWhile(promise) {
    let settled = false
    let turns = 0
    const done = promise.finally(() => {
      settled = true
    })
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve))
      turns += 1
    }
    return { value: await done, turns }
  }

  it('let the event loop run while they work, and agree with the sync calls', async () => {
    const scanner = new Scanner(CARDS_ONLY)
    const { value, turns } = await loopTurnsWhile(scanner.scanAsync(big))
    assert.ok(turns > 1, `the loop turned ${turns} times during the scan`)
    assert.deepEqual(value, scanner.scan(big))
    assert.equal(big.slice(value[0].start, value[0].end), CARD)

    // A sync call holds the thread: no turn happens before its result is there.
    let turned = false
    setImmediate(() => {
      turned = true
    })
    scanner.redact(big)
    assert.equal(turned, false)
  })

  it('share one vault safely', async () => {
    const scanner = new Scanner()
    const vault = new Vault()
    const texts = Array.from({ length: 40 }, (_, i) => `mail user${i % 10}@example.com and ${EMAIL}`)
    const results = await Promise.all(texts.map((t) => scanner.redactAsync(t, { action: 'pseudonymize', vault })))
    assert.equal(vault.size, 11)
    for (const [i, r] of results.entries()) {
      assert.equal(vault.restore(r.text), texts[i])
      assert.ok(!r.text.includes('@'))
    }
    assert.equal(new Set(results.map((r) => r.text.split(' and ')[1])).size, 1, 'one token per value')
  })
})

describe('scanner', () => {
  it('is built from an object, JSON text, YAML text or a file alike', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'routeguard-node-'))
    try {
      const json = path.join(dir, 'dlp.json')
      const yaml = path.join(dir, 'dlp.yml')
      fs.writeFileSync(json, JSON.stringify(CARDS_ONLY))
      fs.writeFileSync(yaml, 'builtin:\n  enable: [credit_card]\n')
      const scanners = [
        new Scanner(CARDS_ONLY),
        new Scanner(JSON.stringify(CARDS_ONLY)),
        Scanner.fromYaml('builtin:\n  enable: [credit_card]\n'),
        Scanner.fromFile(json),
        Scanner.fromFile(yaml),
      ]
      for (const s of scanners) {
        assert.deepEqual(s.detectors().map((d) => d.id), ['credit_card'])
        assert.equal(s.redact(`${CARD} ${EMAIL}`).text, `**** **** **** **** ${EMAIL}`)
      }
      assert.throws(() => Scanner.fromFile(path.join(dir, 'missing.yml')), isError('config_file_unreadable'))
    } finally {
      fs.rmSync(dir, { recursive: true })
    }
  })

  it('lists its detectors, custom ones included', () => {
    const all = new Scanner().detectors()
    assert.ok(all.length >= 160)
    const card = all.find((d) => d.id === 'credit_card')
    assert.equal(card.kind, 'pii')
    assert.equal(card.builtin, true)
    assert.equal(card.country, undefined)
    assert.ok(all.some((d) => d.kind === 'secret' && d.defaultAction === 'block'))
    assert.ok(all.some((d) => d.country === 'US'))

    const custom = new Scanner({
      builtin: { enable: [] },
      custom: [{ id: 'employee_id', category: 'EMPLOYEE_ID', pattern: 'EMP-[0-9]{6}' }],
    }).detectors()
    assert.deepEqual(
      custom.map((d) => [d.id, d.builtin]),
      [['employee_id', false]],
    )
    assert.ok(new Scanner().streamHoldback > 0)
  })

  it('applies keyed hashes with a string or a byte key alike, and blocks secrets', () => {
    const scanner = new Scanner()
    const text = `key ${KEY} mail ${EMAIL}`
    const viaString = scanner.redact(text, { action: 'hash', hashKey: 'k1' })
    const viaBytes = scanner.redact(text, { action: 'hash', hashKey: Buffer.from('k1') })
    assert.equal(viaString.text, viaBytes.text)
    assert.notEqual(viaString.text, scanner.redact(text, { action: 'hash', hashKey: 'k2' }).text)
    const byDefault = scanner.redact(text)
    assert.equal(byDefault.blocked, true)
    assert.ok(!byDefault.text.includes(KEY))
  })

  it('scans a chat request given as an object and returns an object', () => {
    const scan = new Scanner().scanRequest(
      { model: 'x/y', messages: [{ role: 'user', content: `card ${CARD}` }] },
      { action: 'redact' },
    )
    assert.deepEqual(scan.request, { model: 'x/y', messages: [{ role: 'user', content: 'card [CREDIT_CARD]' }] })
    assert.equal(scan.findings[0].path, '/messages/0/content')
    assert.deepEqual(scan.inlineData, [])
  })

  it('builds records with exactly the fields of their index.d.ts interfaces, in order', () => {
    const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')
    const fields = (name) => {
      const body = dts.match(new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`))[1]
      return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1])
    }
    const scanner = new Scanner()
    const text = `card ${CARD}`
    assert.deepEqual(Object.keys(scanner.scan(text)[0]), fields('Finding'))
    const r = scanner.redact(text)
    assert.deepEqual(Object.keys(r), fields('Redaction'))
    assert.deepEqual(Object.keys(r.applied[0]), fields('Applied'))
    const stream = scanner.stream()
    stream.push(text)
    const last = stream.finish()
    assert.deepEqual(Object.keys(last), fields('Released'))
    assert.deepEqual(Object.keys(last.findings[0]), fields('Finding'))
    const scan = scanner.scanRequest({ model: 'x/y', messages: [{ role: 'user', content: text }] })
    assert.deepEqual(Object.keys(scan), fields('RequestScan'))
    assert.deepEqual(Object.keys(scan.findings[0]), fields('RequestFinding'))
    assert.deepEqual(Object.keys(scanner.detectors()[0]).sort(), fields('Detector').filter((f) => f !== 'country').sort())
  })

  it('exports exactly the documented names', () => {
    assert.equal(routeguard.__napiBindingTarget, 'native')
    assert.deepEqual(
      Object.keys(routeguard)
        .filter((k) => typeof routeguard[k] === 'function')
        .sort(),
      [
        'AuditTrail',
        'Call',
        'ChatStream',
        'Client',
        'Governor',
        'Guard',
        'Ledger',
        'NativeCall',
        'NativeChatStream',
        'NativeClient',
        'NativeGovernor',
        'Prepared',
        'Scanner',
        'SpendReport',
        'Stream',
        'Vault',
        'auditExport',
        'auditExportAsync',
        'auditSearch',
        'auditSearchAsync',
        'auditVerify',
        'auditVerifyAsync',
        'auditVerifyText',
        'auditVerifyTextAsync',
        'canonicalJson',
        'errorCodes',
        'isRouteguardError',
      ],
    )
  })
})

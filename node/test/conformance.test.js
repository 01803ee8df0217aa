'use strict'
// Runs every case of every file of tests/conformance/ against the Node package. The directory is
// walked, so a file the lead adds later is picked up; a file without a runner here fails.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { describe, it } = require('node:test')

const { Scanner, Vault, errorCodes, isRouteguardError } = require('routeguard')

const ROOT = path.resolve(__dirname, '..', '..', 'tests', 'conformance')

/** Files that hold no cases for a binding (documentation, CLI input, benchmark input). */
const NOT_CASES = new Set(['README.md', 'dlp/sample.jsonl', 'dlp/bench-prompt.txt'])

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

function assertRouteguardError(fn, code) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error)
    assert.equal(e.code, code)
    assert.equal(e.number, errorCodes().find((c) => c.name === code).number)
    assert.ok(isRouteguardError(e))
    return true
  })
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
    if (rel !== 'errors.json') {
      it('has cases', () => assert.ok(Array.isArray(doc.cases) && doc.cases.length > 0))
    }
    runner(doc)
  })
}

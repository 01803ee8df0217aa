'use strict'
// Guard: policy decisions before a request leaves (prepare) and of what served it (verify).
// The conformance corpus (tests/conformance/policy) checks the decisions case by case; these tests
// check the JavaScript surface: constructors and catalogue sources, argument errors, denials as
// values, DLP options, async calls, the JSON form, and the README's EU scenario over the built-in
// catalogue.
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const util = require('node:util')
const { describe, it } = require('node:test')

const { Guard, Prepared, Vault, isRouteguardError } = require('routeguard')

const REPO = path.resolve(__dirname, '..', '..')
const POLICY_DIR = path.join(REPO, 'tests', 'conformance', 'policy')
const CATALOG_TEXT = fs.readFileSync(path.join(POLICY_DIR, 'catalog.json'), 'utf8')
const CATALOG = JSON.parse(CATALOG_TEXT)
const CORPUS_EU = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, 'prepare.json'), 'utf8')).policies.eu

/** The README's scenario: an EU workspace, over the built-in catalogue. */
const EU_POLICY = {
  version: 1,
  defaults: { models: { allow: ['anthropic/*', 'openai/*', 'mistralai/*'] } },
  workspaces: { eu: { providers: { processing: ['EU'] } } },
  users: { alice: {} },
}
const ALICE = { user: 'alice', workspace: 'eu' }

function chat(model, content = 'hello') {
  return { model, messages: [{ role: 'user', content }] }
}

function response(provider, model = 'anthropic/claude-sonnet-4') {
  return { id: 'gen-1', model, provider, choices: [{ message: { role: 'assistant', content: 'hi there' } }] }
}

function assertCode(fn, code) {
  assert.throws(fn, (e) => {
    assert.ok(isRouteguardError(e), `${e}`)
    assert.equal(e.code, code, e.message)
    return true
  })
}

describe('the EU scenario over the built-in catalogue', () => {
  const guard = new Guard(EU_POLICY)

  it('sends only EU endpoints in provider.only', () => {
    const decision = guard.prepare(ALICE, chat('anthropic/claude-sonnet-4'))
    assert.equal(decision.allowed, true)
    assert.deepEqual(decision.reasons, [])
    const { prepared } = decision
    assert.ok(prepared instanceof Prepared)
    assert.ok(prepared.providers.length > 0)
    assert.deepEqual(prepared.request.provider.only, prepared.providers)
    assert.deepEqual(prepared.models, ['anthropic/claude-sonnet-4'])
    // The snapshot's Anthropic endpoint (US) is not among them.
    assert.ok(!prepared.providers.includes('anthropic'), prepared.providers.join())
  })

  it('denies a model without an EU endpoint before sending, naming the rule', () => {
    const decision = guard.prepare(ALICE, chat('openai/gpt-4o'))
    assert.equal(decision.allowed, false)
    assert.equal(decision.prepared, null)
    assert.equal(decision.reasons[0].code, 'no_compliant_endpoint')
    assert.equal(decision.reasons[0].rule, 'workspaces.eu.providers.processing')
    assert.equal(decision.reasons[0].shadow, false)
    assert.equal(typeof decision.reasons[0].message, 'string')
  })

  it('withholds a response served in the US and passes one served in the EU', () => {
    const { prepared } = guard.prepare(ALICE, chat('anthropic/claude-sonnet-4'))
    const us = guard.verify(prepared, response('Anthropic'))
    assert.equal(us.allowed, false)
    assert.equal(us.withheld, true)
    assert.equal(us.provider, 'anthropic')
    assert.equal(us.model, 'anthropic/claude-sonnet-4')
    assert.deepEqual(us.reasons.map((r) => r.code), ['provider_violation'])
    assert.deepEqual(us.response.choices, [])

    // OpenRouter reports Vertex under the display name "Google".
    const eu = guard.verify(prepared, response('Google'))
    assert.equal(eu.allowed, true)
    assert.equal(eu.withheld, false)
    assert.equal(eu.provider, 'google-vertex')
    assert.deepEqual(eu.response, response('Google'))
  })

  it('removes a fallback model with no EU endpoint', () => {
    const request = { ...chat('anthropic/claude-sonnet-4'), models: ['anthropic/claude-sonnet-4', 'openai/gpt-4o'] }
    const decision = guard.prepare(ALICE, request)
    assert.equal(decision.allowed, true)
    assert.deepEqual(decision.prepared.models, ['anthropic/claude-sonnet-4'])
    assert.deepEqual(decision.prepared.request.models, ['anthropic/claude-sonnet-4'])
    assert.deepEqual(decision.notices.map((n) => n.code), ['fallback_removed'])
  })

  it('denies unknown users and workspaces as a decision, not an error', () => {
    const decision = guard.prepare({ user: 'mallory', workspace: 'us' }, chat('anthropic/claude-sonnet-4'))
    assert.equal(decision.allowed, false)
    assert.deepEqual(decision.reasons.map((r) => r.code), ['unknown_workspace', 'unknown_user'])
    assert.equal(decision.policyHash, guard.policyHash)
  })
})

describe('building a guard', () => {
  it('takes the policy as an object, JSON text or YAML, with one hash for one document', () => {
    const fromObject = new Guard(CORPUS_EU, { catalog: CATALOG })
    const fromText = new Guard(JSON.stringify(CORPUS_EU), { catalog: CATALOG_TEXT })
    assert.match(fromObject.policyHash, /^sha256:[0-9a-f]{64}$/)
    assert.equal(fromText.policyHash, fromObject.policyHash)
    const yaml = Guard.fromYaml('version: 1\ndefaults:\n  models:\n    allow: ["*"]\nworkspaces: {w: {}}\nusers: {u: {}}\n')
    assert.equal(yaml.prepare({ user: 'u', workspace: 'w' }, chat('anthropic/claude-sonnet-4')).allowed, true)
  })

  it('reads the example policy file', () => {
    const guard = Guard.fromFile(path.join(REPO, 'examples', 'policy.yaml'))
    assert.match(guard.policyHash, /^sha256:/)
    assertCode(() => Guard.fromFile(path.join(REPO, 'examples', 'no-such-policy.yaml')), 'config_file_unreadable')
  })

  it('reads a catalogue directory of API responses like the same snapshot', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'routeguard-node-catalog-'))
    try {
      const write = (rel, value) => {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
        fs.writeFileSync(path.join(dir, rel), JSON.stringify(value))
      }
      write('meta.json', { snapshot_date: CATALOG.snapshot_date, notes: CATALOG.notes })
      for (const name of ['providers', 'models', 'zdr', 'data_policies', 'endpoint_regions']) {
        write(`${name}.json`, CATALOG[name])
      }
      for (const [id, body] of Object.entries(CATALOG.endpoints)) write(`endpoints/${id}.json`, body)

      const fromDir = new Guard(CORPUS_EU, { catalogDir: dir })
      const fromSnapshot = new Guard(CORPUS_EU, { catalog: CATALOG })
      for (const model of Object.keys(CATALOG.endpoints)) {
        const a = fromDir.prepare(ALICE, chat(model))
        const b = fromSnapshot.prepare(ALICE, chat(model))
        assert.deepEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)), model)
      }
      assertCode(() => new Guard(CORPUS_EU, { catalogDir: path.join(dir, 'missing') }), 'config_file_unreadable')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('maps policy and catalogue errors to the error table', () => {
    assertCode(() => new Guard('{"version": 1,'), 'invalid_policy')
    assertCode(() => Guard.fromYaml('version: 7\n'), 'unsupported_policy_version')
    assertCode(() => new Guard({ version: 1 }, { catalog: { providers: 1 } }), 'invalid_catalog')
    assertCode(() => new Guard({ version: 1, defaults: { providers: { allow: ['nowhere'] } } }), 'unknown_provider')
  })

  it('rejects arguments of the wrong type as invalid_argument', () => {
    assertCode(() => new Guard(42), 'invalid_argument')
    assertCode(() => new Guard({ version: 1 }, 'catalog.json'), 'invalid_argument')
    assertCode(() => new Guard({ version: 1 }, { catalog: 5 }), 'invalid_argument')
    assertCode(() => new Guard({ version: 1 }, { catalog: CATALOG, catalogDir: '/tmp' }), 'invalid_argument')
    assertCode(() => Guard.fromFile(undefined), 'invalid_argument')
    assertCode(() => Guard.fromYaml({ version: 1 }), 'invalid_argument')
    // `null` and `undefined` options mean the built-in catalogue.
    assert.equal(new Guard(EU_POLICY, null).policyHash, new Guard(EU_POLICY, { catalog: null }).policyHash)
  })

  it('hands out Prepared only from decisions', () => {
    assert.throws(() => new Prepared())
  })
})

describe('prepare and verify arguments', () => {
  const guard = new Guard(CORPUS_EU, { catalog: CATALOG })

  it('takes the principal and request as objects or JSON text', () => {
    const a = guard.prepare(ALICE, chat('anthropic/claude-sonnet-4'))
    const b = guard.prepare(JSON.stringify(ALICE), JSON.stringify(chat('anthropic/claude-sonnet-4')))
    assert.deepEqual(JSON.parse(JSON.stringify(b)), JSON.parse(JSON.stringify(a)))
    const groups = guard.prepare({ ...ALICE, groups: ['staff'], tags: { team: 'x' } }, chat('anthropic/claude-sonnet-4'))
    assert.equal(groups.allowed, true)
  })

  it('rejects bad principals, requests and options', async () => {
    const request = chat('anthropic/claude-sonnet-4')
    assertCode(() => guard.prepare({ user: 'alice' }, request), 'invalid_argument')
    assertCode(() => guard.prepare({ ...ALICE, role: 'admin' }, request), 'invalid_argument')
    assertCode(() => guard.prepare(7, request), 'invalid_argument')
    assertCode(() => guard.prepare(ALICE, 7), 'invalid_argument')
    assertCode(() => guard.prepare(ALICE, request, 'key'), 'invalid_argument')
    assertCode(() => guard.prepare(ALICE, request, { hashKey: 5 }), 'invalid_argument')
    assertCode(() => guard.prepare(ALICE, '{"model": '), 'invalid_json')
    assertCode(() => guard.prepare(ALICE, { messages: [] }), 'invalid_request')
    // Async calls reject (never throw) on the same mistakes.
    await assert.rejects(guard.prepareAsync({ user: 'alice' }, request), { code: 'invalid_argument' })
    await assert.rejects(guard.prepareAsync(ALICE, '{"model": '), { code: 'invalid_json' })
  })

  it('verifies only a Prepared', async () => {
    const { prepared } = guard.prepare(ALICE, chat('anthropic/claude-sonnet-4'))
    assertCode(() => guard.verify(prepared.toJSON(), response('Google Vertex')), 'invalid_argument')
    assertCode(() => guard.verify(null, response('Google Vertex')), 'invalid_argument')
    assertCode(() => guard.verify(new Vault(), response('Google Vertex')), 'invalid_argument')
    assertCode(() => guard.verify(prepared, 3), 'invalid_argument')
    assertCode(() => guard.verify(prepared, '{"choices": '), 'invalid_json')
    await assert.rejects(guard.verifyAsync({}, '{}'), { code: 'invalid_argument' })
  })

  it('keeps messages free of the request content', () => {
    const secret = 'sk-or-v1-' + '0123456789abcdef'.repeat(4)
    const denied = guard.prepare(ALICE, chat('anthropic/claude-sonnet-4', `key ${secret}`))
    assert.equal(denied.allowed, false)
    assert.deepEqual(denied.reasons.map((r) => r.code), ['dlp_blocked'])
    assert.ok(!JSON.stringify(denied).includes(secret))
    assert.throws(
      () => guard.prepare(ALICE, `{"model": "${secret}`),
      (e) => e.code === 'invalid_json' && !e.message.includes(secret),
    )
  })
})

describe('DLP options of prepare', () => {
  const policy = {
    version: 1,
    defaults: {
      models: { allow: ['*'] },
      dlp: {
        scanner: {
          builtin: { enable: ['email_address', 'credit_card'] },
          actions: { EMAIL_ADDRESS: 'pseudonymize', credit_card: 'hash' },
        },
      },
    },
    workspaces: { w: {} },
    users: { u: {} },
  }
  const guard = new Guard(policy)
  const who = { user: 'u', workspace: 'w' }

  it('pseudonymises into the given vault, which restores the reply', () => {
    const vault = new Vault()
    const decision = guard.prepare(who, chat('anthropic/claude-sonnet-4', 'mail jane.doe@example.com'), { vault })
    const sent = decision.prepared.request.messages[0].content
    assert.equal(sent, 'mail <EMAIL_ADDRESS_1>')
    assert.equal(vault.size, 1)
    assert.equal(vault.restore(`Hello ${sent.slice(5)}`), 'Hello jane.doe@example.com')
    assert.deepEqual(decision.prepared.findings, [
      { path: '/messages/0/content', detector: 'email_address', category: 'EMAIL_ADDRESS', action: 'pseudonymize' },
    ])
  })

  it('hashes with the key as a string or as its UTF-8 bytes, and needs one', () => {
    const request = chat('anthropic/claude-sonnet-4', 'card 4111 1111 1111 1111')
    const a = guard.prepare(who, request, { hashKey: 'secret key' }).prepared.request.messages[0].content
    const b = guard.prepare(who, request, { hashKey: new TextEncoder().encode('secret key') }).prepared
    assert.match(a, /^card <CREDIT_CARD:[0-9a-f]+>$/)
    assert.equal(b.request.messages[0].content, a)
    assert.notEqual(guard.prepare(who, request, { hashKey: 'other' }).prepared.request.messages[0].content, a)
    assertCode(() => guard.prepare(who, request), 'missing_key')
  })
})

describe('Prepared and the JSON form', () => {
  const guard = new Guard(CORPUS_EU, { catalog: CATALOG })

  it('is immutable: request reads give fresh copies of the same JSON', () => {
    const { prepared } = guard.prepare(ALICE, chat('anthropic/claude-sonnet-4'))
    const copy = prepared.request
    copy.model = 'changed'
    assert.equal(prepared.request.model, 'anthropic/claude-sonnet-4')
    assert.equal(prepared.requestJson, JSON.stringify(prepared.request))
    assert.equal(guard.verify(prepared, response('Google Vertex')).allowed, true)
  })

  it('writes decisions as plain JSON and shows Prepared in util.inspect', () => {
    const decision = guard.prepare(ALICE, chat('anthropic/claude-sonnet-4'))
    const json = JSON.parse(JSON.stringify(decision))
    assert.deepEqual(Object.keys(json), ['allowed', 'reasons', 'notices', 'policyHash', 'prepared'])
    assert.deepEqual(Object.keys(json.prepared), ['request', 'models', 'providers', 'findings'])
    assert.deepEqual(json.prepared.request, decision.prepared.request)
    assert.deepEqual(json.prepared.providers, ['amazon-bedrock/eu-central-1', 'google-vertex/europe-west1'])
    const shown = util.inspect(decision.prepared, { depth: 4 })
    assert.match(shown, /^Prepared \{/)
    assert.ok(shown.includes('google-vertex/europe-west1'), shown)
    const denied = JSON.parse(JSON.stringify(guard.prepare({ user: 'x', workspace: 'eu' }, chat('anthropic/claude-sonnet-4'))))
    assert.equal(denied.prepared, null)
  })
})

describe('records', () => {
  it('have exactly the fields of their index.d.ts interfaces, in order', () => {
    const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')
    const fields = (name) => {
      const body = dts.match(new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`))[1]
      return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1])
    }
    const guard = new Guard(CORPUS_EU, { catalog: CATALOG })
    const decision = guard.prepare(ALICE, chat('anthropic/claude-sonnet-4', 'card 4111 1111 1111 1111'))
    assert.deepEqual(Object.keys(decision), fields('Decision'))
    assert.deepEqual(Object.keys(decision.prepared.toJSON()), fields('PreparedJson'))
    assert.deepEqual(Object.keys(decision.prepared.findings[0]), fields('PreparedFinding'))
    const verification = guard.verify(decision.prepared, response('Anthropic'))
    assert.deepEqual(Object.keys(verification), fields('Verification'))
    assert.deepEqual(Object.keys(verification.reasons[0]), fields('Reason'))
    // A denial and an unknown provider still carry every field, with null where nothing is known.
    assert.deepEqual(Object.keys(guard.prepare({ user: 'x', workspace: 'y' }, chat('a/b'))), fields('Decision'))
    const unknown = guard.verify(decision.prepared, { choices: [] })
    assert.deepEqual(Object.keys(unknown), fields('Verification'))
    assert.equal(unknown.provider, null)
    assert.equal(unknown.model, null)
  })
})

describe('async calls', () => {
  const policy = structuredClone(CORPUS_EU)
  policy.defaults.dlp.scanner.actions = { EMAIL_ADDRESS: 'pseudonymize' }
  const guard = new Guard(policy, { catalog: CATALOG })

  it('decide and verify like the synchronous calls, concurrently on one guard and one vault', async () => {
    const vault = new Vault()
    const requests = Array.from({ length: 24 }, (_, i) =>
      chat(i % 3 === 2 ? 'deepseek/deepseek-chat' : 'anthropic/claude-sonnet-4', `mail user${i % 4}@example.com`),
    )
    const decisions = await Promise.all(requests.map((r) => guard.prepareAsync(ALICE, r, { vault })))
    assert.equal(vault.size, 4) // one token per address; denied requests add none
    decisions.forEach((d, i) => {
      const sync = guard.prepare(ALICE, requests[i], { vault })
      assert.deepEqual(JSON.parse(JSON.stringify(d)), JSON.parse(JSON.stringify(sync)), `request ${i}`)
    })
    const allowed = decisions.filter((d) => d.allowed)
    assert.equal(allowed.length, 16)
    const verified = await Promise.all(allowed.map((d) => guard.verifyAsync(d.prepared, response('Amazon Bedrock'))))
    for (const v of verified) {
      assert.equal(v.allowed, true)
      assert.equal(v.provider, 'amazon-bedrock')
    }
  })
})

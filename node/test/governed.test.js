'use strict'
// The governed call from Node against the local OpenRouter stand-in: `Client.chat`/`chatSync`,
// `Client.stream` (async iteration, the answer after the end or at once for a refusal, leaving
// the loop cancels), `Governor.begin` + `Call.complete`/`fail`, and the errors.
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { after, before, describe, it } = require('node:test')

const { AuditTrail, ChatStream, Call, Client, Governor, Guard, Ledger, isRouteguardError } = require('routeguard')
const { keyFile, startMock } = require('./support/mock-openrouter.js')

const CORPUS = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'tests', 'conformance', 'governed', 'calls.json'), 'utf8'),
)
const EU_POLICY = CORPUS.policies.eu
const ALICE = { user: 'alice', workspace: 'eu' }
const SONNET = 'anthropic/claude-sonnet-4'
const ask = (content, extra = {}) => ({ model: SONNET, messages: [{ role: 'user', content }], max_tokens: 100, ...extra })

let mock
let key
before(async () => {
  mock = await startMock()
  key = keyFile()
})
after(() => mock.stop())

/** A guard, a memory ledger, a memory trail and a client against the stand-in. */
function setup(options = {}) {
  const guard = new Guard(EU_POLICY)
  const ledger = new Ledger('memory:')
  const trail = AuditTrail.open({ sink: { type: 'memory' }, writer: 'node.governed' }, 'ab'.repeat(32))
  const client = new Client(guard, { ledger, trail, baseUrl: mock.base, apiKeyFile: key, backoffMs: 5, ...options })
  return { guard, ledger, trail, client }
}

const interactions = (trail) =>
  trail
    .lines()
    .map((line) => JSON.parse(line))
    .filter((r) => r.kind === 'interaction')

describe('Client.chat', () => {
  it('sends inside the policy, settles and records once', async () => {
    await mock.reset()
    await mock.script([{ content: 'Bonjour from Frankfurt' }])
    const { client, ledger, trail } = setup()
    assert.equal(client.baseUrl, mock.base)
    const answer = await client.chat(ALICE, ask('Hi'))
    assert.equal(answer.allowed, true)
    assert.equal(answer.status, 200)
    assert.equal(answer.response.choices[0].message.content, 'Bonjour from Frankfurt')
    assert.equal(answer.spend.outcome, 'completed')
    assert.equal(answer.audit.status, 'written')
    assert.deepEqual((await mock.chatBodies())[0].provider.only, ['google-vertex/europe-west1'])
    assert.equal(ledger.records().length, 1)
    assert.equal(interactions(trail).length, 1)
    assert.equal(interactions(trail)[0].outcome, 'allowed')
  })

  it('denies a model outside the policy without sending anything', async () => {
    await mock.reset()
    const { client, trail } = setup()
    const answer = await client.chat(ALICE, { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hi' }] })
    assert.equal(answer.allowed, false)
    assert.equal(answer.reasons[0].code, 'model_not_allowed')
    assert.equal(answer.response, null)
    assert.equal(answer.status, null)
    assert.deepEqual(await mock.chatBodies(), [])
    assert.equal(interactions(trail)[0].outcome, 'denied')
  })

  it('chatSync works, with a callback audit sink too (the async forms refuse it)', async () => {
    await mock.reset()
    const lines = []
    const guard = new Guard(EU_POLICY)
    const trail = AuditTrail.open({ sink: { type: 'callback' } }, 'cd'.repeat(32), null, (line) => lines.push(line))
    const client = new Client(guard, { trail, baseUrl: mock.base, apiKeyFile: key })
    const answer = client.chatSync(ALICE, JSON.stringify(ask('Hi')))
    assert.equal(answer.allowed, true)
    assert.equal(answer.response.choices[0].message.content, 'mock reply to 1 message')
    assert.equal(lines.filter((l) => JSON.parse(l).kind === 'interaction').length, 1)
    await assert.rejects(client.chat(ALICE, ask('Hi')), (e) => isRouteguardError(e) && e.code === 'invalid_argument')
  })

  it('an upstream error is an answer with OpenRouter status and body', async () => {
    await mock.reset()
    await mock.script([{ status: 402 }])
    const { client } = setup()
    const answer = await client.chat(ALICE, ask('Hi'))
    assert.equal(answer.allowed, false)
    assert.equal(answer.status, 402)
    assert.equal(answer.reasons[0].code, 'upstream_error')
    assert.equal(answer.response.error.code, 402)
  })
})

describe('Client.stream', () => {
  it('passes the chunks as they come, then the answer', async () => {
    await mock.reset()
    await mock.script([{ content: 'one two three four five', chunk_size: 4 }])
    const { client, ledger, trail } = setup()
    const stream = await client.stream(ALICE, ask('Hi', { stream: true }))
    assert.ok(stream instanceof ChatStream)
    assert.equal(stream.answer, null)
    assert.equal(stream.refused, false)
    let text = ''
    let chunks = 0
    for await (const chunk of stream) {
      chunks += 1
      text += chunk.choices?.[0]?.delta?.content ?? ''
    }
    assert.equal(text, 'one two three four five')
    assert.ok(chunks >= 6, `${chunks} chunks`)
    const answer = stream.answer
    assert.equal(answer.allowed, true)
    assert.equal(answer.stream, true)
    assert.equal(answer.spend.outcome, 'streamed')
    assert.equal(await stream.next(), null)
    assert.equal(ledger.records().length, 1)
    assert.equal(interactions(trail).length, 1)
  })

  it('a refusal has its answer at once and no chunks', async () => {
    await mock.reset()
    const { client } = setup()
    const stream = await client.stream(ALICE, { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hi' }], stream: true })
    assert.equal(stream.refused, true)
    assert.equal(stream.answer.reasons[0].code, 'model_not_allowed')
    for await (const chunk of stream) assert.fail(`a chunk: ${JSON.stringify(chunk)}`)
    assert.deepEqual(await mock.chatBodies(), [])
  })

  it('leaving the loop early cancels: settled and recorded as cancelled', async () => {
    await mock.reset()
    await mock.script([{ content: 'x'.repeat(400), chunk_size: 2 }])
    const { client, ledger, trail } = setup()
    const stream = await client.stream(ALICE, ask('Hi', { stream: true }))
    let chunks = 0
    for await (const chunk of stream) {
      assert.ok(chunk.choices)
      if (++chunks === 3) break
    }
    const answer = stream.answer
    assert.ok(answer !== null, 'the answer once cancelled')
    assert.equal(answer.spend.outcome, 'cancelled')
    assert.equal(ledger.records().length, 1)
    const records = interactions(trail)
    assert.equal(records.length, 1)
    assert.equal(records[0].error.code, 'cancelled')
    await stream.cancel() // a second cancel is a no-op
  })

  it('cancel() ends a stream read with next()', async () => {
    await mock.reset()
    await mock.script([{ content: 'y'.repeat(200), chunk_size: 2 }])
    const { client, trail } = setup()
    const stream = await client.stream(ALICE, ask('Hi', { stream: true }))
    assert.ok((await stream.next()).choices)
    await stream.cancel()
    assert.equal(await stream.next(), null)
    assert.equal(stream.answer.spend.outcome, 'cancelled')
    assert.equal(interactions(trail).length, 1)
  })
})

describe('Governor', () => {
  it('begin gives the request to send; complete settles and records', async () => {
    await mock.reset()
    await mock.script([{ content: 'sent by the caller' }])
    const guard = new Guard(EU_POLICY)
    const ledger = new Ledger('memory:')
    const trail = AuditTrail.open({ sink: { type: 'memory' } }, 'ab'.repeat(32))
    const call = new Governor(guard, { ledger, trail }).begin(ALICE, ask('Hi'))
    assert.ok(call instanceof Call)
    assert.deepEqual(call.request.provider.only, ['google-vertex/europe-west1'])
    assert.deepEqual(JSON.parse(call.requestJson), call.request)
    const response = await fetch(`${mock.base}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-or-v1-x', 'content-type': 'application/json' },
      body: call.requestJson,
    })
    const answer = call.complete(response.status, await response.json())
    assert.equal(answer.allowed, true)
    assert.equal(answer.response.choices[0].message.content, 'sent by the caller')
    assert.equal(ledger.records().length, 1)
    assert.equal(interactions(trail).length, 1)
    assert.throws(() => call.complete(200, '{}'), (e) => isRouteguardError(e) && e.code === 'invalid_argument')
  })

  it('a refusal is {refused: answer}', () => {
    const trail = AuditTrail.open({ sink: { type: 'memory' } }, 'ab'.repeat(32))
    const begun = new Governor(new Guard(EU_POLICY), { trail }).begin(ALICE, { model: 'openai/gpt-4o', messages: [] })
    assert.deepEqual(Object.keys(begun), ['refused'])
    assert.equal(begun.refused.allowed, false)
    assert.equal(begun.refused.reasons[0].code, 'model_not_allowed')
    assert.equal(interactions(trail)[0].outcome, 'denied')
  })

  it('fail records the caller failure once', () => {
    const trail = AuditTrail.open({ sink: { type: 'memory' } }, 'ab'.repeat(32))
    const call = new Governor(new Guard(EU_POLICY), { trail }).begin(ALICE, ask('Hi'))
    call.fail('connection reset')
    const records = interactions(trail)
    assert.equal(records.length, 1)
    assert.notEqual(records[0].outcome, 'allowed')
    assert.throws(() => call.fail('again'), (e) => isRouteguardError(e) && e.code === 'invalid_argument')
  })
})

describe('errors', () => {
  it('no key: missing_api_key; unknown option: TypeError', () => {
    const guard = new Guard(EU_POLICY)
    assert.throws(
      () => new Client(guard, { baseUrl: mock.base, apiKeyEnv: 'ROUTEGUARD_TEST_NO_SUCH_KEY_VAR' }),
      (e) => isRouteguardError(e) && e.code === 'missing_api_key',
    )
    assert.throws(() => new Client(guard, { apiKey: 'sk-or-v1-nope' }), TypeError)
    assert.throws(() => new Governor(guard, { baseUrl: mock.base }), TypeError)
  })

  it('the key comes from the environment too', async () => {
    await mock.reset()
    process.env.ROUTEGUARD_NODE_TEST_KEY = 'sk-or-v1-from-env'
    const client = new Client(new Guard(EU_POLICY), { baseUrl: mock.base, apiKeyEnv: 'ROUTEGUARD_NODE_TEST_KEY' })
    assert.equal((await client.chat(ALICE, ask('Hi'))).allowed, true)
  })

  it('an unreachable OpenRouter rejects with transport_failed, never quoting the prompt or key', async () => {
    const client = new Client(new Guard(EU_POLICY), {
      baseUrl: 'http://127.0.0.1:1/api/v1',
      apiKeyFile: keyFile('sk-or-v1-secret-key-value'),
      maxRetries: 0,
      connectTimeoutMs: 500,
    })
    await assert.rejects(client.chat(ALICE, ask('my secret prompt text')), (e) => {
      assert.ok(isRouteguardError(e))
      assert.equal(e.code, 'transport_failed')
      assert.ok(!e.message.includes('my secret prompt text'))
      assert.ok(!e.message.includes('secret-key-value'))
      return true
    })
    const { inspect } = require('node:util')
    assert.ok(!inspect(client).includes('secret-key-value'))
  })

  it('bad input throws invalid_request or invalid_json', async () => {
    const { client } = setup()
    await assert.rejects(client.chat(ALICE, '{not json'), (e) => isRouteguardError(e) && e.code === 'invalid_json')
  })
})

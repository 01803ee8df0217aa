'use strict'
// The fetch drop-in: `client.fetch(principal)` given to the `openai` SDK and to `@openrouter/sdk`
// turns their chat completions into governed calls (whole and streamed); a refusal is a 403 the
// SDKs raise as PermissionDenied, an upstream error keeps OpenRouter's status and body, other
// paths are 404. The SDK's own key never reaches OpenRouter: the client's key does.
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { after, before, describe, it } = require('node:test')

const OpenAI = require('openai')
const { AuditTrail, Client, Guard, Ledger } = require('routeguard')
const { keyFile, startMock } = require('./support/mock-openrouter.js')

const CORPUS = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'tests', 'conformance', 'governed', 'calls.json'), 'utf8'),
)
const ALICE = { user: 'alice', workspace: 'eu' }
const SONNET = 'anthropic/claude-sonnet-4'
const BASE = 'http://routeguard.invalid/api/v1'

let mock
let key
before(async () => {
  mock = await startMock()
  key = keyFile()
})
after(() => mock.stop())

function setup() {
  const ledger = new Ledger('memory:')
  const trail = AuditTrail.open({ sink: { type: 'memory' } }, 'ab'.repeat(32))
  const client = new Client(new Guard(CORPUS.policies.eu), { ledger, trail, baseUrl: mock.base, apiKeyFile: key, backoffMs: 5 })
  const openai = new OpenAI({ baseURL: BASE, apiKey: 'unused', fetch: client.fetch(ALICE), maxRetries: 0 })
  return { ledger, trail, client, openai }
}

const interactions = (trail) =>
  trail
    .lines()
    .map((line) => JSON.parse(line))
    .filter((r) => r.kind === 'interaction')

async function eventually(check, what) {
  for (let i = 0; i < 200; i++) {
    if (check()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  assert.fail(`never: ${what}`)
}

describe('openai SDK', () => {
  it('chat.completions.create, governed', async () => {
    await mock.reset()
    await mock.script([{ content: 'Bonjour from Frankfurt' }])
    const { openai, ledger, trail } = setup()
    const completion = await openai.chat.completions.create({
      model: SONNET,
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 100,
    })
    assert.equal(completion.choices[0].message.content, 'Bonjour from Frankfurt')
    const [sent] = await mock.requests()
    assert.deepEqual(sent.body.provider.only, ['google-vertex/europe-west1'])
    assert.equal(ledger.records().length, 1)
    assert.equal(interactions(trail).length, 1)
  })

  it('stream: true passes the chunks, then [DONE]', async () => {
    await mock.reset()
    await mock.script([{ content: 'streamed through routeguard', chunk_size: 5 }])
    const { openai, trail } = setup()
    const stream = await openai.chat.completions.create({
      model: SONNET,
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 100,
      stream: true,
    })
    let text = ''
    let chunks = 0
    for await (const chunk of stream) {
      chunks += 1
      text += chunk.choices[0]?.delta?.content ?? ''
    }
    assert.equal(text, 'streamed through routeguard')
    assert.ok(chunks >= 6, `${chunks} chunks`)
    assert.equal(interactions(trail)[0].outcome, 'allowed')
  })

  it('a denied model throws PermissionDeniedError with the answer in metadata', async () => {
    await mock.reset()
    const { openai } = setup()
    for (const stream of [false, true]) {
      await assert.rejects(
        openai.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hi' }], stream }),
        (e) => {
          assert.ok(e instanceof OpenAI.PermissionDeniedError, e.constructor.name)
          assert.equal(e.status, 403)
          assert.match(e.message, /model_not_allowed/)
          const routeguard = e.error.metadata.routeguard
          assert.equal(routeguard.allowed, false)
          assert.equal(routeguard.reasons[0].code, 'model_not_allowed')
          assert.ok(!('response' in routeguard))
          return true
        },
      )
    }
    assert.deepEqual(await mock.chatBodies(), [])
  })

  it('a violation in a stream passes no content and ends with a 403 error event', async () => {
    await mock.reset()
    await mock.script([{ serve: { provider: 'anthropic', model: SONNET }, content: 'served in the US' }])
    const { openai } = setup()
    const stream = await openai.chat.completions.create({
      model: SONNET,
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 100,
      stream: true,
    })
    let text = ''
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? ''
      })(),
      (e) => e instanceof OpenAI.APIError && /provider_violation/.test(e.message),
    )
    assert.equal(text, '')
  })

  it('an upstream error keeps OpenRouter status and body', async () => {
    await mock.reset()
    await mock.script([{ status: 402, message: 'Insufficient credits' }])
    const { openai } = setup()
    await assert.rejects(
      openai.chat.completions.create({ model: SONNET, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 10 }),
      (e) => e instanceof OpenAI.APIError && e.status === 402 && /Insufficient credits/.test(e.message),
    )
  })

  it('leaving a stream early cancels the governed call', async () => {
    await mock.reset()
    await mock.script([{ content: 'z'.repeat(400), chunk_size: 2 }])
    const { openai, trail, ledger } = setup()
    const stream = await openai.chat.completions.create({
      model: SONNET,
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 300,
      stream: true,
    })
    let chunks = 0
    for await (const chunk of stream) {
      assert.ok(chunk.choices)
      if (++chunks === 3) break
    }
    await eventually(() => interactions(trail).length === 1, 'the cancelled call is recorded')
    assert.equal(interactions(trail)[0].error.code, 'cancelled')
    assert.equal(ledger.records()[0].outcome, 'cancelled')
  })

  it('other paths are 404: routeguard governs chat completions only', async () => {
    const { openai } = setup()
    await assert.rejects(openai.models.list(), (e) => e instanceof OpenAI.NotFoundError && /chat completions only/.test(e.message))
  })

  it('the SDK key is ignored: the client key is used', async () => {
    await mock.reset()
    const { client } = setup()
    const response = await client.fetch(ALICE)(`${BASE}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-or-v1-from-the-app' },
      body: JSON.stringify({ model: SONNET, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 10 }),
    })
    assert.equal(response.status, 200)
    assert.equal((await response.json()).choices[0].message.content, 'mock reply to 1 message')
    const [sent] = await mock.requests()
    assert.equal(sent.headers.authorization, 'Bearer ***')
    assert.ok(!JSON.stringify(sent).includes('sk-or-v1-from-the-app'))
  })

  it('a body that is not JSON is a 400', async () => {
    const { client } = setup()
    const response = await client.fetch(ALICE)(new Request(`${BASE}/chat/completions`, { method: 'POST', body: '{oops' }))
    assert.equal(response.status, 400)
  })
})

describe('@openrouter/sdk', () => {
  it('chat.send through HTTPClient({fetcher}), governed', async () => {
    const { HTTPClient, OpenRouter } = await import('@openrouter/sdk')
    await mock.reset()
    await mock.script([{ content: 'via the OpenRouter SDK' }])
    const { client, trail } = setup()
    const openRouter = new OpenRouter({
      serverURL: BASE,
      apiKey: 'unused',
      httpClient: new HTTPClient({ fetcher: client.fetch(ALICE) }),
    })
    const result = await openRouter.chat.send({
      chatRequest: { model: SONNET, messages: [{ role: 'user', content: 'Hi' }], maxTokens: 100 },
    })
    assert.equal(result.choices[0].message.content, 'via the OpenRouter SDK')
    assert.deepEqual((await mock.chatBodies())[0].provider.only, ['google-vertex/europe-west1'])
    assert.equal(interactions(trail).length, 1)
  })
})

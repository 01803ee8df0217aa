import OpenAI from 'openai'
import { AuditTrail, Client, Guard } from 'routeguard'

const guard = new Guard({ version: 1, defaults: { models: { allow: ['anthropic/*'] } },
  workspaces: { eu: { providers: { processing: ['EU'], jurisdictions: ['EEA', 'US'] } } }, users: { alice: {} } })
const trail = AuditTrail.open({ sink: { type: 'jsonl', path: 'audit' } }, process.env.AUDIT_CHAIN_KEY)
const client = new Client(guard, { trail }) // the key: $OPENROUTER_API_KEY (or apiKeyFile), never the app's
const alice = { user: 'alice', workspace: 'eu' }
const ask = { model: 'anthropic/claude-sonnet-4', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 100 }

const answer = await client.chat(alice, ask)
console.log(answer.allowed, answer.response.choices[0].message.content)

const stream = await client.stream(alice, { ...ask, stream: true })
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '')
console.log(' /', stream.answer.allowed, stream.answer.audit.status)

const openai = new OpenAI({ baseURL: 'http://routeguard.invalid/api/v1', apiKey: 'unused', fetch: client.fetch(alice) })
console.log((await openai.chat.completions.create(ask)).choices[0].message.content)
await openai.chat.completions.create({ ...ask, model: 'openai/gpt-4o' })
  .catch((e) => console.log(e instanceof OpenAI.PermissionDeniedError, e.error.metadata.routeguard.reasons[0].code))

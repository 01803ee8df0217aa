import { Guard } from 'routeguard'

const policy = { version: 1, defaults: { models: { allow: ['anthropic/*', 'openai/*'] } },
  workspaces: { eu: { providers: { processing: ['EU'] } } }, users: { alice: {} } }
const guard = new Guard(policy) // or Guard.fromFile('policy.yaml'); the built-in provider catalogue
const alice = { user: 'alice', workspace: 'eu' }
const decision = await guard.prepareAsync(alice, { model: 'anthropic/claude-sonnet-4', messages: [{ role: 'user', content: 'hi' }] })
console.log(decision.allowed, decision.prepared.request.provider.only) // EU endpoints only
console.log(guard.prepare(alice, { model: 'openai/gpt-4o', messages: [] }).reasons[0].code) // none in the EU: denied
const reply = { model: 'anthropic/claude-sonnet-4', provider: 'Anthropic', choices: [{ message: { role: 'assistant', content: 'hi' } }] }
const checked = guard.verify(decision.prepared, reply) // served in the US: a violation
console.log(checked.allowed, checked.withheld, checked.reasons[0].code)

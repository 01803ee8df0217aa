// The package from an ES module: named and default imports resolve to the native classes.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { it } from 'node:test'

import routeguard, { AuditTrail, Guard, Prepared, Scanner, Stream, Vault, canonicalJson, errorCodes, isRouteguardError } from 'routeguard'

it('imports by name from ESM', async () => {
  const scanner = new Scanner({ builtin: { enable: ['credit_card'] } })
  assert.equal(scanner.redact('🙂 4111 1111 1111 1111').text, '🙂 **** **** **** ****')
  assert.equal((await scanner.scanAsync('4111-1111-1111-1111'))[0].end, 19)
  assert.ok(scanner.stream() instanceof Stream)
  assert.equal(new Vault().size, 0)
  assert.equal(errorCodes()[0].name, 'invalid_utf8')
  assert.equal(isRouteguardError(new Error('x')), false)
  const guard = new Guard({ version: 1, defaults: { models: { allow: ['*'] } }, workspaces: { w: {} }, users: { u: {} } })
  const decision = await guard.prepareAsync({ user: 'u', workspace: 'w' }, { model: 'x/y', messages: [] })
  assert.ok(decision.prepared instanceof Prepared)
  const trail = AuditTrail.open({ sink: { type: 'memory' } }, 'ab'.repeat(32))
  assert.equal(trail.write({ outcome: 'allowed' }).status, 'written')
  assert.equal(canonicalJson({ b: 1, a: 2 }), '{"a":2,"b":1}')
})

it('sees the same module as require()', () => {
  const required = createRequire(import.meta.url)('routeguard')
  assert.equal(routeguard.Scanner, required.Scanner)
  assert.equal(Scanner, required.Scanner)
  assert.equal(Guard, required.Guard)
})

'use strict'
// The package from CommonJS: require() by name and by the package entry file.
const assert = require('node:assert/strict')
const path = require('node:path')
const { it } = require('node:test')

it('requires by name from CommonJS', () => {
  const { Scanner, Vault, isRouteguardError } = require('routeguard')
  const vault = new Vault()
  const r = new Scanner().redact('mail jane.doe@example.com', { action: 'pseudonymize', vault })
  assert.equal(r.text, 'mail <EMAIL_ADDRESS_1>')
  assert.equal(vault.restore(r.text), 'mail jane.doe@example.com')
  assert.throws(() => new Scanner('{"colour": "blue"}'), (e) => isRouteguardError(e) && e.code === 'invalid_config')
})

it('resolves to the package entry', () => {
  assert.equal(require.resolve('routeguard'), path.join(__dirname, '..', 'index.js'))
})

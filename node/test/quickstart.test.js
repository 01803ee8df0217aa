'use strict'
// The README quick start (examples/quickstart.mjs, shown verbatim in the README) runs and prints
// what the README says it prints.
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const path = require('node:path')
const { it } = require('node:test')

it('the quick start runs', () => {
  const out = execFileSync(process.execPath, [path.join(__dirname, '..', 'examples', 'quickstart.mjs')], {
    encoding: 'utf8',
  })
  assert.equal(
    out,
    [
      'credit_card 4111 1111 1111 1111',
      'email_address jane.doe@example.com',
      'false Card [CREDIT_CARD], mail [EMAIL_ADDRESS] 🙂',
      'invalid_config 2000',
      '',
    ].join('\n'),
  )
})

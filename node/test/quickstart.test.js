'use strict'
// The README snippets (examples/quickstart.mjs and examples/guard.mjs, shown verbatim in the
// README) run and print what the README says they print.
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { it } = require('node:test')

function run(example) {
  return execFileSync(process.execPath, [path.join(__dirname, '..', 'examples', example)], { encoding: 'utf8' })
}

it('the quick start runs', () => {
  const out = run('quickstart.mjs')
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

it('the guard snippet runs', () => {
  assert.equal(
    run('guard.mjs'),
    ["true [ 'google-vertex/europe-west1' ]", 'no_compliant_endpoint', 'false true provider_violation', ''].join('\n'),
  )
})

it('the snippets are short and shown verbatim in node/README.md', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')
  for (const [example, limit] of [['quickstart.mjs', 10], ['guard.mjs', 12]]) {
    const source = fs.readFileSync(path.join(__dirname, '..', 'examples', example), 'utf8')
    const code = source.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('import '))
    assert.ok(code.length <= limit, `${example}: ${code.length} lines of user code`)
    assert.ok(readme.includes('```js\n' + source + '```\n'), `${example} is in the README as it is`)
  }
})

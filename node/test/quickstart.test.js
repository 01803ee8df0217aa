'use strict'
// The README snippets (examples/quickstart.mjs and examples/guard.mjs, shown verbatim in the
// README) run and print what the README says they print.
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const os = require('node:os')
const { it } = require('node:test')

const { startMock } = require('./support/mock-openrouter.js')

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

it('the governed-call snippet runs (against the stand-in, its key from the environment)', async () => {
  const mock = await startMock()
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'routeguard-governed-'))
  try {
    const out = execFileSync(process.execPath, [path.join(__dirname, '..', 'examples', 'governed.mjs')], {
      encoding: 'utf8',
      cwd,
      env: { ...process.env, OPENROUTER_BASE_URL: mock.base, OPENROUTER_API_KEY: 'sk-or-v1-readme', AUDIT_CHAIN_KEY: 'ab'.repeat(32) },
    })
    assert.equal(
      out,
      [
        'true mock reply to 1 message',
        'mock reply to 1 message / true written',
        'mock reply to 1 message',
        'true model_not_allowed',
        '',
      ].join('\n'),
    )
    const [log] = fs.readdirSync(path.join(cwd, 'audit'))
    const records = fs.readFileSync(path.join(cwd, 'audit', log), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    assert.equal(records.filter((r) => r.kind === 'interaction').length, 4)
  } finally {
    mock.stop()
    fs.rmSync(cwd, { recursive: true, force: true })
  }
})

it('the snippets are short and shown verbatim in node/README.md', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')
  for (const [example, limit] of [['quickstart.mjs', 10], ['guard.mjs', 12], ['governed.mjs', 16]]) {
    const source = fs.readFileSync(path.join(__dirname, '..', 'examples', example), 'utf8')
    const code = source.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('import '))
    assert.ok(code.length <= limit, `${example}: ${code.length} lines of user code`)
    assert.ok(readme.includes('```js\n' + source + '```\n'), `${example} is in the README as it is`)
  }
})

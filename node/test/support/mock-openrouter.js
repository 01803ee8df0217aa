'use strict'
// The local OpenRouter stand-in (tests/mock-openrouter/server.py) for the governed-call tests:
// started once per test file on a free port, stopped when the file's tests end.
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const SERVER = path.resolve(__dirname, '..', '..', '..', 'tests', 'mock-openrouter', 'server.py')

/** Starts the stand-in: `{base, root, reset(), script(entries), requests(), chatBodies(), stop()}`. */
async function startMock() {
  const child = spawn('python3', [SERVER, '--port', '0', '--idle-exit', '120'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const root = await new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (data) => {
      out += data
      const m = /listening (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1])
    })
    child.on('exit', (code) => reject(new Error(`the stand-in exited (${code}) before listening`)))
  })
  child.stdout.resume()
  const control = async (name, body) => {
    const r = await fetch(`${root}/_mock/${name}`, { method: 'POST', body: JSON.stringify(body ?? {}) })
    if (!r.ok) throw new Error(`/_mock/${name}: ${r.status} ${await r.text()}`)
  }
  return {
    base: `${root}/api/v1`,
    root,
    reset: () => control('reset', {}),
    script: (entries) => control('script', entries),
    async requests() {
      return (await fetch(`${root}/_mock/requests`)).json()
    },
    async chatBodies() {
      const requests = await this.requests()
      return requests.filter((r) => String(r.path || '').endsWith('/chat/completions')).map((r) => r.body)
    },
    stop() {
      child.kill('SIGTERM')
    },
  }
}

/** A temporary file holding an OpenRouter key (the client reads its first line). */
function keyFile(key = 'sk-or-v1-node-tests') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'routeguard-key-'))
  const file = path.join(dir, 'key')
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 })
  return file
}

module.exports = { startMock, keyFile }

// Compiled by test/types.test.js with `tsc --strict --noEmit`: the published typings describe the
// API as the tests use it. Not run.
import {
  AuditTrail,
  Call,
  ChatStream,
  Client,
  Governor,
  Guard,
  Ledger,
  Prepared,
  Scanner,
  Vault,
  auditExport,
  auditExportAsync,
  auditSearch,
  auditSearchAsync,
  auditVerify,
  auditVerifyAsync,
  auditVerifyText,
  auditVerifyTextAsync,
  canonicalJson,
  errorCodes,
  isRouteguardError,
  type Action,
  type AuditProblem,
  type AuditReceipt,
  type AuditRecord,
  type AuditTrailConfig,
  type AuditVerifyReport,
  type BudgetCap,
  type CapStatus,
  type Reservation,
  type ReserveOutcome,
  type SpendRecord,
  type SpendReport,
  type Decision,
  type Finding,
  type Redaction,
  type RequestScan,
  type Reason,
  type Released,
  type RouteguardErrorCode,
  type Verification,
} from 'routeguard'

const scanner: Scanner = new Scanner({ builtin: { enable: ['credit_card'] } })
const fromText: Scanner = new Scanner('{"builtin": {"enable": ["credit_card"]}}')
const fromYaml: Scanner = Scanner.fromYaml('builtin:\n  enable: [credit_card]\n')
const fromFile: Scanner = Scanner.fromFile('routeguard.yml')

const text = 'card 4111 1111 1111 1111'
const findings: Finding[] = scanner.scan(text)
const matched: string[] = findings.map((f) => text.slice(f.start, f.end) + f.byteEnd.toFixed())
const action: Action = 'pseudonymize'
const vault = new Vault()
const redaction: Redaction = fromText.redact(text, { action, hashKey: new Uint8Array([1]), vault })
const size: number = vault.size + redaction.applied[0].outputEnd
const request: RequestScan = fromYaml.scanRequest({ model: 'x/y', messages: [] })
const inline: string = request.inlineData.map((d) => d.mediaType).join()
const stream = fromFile.stream({ action: 'redact' })
const released: Released = stream.push('chunk')
const pending: number = stream.pending + scanner.streamHoldback
const country: string | undefined = scanner.detectors()[0].country

async function later(): Promise<void> {
  const again: Finding[] = await scanner.scanAsync(text)
  const r: Redaction = await scanner.redactAsync(text)
  const q: RequestScan = await scanner.scanRequestAsync('{}')
  void [again, r, q]
}

const guard = new Guard({ version: 1 }, { catalog: '{}' })
const guards: Guard[] = [Guard.fromYaml('version: 1\n'), Guard.fromFile('policy.yaml', { catalogDir: 'catalog/' })]
const hash: string = guard.policyHash
const decision: Decision = guard.prepare({ user: 'u', workspace: 'w', groups: ['g'] }, { model: 'x/y', messages: [] })
const why: Reason[] = decision.reasons.concat(decision.notices)
const codes: string[] = why.map((r) => `${r.code} ${r.rule} ${r.shadow}`)
if (decision.prepared !== null) {
  const p: Prepared = decision.prepared
  const only: string[] = p.providers.concat(p.models, p.findings.map((f) => f.path + f.action))
  const body: string = p.requestJson
  const sent: Record<string, unknown> = p.request
  const v: Verification = guard.verify(p, { choices: [] })
  const slug: string | null = v.provider
  const shown: Record<string, unknown> = v.response
  void [only, body, sent, slug, shown, v.withheld, p.toJSON().request]
}

async function guarded(): Promise<void> {
  const d: Decision = await guard.prepareAsync('{"user": "u", "workspace": "w"}', '{}', { hashKey: 'k', vault })
  if (d.prepared) {
    const v: Verification = await guard.verifyAsync(d.prepared, '{}')
    void v
  }
}

const ledger: Ledger = Ledger.open('memory:')
const backend: 'memory' | 'sqlite' | 'postgres' = new Ledger('sqlite:/tmp/x.db').backend
const caps: BudgetCap[] = [{ rule: 'r', subject: 'user:u', window: 'monthly', limit_micros: 1000 }]
const held: ReserveOutcome = ledger.reserve(caps, 10, { user: 'u', workspace: 'w' }, 60_000)
const denied: string[] = held.denials.map((d) => d.cap.rule + d.message)
if (held.id !== null) {
  const record: SpendRecord = ledger.settle(held.id, { outcome: 'completed', actual_micros: 5 })
  ledger.renew(held.id, 1000, Date.now())
  void record.charged_micros
}
const states: CapStatus[] = ledger.status(JSON.stringify(caps))
const spent: SpendRecord[] = ledger.records(0, null)
const report: SpendReport = ledger.report('provider,model', 'month')
const csv: string = report.toCsv() + report.toTable() + report.rows.map((r) => r.key.join('/')).join()
const hhi: number = report.hhi + report.total.charged_micros + report.toJSON().providers.length
if (decision.prepared) {
  const r: Reservation = guard.reserve(ledger, { user: 'u', workspace: 'w' }, decision.prepared)
  const est: number | undefined = r.estimate?.reserve_micros
  if (r.id) guard.settle(ledger, r.id, { usage: { cost: 0.1 } }, 'streamed', Date.now())
  void est
}
async function ledgerAsync(): Promise<void> {
  const h: ReserveOutcome = await ledger.reserveAsync(caps, 10, { user: 'u', workspace: 'w' }, 60_000)
  if (h.id) {
    await ledger.renewAsync(h.id, 1000)
    const rec: SpendRecord = await ledger.settleAsync(h.id, { outcome: 'completed', actual_micros: 5 })
    void rec
  }
  const st: CapStatus[] = await ledger.statusAsync(caps, Date.now())
  const recs: SpendRecord[] = await ledger.recordsAsync()
  const rep: SpendReport = await ledger.reportAsync('provider', 'month')
  if (decision.prepared) {
    const r: Reservation = await guard.reserveAsync(ledger, { user: 'u', workspace: 'w' }, decision.prepared)
    if (r.id) {
      const rec: SpendRecord = await guard.settleAsync(ledger, r.id, null, 'cancelled')
      void rec
    }
  }
  void [st, recs, rep]
}
void ledgerAsync

const chainKey = new Uint8Array(32)
const config: AuditTrailConfig = { sink: { type: 'jsonl', path: 'audit' }, writer: 'w.1', prompt: 'redacted' }
const trail: AuditTrail = AuditTrail.open(config, chainKey, 'ab'.repeat(32))
const sinkTrail: AuditTrail = AuditTrail.open('{"sink": {"type": "callback"}}', 'ab'.repeat(32), null, (line: string) => {
  void line.length
})
const receipt: AuditReceipt = trail.write({ outcome: 'allowed' }, Date.now())
const seq: number | null = receipt.seq
const sealed: AuditReceipt = trail.checkpoint()
trail.flush()
const lines: string[] = sinkTrail.lines()
const who: string = trail.writer
const pub: string | null = trail.publicKey
const closed: AuditReceipt = trail.close()
const audited: AuditReceipt = guard.audit(trail, { user: 'u', workspace: 'w' }, {}, decision, { latency_ms: 5 }, Date.now())
const fromPolicy: AuditTrail = guard.openAuditTrail()
const verified: AuditVerifyReport = auditVerify('audit', chainKey, pub)
const firstBad: AuditProblem | null = verified.first_bad
const verifiedText: AuditVerifyReport = auditVerifyText(lines.join('\n'), 'ab'.repeat(32))
const found: AuditRecord[] = auditSearch('audit', { user: 'u', since_ms: 0 })
const exported: string = auditExport('audit', 'csv') + canonicalJson({ b: 1, a: [2] }) + canonicalJson('[1]')
async function audits(): Promise<void> {
  const r: AuditReceipt = await trail.writeAsync('{}')
  const c: AuditReceipt = await trail.closeAsync()
  const v: AuditVerifyReport = await auditVerifyAsync('audit', chainKey)
  const t: AuditVerifyReport = await auditVerifyTextAsync(new Uint8Array(0), chainKey, chainKey)
  const s: AuditRecord[] = await auditSearchAsync('audit')
  const e: string = await auditExportAsync('audit', 'ocsf')
  void [r, c, v, t, s, e]
}

try {
  new Scanner('{')
} catch (e: unknown) {
  if (isRouteguardError(e)) {
    const code: RouteguardErrorCode = e.code
    const n: number = e.number
    const m: string = e.message
    void [code, n, m]
  }
}

const names: RouteguardErrorCode[] = errorCodes().map((c) => c.name)

// @ts-expect-error: a principal needs a workspace
guard.prepare({ user: 'u' }, {})
// @ts-expect-error: a decision's prepared may be null
guard.verify(decision.prepared, {})
// @ts-expect-error: not an action
scanner.redact(text, { action: 'shred' })
// @ts-expect-error: not an outcome
ledger.settle('id', { outcome: 'exploded' })
// @ts-expect-error: not an export format
auditExport('audit', 'xml')
// @ts-expect-error: not a storage mode
AuditTrail.open({ sink: { type: 'memory' }, prompt: 'some' }, chainKey)
// @ts-expect-error: not an error code
const wrong: RouteguardErrorCode = 'not_a_code'

// The governed call.
async function governed(): Promise<void> {
  const client = new Client(new Guard('{}'), { ledger: new Ledger('memory:'), baseUrl: 'http://127.0.0.1:1/api/v1', maxRetries: 0 })
  const answer = await client.chat({ user: 'u', workspace: 'w' }, { model: 'x/y', messages: [] })
  const allowed: boolean = answer.allowed
  const content: string | null | undefined = answer.response?.choices?.[0]?.message?.content
  const stream: ChatStream = await client.stream({ user: 'u', workspace: 'w' }, { model: 'x/y', messages: [], stream: true })
  for await (const chunk of stream) void chunk.choices?.[0]?.delta?.content
  const after: number | null | undefined = stream.answer?.status
  const governedFetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response> = client.fetch({ user: 'u', workspace: 'w' })
  const begun = new Governor(new Guard('{}')).begin({ user: 'u', workspace: 'w' }, { model: 'x/y', messages: [] })
  if (begun instanceof Call) {
    const done: boolean = begun.complete(200, '{}').allowed
    begun.fail('x')
    void done
  } else {
    void begun.refused.reasons[0]?.code
  }
  // @ts-expect-error: the key never comes from the application's code
  new Client(new Guard('{}'), { apiKey: 'sk-or-v1-x' })
  void [allowed, content, after, governedFetch]
}
void governed

void [matched, size, inline, released, pending, country, later, names, wrong, guards, hash, codes, guarded]
void [backend, denied, states, spent, csv, hhi]
void [seq, sealed, who, closed, audited, fromPolicy, firstBad, verifiedText, found, exported, audits]
void [found[0]?.principal?.user, found[0]?.dlp?.[0]?.spans]

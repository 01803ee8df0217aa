import { Scanner, isRouteguardError } from 'routeguard'

const scanner = new Scanner() // every built-in detector; or new Scanner({ builtin: { enable: ['credit_card'] } })
const text = 'Card 4111 1111 1111 1111, mail jane.doe@example.com 🙂'
for (const f of scanner.scan(text)) console.log(f.detector, text.slice(f.start, f.end))
const { text: safe, blocked } = await scanner.redactAsync(text, { action: 'redact' })
console.log(blocked, safe)
try { new Scanner({ colour: 'blue' }) } catch (e) { if (isRouteguardError(e)) console.log(e.code, e.number) }

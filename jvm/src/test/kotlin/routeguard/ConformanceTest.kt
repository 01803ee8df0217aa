package routeguard

import java.io.File
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory

/**
 * Runs tests/conformance/ (its README describes the formats) through the generated Kotlin API.
 * The directory is walked: a file this runner has no op for fails. The JVM compares `utf16_*`
 * offsets (as `start`/`end`) and `byte_*`; code-point offsets belong to Python.
 */
class ConformanceTest {
    private val notCases = setOf(
        "README.md", "dlp/sample.jsonl", "dlp/bench-prompt.txt", "policy/catalog.json", "audit/gen-canonical.mjs",
    )

    private val ops: Map<String, (JSONObject, JSONObject) -> Unit> = mapOf(
        "dlp/cases" to ::opCases,
        "dlp/actions" to ::opActions,
        "dlp/pseudonymize" to ::opPseudonymize,
        "dlp/requests" to ::opRequests,
        "dlp/streams" to ::opStreams,
        "dlp/config_errors" to ::opConfigErrors,
        "policy/prepare" to ::opPrepare,
        "policy/verify" to ::opVerify,
        "policy/policy_errors" to ::opPolicyErrors,
        "budget/ledger" to ::opLedger,
        "budget/guard" to ::opBudgetGuard,
        "audit/records" to ::opAuditRecords,
        "audit/verify" to ::opAuditVerify,
        "audit/guard" to ::opAuditGuard,
        "audit/canonical" to ::opAuditCanonical,
        "governed/calls" to ::opGovernedCalls,
    )

    @TestFactory
    fun corpus(): List<DynamicTest> {
        assertTrue(CONFORMANCE.isDirectory, "no corpus at $CONFORMANCE")
        val tests = mutableListOf<DynamicTest>()
        val files = CONFORMANCE.walk().filter { it.isFile }.sortedBy { it.path }.toList()
        for (file in files) {
            val rel = file.relativeTo(CONFORMANCE).invariantSeparatorsPath
            if (rel in notCases) continue
            if (rel == "errors.json") {
                tests += DynamicTest.dynamicTest(rel) { checkErrorTable(readJson(file)) }
                continue
            }
            val op = ops[rel.removeSuffix(".json")]
            if (op == null || !rel.endsWith(".json")) {
                tests += DynamicTest.dynamicTest(rel) { throw AssertionError("$rel: no runner for this file; teach ConformanceTest.kt") }
                continue
            }
            val doc = readJson(file)
            val cases = doc.getJSONArray("cases")
            for (i in 0 until cases.length()) {
                val case = cases.getJSONObject(i)
                tests += DynamicTest.dynamicTest("$rel::${case.optString("name", "#$i")}") { op(case, doc) }
            }
        }
        return tests
    }

    @Test
    fun corpusIsNotEmpty() {
        assertTrue(File(CONFORMANCE, "dlp/cases.json").isFile)
        assertTrue(File(CONFORMANCE, "governed/calls.json").isFile)
    }

    private fun checkErrorTable(doc: JSONObject) {
        val table = JSONArray(errorCodes().map { JSONObject().put("name", it.name).put("number", it.number).put("meaning", it.meaning) })
        same(table, doc.getJSONArray("codes"), "codes")
        // Every code has its case in RouteguardException (the Rust side maps them exhaustively).
        val cases = RouteguardException::class.java.declaredClasses.map { it.simpleName }.toSet()
        for (c in errorCodes()) {
            // uniffi's Kotlin names a case ending in Error ...Exception (upstream_error: UpstreamException).
            val camel = c.name.split('_').joinToString("") { it.replaceFirstChar(Char::uppercase) }.replace(Regex("Error$"), "Exception")
            assertTrue(camel in cases, "RouteguardException has no case $camel")
        }
    }

    // --- dlp ---------------------------------------------------------------------------------

    private val scanners = HashMap<String, Scanner>()

    private fun scannerFor(case: JSONObject): Scanner {
        val config = case.opt("config")
        val key = if (config == null || config == JSONObject.NULL) "" else config.toString()
        return scanners.getOrPut(key) { Scanner(key.ifEmpty { null }) }
    }

    private fun findingJson(f: Finding) = JSONObject()
        .put("detector", f.detector).put("category", f.category).put("kind", f.kind).put("action", f.action)
        .put("confidence", f.confidence).put("utf16_start", f.start).put("utf16_end", f.end)
        .put("byte_start", f.byteStart).put("byte_end", f.byteEnd)

    private fun appliedJson(a: Applied) = JSONObject()
        .put("detector", a.detector).put("category", a.category).put("action", a.action)
        .put("utf16_start", a.start).put("utf16_end", a.end)

    /** Expected entries as the JVM sees them: UTF-16 offsets, code points dropped. */
    private fun jvmView(expected: JSONArray): JSONArray = JSONArray((0 until expected.length()).map { i ->
        val e = expected.getJSONObject(i)
        val out = JSONObject()
        for (k in e.keySet()) if (k != "start" && k != "end") out.put(k, e.get(k))
        if (!e.has("utf16_start") && e.has("start")) out.put("utf16_start", e.get("start")).put("utf16_end", e.get("end"))
        out
    })

    private fun compareFindings(actual: List<JSONObject>, expected: JSONArray, what: String) =
        check(JSONArray(actual), jvmView(expected), what)

    private fun opCases(case: JSONObject, doc: JSONObject) {
        val scanner = scannerFor(case)
        val text = case.getString("text")
        val found = scanner.scan(text)
        compareFindings(found.map(::findingJson), case.getJSONArray("findings"), "findings")
        val bytes = text.toByteArray(Charsets.UTF_8)
        for (f in found) {
            assertEquals(String(bytes, f.byteStart.toInt(), (f.byteEnd - f.byteStart).toInt(), Charsets.UTF_8), text.substring(f.start.toInt(), f.end.toInt()))
        }
        assertEquals(case.getString("redacted"), scanner.redact(text, "redact", null, null).text)
    }

    private class Options(val action: String?, val hashKey: ByteArray?)

    private fun options(case: JSONObject): Options {
        val o = case.optJSONObject("options") ?: JSONObject()
        val unknown = o.keySet() - setOf("action", "hash_key")
        assertTrue(unknown.isEmpty(), "unknown options $unknown")
        return Options(if (o.has("action")) o.getString("action") else null, if (o.has("hash_key")) o.getString("hash_key").toByteArray(Charsets.UTF_8) else null)
    }

    private fun opActions(case: JSONObject, doc: JSONObject) {
        val o = options(case)
        val r = scannerFor(case).redact(case.getString("text"), o.action, o.hashKey, null)
        val expect = case.getJSONObject("expect")
        assertEquals(expect.getString("text"), r.text)
        assertEquals(expect.getBoolean("blocked"), r.blocked)
        compareFindings(r.applied.map(::appliedJson), expect.getJSONArray("applied"), "applied")
    }

    private fun opPseudonymize(case: JSONObject, doc: JSONObject) {
        val scanner = scannerFor(case)
        Vault().use { vault ->
            val texts = case.getJSONArray("texts").map { scanner.redact(it as String, "pseudonymize", null, vault).text }
            val expect = case.getJSONObject("expect")
            same(JSONArray(texts), expect.getJSONArray("texts"), "texts")
            val restore = case.getJSONObject("restore")
            assertEquals(restore.getString("output"), vault.restore(restore.getString("input")))
            assertEquals(expect.getLong("vault_len"), vault.size())
        }
    }

    private fun opRequests(case: JSONObject, doc: JSONObject) {
        assertTrue(case.has("request") != case.has("request_text"), "give exactly one of request, request_text")
        val request = if (case.has("request")) text(case.get("request")) else case.getString("request_text")
        val o = options(case)
        val expect = case.getJSONObject("expect")
        if (expect.has("error")) {
            expectError(expect.getString("error")) { scannerFor(case).scanRequest(request, o.action, o.hashKey, null) }
            return
        }
        val r = scannerFor(case).scanRequest(request, o.action, o.hashKey, null)
        assertEquals(expect.getBoolean("blocked"), r.blocked)
        same(parse(r.request), expect.get("request"), "request")
        compareFindings(r.findings.map { findingJson(it.finding).put("path", it.path) }, expect.getJSONArray("findings"), "findings")
        check(JSONArray(r.inlineData.map { JSONObject().put("path", it.path).put("media_type", it.mediaType).put("bytes", it.bytes) }), expect.getJSONArray("inline_data"), "inline_data")
    }

    private fun opStreams(case: JSONObject, doc: JSONObject) {
        val o = options(case)
        scannerFor(case).stream(o.action, o.hashKey, null).use { stream ->
            val released = case.getJSONArray("chunks").map { stream.push(it as String) } + stream.finish()
            val expect = case.getJSONObject("expect")
            assertEquals(expect.getString("text"), released.joinToString("") { it.text })
            assertEquals(expect.getBoolean("blocked"), released.any { it.blocked })
            compareFindings(released.flatMap { it.findings }.map(::findingJson), expect.getJSONArray("findings"), "findings")
        }
    }

    private fun opConfigErrors(case: JSONObject, doc: JSONObject) {
        val code = case.getJSONObject("expect").getString("error")
        assertTrue(case.has("json") != case.has("yaml"), "give exactly one of json, yaml")
        if (case.has("json")) expectError(code) { Scanner(case.getString("json")).close() }
        else expectError(code) { Scanner.fromYaml(case.getString("yaml")).close() }
    }

    // --- policy ------------------------------------------------------------------------------

    private val policyCatalog by lazy { File(CONFORMANCE, "policy/catalog.json").readText() }
    private val guards = HashMap<String, Guard>()

    private fun guardOf(policy: Any): Guard = guards.getOrPut(policy.toString()) { Guard(policy.toString(), policyCatalog) }

    private fun policyRequest(case: JSONObject): String {
        assertTrue(case.has("request") != case.has("request_text"), "give exactly one of request, request_text")
        return if (case.has("request")) text(case.get("request")) else case.getString("request_text")
    }

    private fun reasonJson(r: Reason) = JSONObject().put("code", r.code).put("rule", r.rule).put("message", r.message).put("shadow", r.shadow)

    /** Each expected entry compared on the keys it names only, in order. */
    private fun checkSubset(actual: List<JSONObject>, expected: JSONArray, what: String) = check(JSONArray(actual), expected, what)

    private fun opPrepare(case: JSONObject, doc: JSONObject) {
        val guard = guardOf(doc.getJSONObject("policies").get(case.getString("policy")))
        val expect = case.getJSONObject("expect")
        val run = { guard.prepare(text(case.get("principal")), policyRequest(case), null, null) }
        if (expect.has("error")) {
            expectError(expect.getString("error")) { run() }
            return
        }
        val d = run()
        assertEquals(expect.getBoolean("allowed"), d.allowed, d.toString())
        assertEquals(d.allowed, d.prepared != null)
        assertEquals(guard.policyHash(), d.policyHash)
        checkSubset(d.reasons.map(::reasonJson), expect.optJSONArray("reasons") ?: JSONArray(), "reasons")
        if (expect.has("notices")) checkSubset(d.notices.map(::reasonJson), expect.getJSONArray("notices"), "notices")
        val p = d.prepared ?: return
        if (expect.has("models")) same(JSONArray(p.models), expect.getJSONArray("models"), "models")
        if (expect.has("providers")) same(JSONArray(p.providers), expect.getJSONArray("providers"), "providers")
        if (expect.has("findings")) {
            checkSubset(p.findings.map { JSONObject().put("path", it.path).put("detector", it.detector).put("category", it.category).put("action", it.action).put("start", it.start).put("end", it.end) }, expect.getJSONArray("findings"), "findings")
        }
        val sent = parse(p.request) as JSONObject
        expect.optJSONObject("sent")?.let { s -> for (k in s.keySet()) same(sent.opt(k), s.get(k), "sent.$k") }
        expect.optJSONArray("sent_has_no")?.forEach { assertFalse(sent.has(it as String), "sent has $it") }
    }

    private fun opVerify(case: JSONObject, doc: JSONObject) {
        val guard = guardOf(doc.getJSONObject("policies").get(case.getString("policy")))
        val d = guard.prepare(text(case.get("principal")), policyRequest(case), null, null)
        val prepared = assertNotNull(d.prepared, "the request must be allowed: $d").let { d.prepared!! }
        val v = guard.verify(prepared, text(case.get("response")))
        val expect = case.getJSONObject("expect")
        assertEquals(expect.getBoolean("allowed"), v.allowed, v.toString())
        assertEquals(expect.opt("provider").takeIf { it != JSONObject.NULL }, v.provider)
        checkSubset(v.reasons.map(::reasonJson), expect.getJSONArray("reasons"), "reasons")
        assertEquals(expect.getBoolean("withheld"), v.withheld)
        val response = parse(v.response) as JSONObject
        if (v.withheld) {
            val choices = response.optJSONArray("choices")
            assertTrue(choices == null || choices.isEmpty, "withheld content")
        } else {
            same(response, case.get("response"), "the response passes through")
        }
    }

    private fun opPolicyErrors(case: JSONObject, doc: JSONObject) {
        val code = case.getJSONObject("expect").getString("error")
        assertTrue(case.has("json") != case.has("yaml"), "give exactly one of json, yaml")
        if (case.has("json")) expectError(code) { Guard(case.getString("json"), policyCatalog).close() }
        else expectError(code) { Guard.fromYaml(case.getString("yaml"), policyCatalog).close() }
    }

    // --- budget ------------------------------------------------------------------------------

    /** Python's check_budget: a missing key reads as null. */
    private fun checkBudget(got: Any?, expected: Any?, path: String) {
        when (expected) {
            is JSONObject -> {
                assertTrue(got is JSONObject, "$path: $got")
                for (k in expected.keySet()) checkBudget((got as JSONObject).opt(k) ?: JSONObject.NULL, expected.get(k), "$path.$k")
            }
            is JSONArray -> {
                assertTrue(got is JSONArray && got.length() == expected.length(), "$path: $got")
                for (i in 0 until expected.length()) checkBudget((got as JSONArray).get(i), expected.get(i), "$path[$i]")
            }
            else -> check(got, expected, path)
        }
    }

    private fun liftDenials(outcome: JSONObject): JSONObject {
        for (key in listOf("denials", "shadow")) {
            val list = outcome.optJSONArray(key) ?: continue
            outcome.put(key, JSONArray((0 until list.length()).map { i ->
                val d = list.getJSONObject(i)
                val out = JSONObject()
                for (k in d.keySet()) if (k != "cap") out.put(k, d.get(k))
                val cap = d.getJSONObject("cap")
                for (k in cap.keySet()) out.put(k, cap.get(k))
                out
            }))
        }
        return outcome
    }

    private fun nowOf(step: JSONObject): Long? = if (step.has("now_ms") && !step.isNull("now_ms")) step.getLong("now_ms") else null

    private fun ledgerStep(ledger: Ledger, ids: MutableMap<String, String>, step: JSONObject): Any? {
        val now = nowOf(step)
        return when (val op = step.getString("op")) {
            "reserve" -> {
                val out = parse(ledger.reserve(text(step.get("caps")), step.getLong("amount_micros"), text(step.get("meta")), if (step.has("lease_ms")) step.getLong("lease_ms") else null, now)) as JSONObject
                if (step.has("as") && !out.isNull("id")) ids[step.getString("as")] = out.getString("id")
                liftDenials(out)
            }
            "settle" -> parse(ledger.settle(ids[step.getString("id")] ?: step.getString("id"), text(step.get("settlement")), now))
            "renew" -> { ledger.renew(ids.getValue(step.getString("id")), step.getLong("lease_ms"), now); JSONObject.NULL }
            "status" -> parse(ledger.status(text(step.get("caps")), now))
            "report" -> parse(ledger.report(step.getString("by"), step.getString("window"), now))
            else -> throw AssertionError("unknown ledger op $op; teach ConformanceTest.kt")
        }
    }

    /** A fresh store per backend: memory, a new SQLite file, and PostgreSQL (a schema of its own
     * per case, through `search_path`) when ROUTEGUARD_TEST_POSTGRES names a database. */
    private fun ledgerUrls(case: String, tmp: File): List<Pair<String, String>> {
        val urls = mutableListOf("memory" to "memory:", "sqlite" to "sqlite:${File(tmp, "$case.db")}")
        val postgres = System.getenv("ROUTEGUARD_TEST_POSTGRES")
        if (!postgres.isNullOrEmpty()) {
            val schema = "conf_jvm_" + case.replace(Regex("[^A-Za-z0-9]"), "_")
            val psql = ProcessBuilder("psql", "-q", "-v", "ON_ERROR_STOP=1", postgres, "-c",
                "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema;")
                .redirectErrorStream(true).start()
            val output = psql.inputStream.bufferedReader().readText()
            assertEquals(0, psql.waitFor(), "psql: $output")
            val sep = if (postgres.contains('?')) '&' else '?'
            urls.add("postgres" to "$postgres${sep}options=-csearch_path%3D$schema")
        }
        return urls
    }

    private fun opLedger(case: JSONObject, doc: JSONObject) {
        val tmp = kotlin.io.path.createTempDirectory("rg-jvm-ledger").toFile()
        try {
            for ((backend, url) in ledgerUrls(case.getString("name"), tmp)) {
                Ledger(url).use { ledger ->
                    assertEquals(backend, ledger.backend())
                    val ids = HashMap<String, String>()
                    val steps = case.getJSONArray("steps")
                    for (i in 0 until steps.length()) {
                        val step = steps.getJSONObject(i)
                        val label = "$backend step $i"
                        val expect = step.opt("expect")
                        if (expect is JSONObject && expect.has("error")) {
                            expectError(expect.getString("error")) { ledgerStep(ledger, ids, step) }
                            continue
                        }
                        val got = ledgerStep(ledger, ids, step)
                        if (expect != null) checkBudget(got, expect, label)
                    }
                }
            }
        } finally {
            tmp.deleteRecursively()
        }
    }

    private fun opBudgetGuard(case: JSONObject, doc: JSONObject) {
        Guard(text(doc.get("policy")), policyCatalog).use { guard ->
            Ledger("memory:").use { ledger ->
                val principal = text(case.get("principal"))
                val d = guard.prepare(principal, text(case.get("request")), null, null)
                val prepared = d.prepared ?: throw AssertionError("the case's request must be allowed: $d")
                val got = parse(guard.reserve(ledger, principal, prepared, null, nowOf(case))) as JSONObject
                val lifted = JSONObject()
                for (k in got.keySet()) if (k != "estimate") lifted.put(k, got.get(k))
                val estimate = got.getJSONObject("estimate")
                for (k in estimate.keySet()) lifted.put(k, estimate.get(k))
                checkBudget(liftDenials(lifted), case.getJSONObject("expect_reserve"), "reserve")
                if (case.has("outcome")) {
                    val response = if (case.has("response") && !case.isNull("response")) text(case.get("response")) else null
                    val record = parse(guard.settle(ledger, got.getString("id"), response, case.getString("outcome"), nowOf(case)))
                    checkBudget(record, case.get("expect_settle"), "settle")
                }
            }
        }
    }

    // --- audit -------------------------------------------------------------------------------

    private val auditRecords by lazy { readJson(File(CONFORMANCE, "audit/records.json")) }
    private val verifyDoc by lazy { readJson(File(CONFORMANCE, "audit/verify.json")) }
    private fun chainKey(): ByteArray = auditRecords.getString("chain_key").toByteArray(Charsets.UTF_8)

    private fun opAuditRecords(case: JSONObject, doc: JSONObject) {
        // A callback sink failing on the listed 1-based calls (the lines it accepts collected)
        // when `callback_fails` is set, else the case's own config (memory).
        val accepted = mutableListOf<String>()
        val callback: LineSink? = if (!case.has("callback_fails")) null else {
            val fails = case.getJSONArray("callback_fails").map { (it as Number).toInt() }.toSet()
            var calls = 0
            object : LineSink {
                override fun writeLine(line: String) {
                    calls++
                    if (calls in fails) throw RouteguardException.AuditUnavailable("audit_unavailable", 5000, "the conformance sink is down")
                    accepted.add(line)
                }
            }
        }
        AuditTrail.open(text(case.get("config")), doc.getString("chain_key").toByteArray(), doc.getString("signing_key").toByteArray(), callback, null).use { trail ->
            assertEquals(verifyDoc.getString("public_key"), trail.publicKey())
            val steps = case.getJSONArray("steps")
            for (i in 0 until steps.length()) {
                val step = steps.getJSONObject(i)
                val now = nowOf(step)
                val run: () -> String = when {
                    step.has("write") -> { { trail.write(text(step.get("write")), now) } }
                    step.has("checkpoint") -> { { trail.checkpoint(now) } }
                    else -> { assertTrue(step.has("close"), "step $i: unknown step"); { trail.close(now) } }
                }
                if (step.has("expect_error")) {
                    expectError(step.getString("expect_error")) { run() }
                    continue
                }
                val receipt = parse(run()) as JSONObject
                assertEquals(step.optString("expect_status", "written"), receipt.getString("status"), "step $i")
                assertEquals(trail.writer(), receipt.getString("writer"), "step $i")
            }
            val lines = if (callback != null) accepted else trail.lines()
            val log = lines.joinToString("") { it + "\n" }
            case.optJSONArray("expect_absent")?.forEach { assertFalse(log.contains(it as String), "the log holds $it") }
            val report = parse(auditVerifyText(log.toByteArray(), doc.getString("chain_key").toByteArray(), verifyDoc.getString("public_key").toByteArray())) as JSONObject
            assertEquals(case.optString("expect_verify", "intact"), report.getString("status"), report.opt("problems").toString())
            same(JSONArray(lines), case.getJSONArray("expect_lines"), "lines")
        }
    }

    private fun mutatedLog(case: JSONObject): ByteArray {
        val records = auditRecords.getJSONArray("cases")
        val source = (0 until records.length()).map { records.getJSONObject(it) }.single { it.getString("name") == case.getString("log") }
        val lines = source.getJSONArray("expect_lines").map { it as String }.toMutableList()
        val m = case.optJSONObject("mutate") ?: JSONObject()
        val unknown = m.keySet() - setOf("delete", "duplicate", "swap", "keep_lines", "replace", "cut_bytes")
        assertTrue(unknown.isEmpty(), "unknown mutations $unknown")
        if (m.has("delete")) lines.removeAt(m.getInt("delete"))
        if (m.has("duplicate")) m.getInt("duplicate").let { lines.add(it + 1, lines[it]) }
        if (m.has("swap")) {
            val i = m.getJSONArray("swap").getInt(0); val j = m.getJSONArray("swap").getInt(1)
            val t = lines[i]; lines[i] = lines[j]; lines[j] = t
        }
        if (m.has("keep_lines")) while (lines.size > m.getInt("keep_lines")) lines.removeAt(lines.size - 1)
        if (m.has("replace")) {
            val r = m.getJSONObject("replace")
            val l = r.getInt("line")
            lines[l] = lines[l].replaceFirst(r.getString("from"), r.getString("to"))
        }
        val bytes = lines.joinToString("") { it + "\n" }.toByteArray(Charsets.UTF_8)
        return bytes.copyOf(bytes.size - m.optInt("cut_bytes", 0))
    }

    private fun opAuditVerify(case: JSONObject, doc: JSONObject) {
        val key = case.optString("chain_key", auditRecords.getString("chain_key")).toByteArray()
        val public = case.optString("public_key", doc.getString("public_key")).toByteArray()
        val log = mutatedLog(case)
        if (case.optBoolean("flip_every_byte")) {
            var lastLineStart = log.size - 2
            while (lastLineStart >= 0 && log[lastLineStart] != '\n'.code.toByte()) lastLineStart--
            lastLineStart++
            for (i in log.indices) {
                val copy = log.copyOf()
                copy[i] = (copy[i].toInt() xor 1).toByte()
                val status = (parse(auditVerifyText(copy, key, public)) as JSONObject).getString("status")
                assertTrue(status != "intact", "byte $i flipped went unnoticed")
                if (i < lastLineStart) assertEquals("tampered", status, "byte $i")
            }
            return
        }
        val report = parse(auditVerifyText(log, key, public)) as JSONObject
        val expect = case.getJSONObject("expect")
        val problems = report.opt("problems").toString()
        assertEquals(expect.getString("status"), report.getString("status"), problems)
        val first = report.opt("first_bad")
        if (expect.has("first_kind")) assertEquals(expect.getString("first_kind"), (first as JSONObject).getString("kind"), problems)
        if (expect.has("first_line")) assertEquals(expect.getLong("first_line"), (first as JSONObject).getLong("line"), problems)
        for (k in listOf("records", "checkpoints")) if (expect.has(k)) check(report.get(k), expect.get(k), k)
        assertEquals(mapOf("intact" to 0, "tampered" to 1, "incomplete" to 4)[report.getString("status")], report.getInt("exit_code"))
    }

    private val guardTrail = JSONObject()
        .put("sink", JSONObject().put("type", "memory")).put("writer", "guard.1").put("prompt", "full")
        .put("response", "full").put("checkpoint_every", 0).put("checkpoint_interval_ms", 0)

    private fun opAuditGuard(case: JSONObject, doc: JSONObject) {
        val guard = guardOf(doc.get("policy"))
        val principal = text(case.get("principal"))
        val request = text(case.get("request"))
        val d = guard.prepare(principal, request, null, null)
        AuditTrail.open(guardTrail.toString(), chainKey(), null, null, null).use { trail ->
            val details = if (case.has("details")) text(case.get("details")) else "{}"
            val receipt = parse(guard.audit(trail, principal, request, d, details, nowOf(case))) as JSONObject
            assertEquals("written", receipt.getString("status"))
            val line = receipt.getString("line")
            assertEquals(listOf(line), trail.lines())
            checkBudget(parse(line), case.get("expect"), "record")
            case.optJSONArray("expect_absent")?.forEach { assertFalse(line.contains(it as String), "the record holds $it") }
        }
    }

    private fun opAuditCanonical(case: JSONObject, doc: JSONObject) {
        if (case.has("canonical")) assertEquals(case.getString("canonical"), canonicalJson(case.getString("input")))
        else expectError(case.getString("error")) { canonicalJson(case.getString("input")) }
    }

    // --- governed ----------------------------------------------------------------------------

    private fun contentOf(response: Any?): String = try {
        val c = (response as JSONObject).getJSONArray("choices").getJSONObject(0).getJSONObject("message").opt("content")
        if (c is String) c else ""
    } catch (e: Exception) { "" }

    private fun opGovernedCalls(case: JSONObject, doc: JSONObject) {
        StandIn.reset(case.opt("script"))
        val guard = Guard(text(doc.getJSONObject("policies").get(case.getString("policy"))), null)
        val ledger = Ledger("memory:")
        val trailConfig = JSONObject().put("sink", JSONObject().put("type", "memory")).put("writer", "governed.1").put("prompt", "full").put("response", "hash")
        val trail = AuditTrail.open(trailConfig.toString(), chainKey(), null, null, null)
        val principal = text(case.get("principal"))
        val request = text(case.get("request"))
        var chunks = 0
        var textOut = ""
        var answered: JSONObject? = null
        when (val mode = case.getString("mode")) {
            "chat", "stream" -> {
                val options = JSONObject().put("base_url", StandIn.baseUrl).put("backoff_ms", 5).put("api_key_file", StandIn.keyFile.path)
                Client(guard, ledger, trail, options.toString()).use { client ->
                    if (mode == "chat") {
                        answered = parse(client.chat(principal, request)) as JSONObject
                        textOut = contentOf(answered.opt("response"))
                    } else {
                        client.stream(principal, request).use { stream ->
                            val sb = StringBuilder()
                            while (true) {
                                val chunk = parse(stream.next() ?: break) as JSONObject
                                chunks++
                                val choice = chunk.optJSONArray("choices")?.optJSONObject(0)
                                val content = choice?.optJSONObject("delta")?.opt("content")
                                if (content is String) sb.append(content)
                            }
                            textOut = sb.toString()
                            answered = parse(stream.answer() ?: throw AssertionError("no answer")) as JSONObject
                        }
                    }
                }
            }
            "complete" -> {
                Governor(guard, ledger, trail, null).use { governor ->
                    when (val begun = governor.begin(principal, request)) {
                        is Begun.Refused -> answered = parse(begun.answer) as JSONObject
                        is Begun.Send -> begun.call.use { call ->
                            val (status, body) = StandIn.http("POST", StandIn.baseUrl + "/chat/completions", call.request(), mapOf("authorization" to "Bearer ${StandIn.KEY}"))
                            val a = parse(call.complete(status, body)) as JSONObject
                            answered = a
                            textOut = contentOf(a.opt("response"))
                        }
                    }
                }
            }
            else -> throw AssertionError("unknown mode $mode")
        }
        val answer = answered ?: throw AssertionError("no answer")
        check(answer, case.get("expect"), "answer")
        if (case.has("expect_text")) assertEquals(case.getString("expect_text"), textOut)
        if (case.has("expect_chunks_min")) assertTrue(chunks >= case.getInt("expect_chunks_min"), "$chunks chunks")
        if (case.has("expect_sent")) {
            val bodies = StandIn.chatBodies()
            if (case.isNull("expect_sent")) assertTrue(bodies.isEmpty(), "a request was sent")
            else {
                assertTrue(bodies.isNotEmpty(), "no request was sent")
                check(bodies.last(), case.get("expect_sent"), "sent")
            }
        }
        val lines = trail.lines().filter { (parse(it) as JSONObject).optString("kind") == "interaction" }
        assertEquals(1, lines.size, "${lines.size} interaction records; one per call")
        check(parse(lines[0]), case.get("expect_record"), "record")
        val answerText = answer.toString()
        case.optJSONArray("expect_absent")?.forEach {
            assertFalse(lines[0].contains(it as String), "the record holds $it")
            assertFalse(answerText.contains(it), "the answer holds $it")
        }
        if (case.has("expect_spend_records")) assertEquals(case.getInt("expect_spend_records"), (parse(ledger.records(null, null)) as JSONArray).length())
        trail.close(); ledger.close(); guard.close()
    }
}

package routeguard

import java.io.File
import java.net.HttpURLConnection
import java.net.URI
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail

/** The repository root (surefire sets `routeguard.repo`). */
val REPO: File = File(System.getProperty("routeguard.repo") ?: "..").canonicalFile
val CONFORMANCE: File = File(REPO, "tests/conformance")

fun readJson(file: File): JSONObject = JSONObject(file.readText(Charsets.UTF_8))

/** JSON text of a value from a case (objects and lists re-encoded, strings as they are). */
fun text(value: Any?): String = when (value) {
    is String -> value
    null, JSONObject.NULL -> "null"
    else -> value.toString()
}

fun parse(json: String): Any? = JSONArray("[$json]").get(0)

/** The corpus' comparison: objects on the keys given, lists in length and order. */
fun check(actual: Any?, expected: Any?, path: String) {
    when (expected) {
        is JSONObject -> {
            assertTrue(actual is JSONObject, "$path: $actual is not an object")
            val a = actual as JSONObject
            for (key in expected.keySet()) {
                assertTrue(a.has(key), "$path.$key: missing in $a")
                check(a.get(key), expected.get(key), "$path.$key")
            }
        }
        is JSONArray -> {
            assertTrue(actual is JSONArray, "$path: $actual is not a list")
            val a = actual as JSONArray
            assertEquals(expected.length(), a.length(), "$path: $a")
            for (i in 0 until expected.length()) check(a.get(i), expected.get(i), "$path[$i]")
        }
        is Number -> {
            assertTrue(actual is Number, "$path: $actual is not a number")
            assertEquals(0, java.math.BigDecimal(expected.toString()).compareTo(java.math.BigDecimal(actual.toString())), "$path: $actual != $expected")
        }
        else -> assertEquals(expected, actual, path)
    }
}

/** Exact JSON equality (both ways). */
fun same(actual: Any?, expected: Any?, path: String) {
    check(actual, expected, path)
    check(expected, actual, path)
}

fun expectError(code: String, run: () -> Unit) {
    assertTrue(errorCodes().any { it.name == code }, "unknown error code $code in the corpus")
    try {
        run()
        fail<Unit>("expected $code, nothing was raised")
    } catch (e: RouteguardException) {
        assertEquals(code, e.errorCode(), e.message)
    }
}

/** The local OpenRouter stand-in, started once for the run (it exits when idle). */
object StandIn {
    const val KEY = "sk-or-v1-conformance"
    private val process: Process
    val root: String

    init {
        val pb = ProcessBuilder("python3", File(REPO, "tests/mock-openrouter/server.py").path, "--port", "0", "--idle-exit", "120")
        pb.redirectError(ProcessBuilder.Redirect.INHERIT)
        process = pb.start()
        val line = process.inputStream.bufferedReader().readLine() ?: error("the stand-in did not start")
        root = line.removePrefix("listening ").trim()
        Runtime.getRuntime().addShutdownHook(Thread { process.destroy() })
    }

    val baseUrl: String get() = "$root/api/v1"

    val keyFile: File by lazy {
        File.createTempFile("rg-jvm-key-", ".txt").apply { writeText(KEY + "\n"); deleteOnExit() }
    }

    fun http(method: String, url: String, body: String?, headers: Map<String, String> = emptyMap()): Pair<Int, String> {
        val conn = URI(url).toURL().openConnection() as HttpURLConnection
        conn.requestMethod = method
        conn.connectTimeout = 10_000
        conn.readTimeout = 30_000
        headers.forEach { (k, v) -> conn.setRequestProperty(k, v) }
        if (body != null) {
            conn.doOutput = true
            conn.setRequestProperty("content-type", "application/json")
            conn.outputStream.use { it.write(body.toByteArray(Charsets.UTF_8)) }
        }
        val status = conn.responseCode
        val stream = if (status >= 400) conn.errorStream else conn.inputStream
        val reply = stream?.use { String(it.readBytes(), Charsets.UTF_8) } ?: ""
        return status to reply
    }

    fun reset(script: Any?) {
        http("POST", "$root/_mock/reset", "{}")
        if (script != null && script != JSONObject.NULL) http("POST", "$root/_mock/script", script.toString())
    }

    fun chatBodies(): List<Any?> {
        val got = parse(http("GET", "$root/_mock/requests", null).second)
        val list = if (got is JSONObject) got.getJSONArray("requests") else got as JSONArray
        return (0 until list.length()).map { list.getJSONObject(it) }
            .filter { it.optString("path").endsWith("/chat/completions") }
            .map { it.get("body") }
    }
}

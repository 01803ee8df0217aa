package routeguard

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class ApiTest {
    @Test
    fun scanFindsAnEmailAndACardInUtf16Units() {
        val text = "🙂 write to jane.doe@example.com, card 4111 1111 1111 1111."
        Scanner().use { scanner ->
            val found = scanner.scan(text)
            assertEquals(listOf("email_address", "credit_card"), found.map { it.detector })
            assertEquals("jane.doe@example.com", text.substring(found[0].start.toInt(), found[0].end.toInt()))
            assertEquals("4111 1111 1111 1111", text.substring(found[1].start.toInt(), found[1].end.toInt()))
            assertEquals(found[0].start + 2, found[0].byteStart) // the emoji: 2 UTF-16 units, 4 bytes
            val r = scanner.redact(text, "redact")
            assertEquals("🙂 write to [EMAIL_ADDRESS], card [CREDIT_CARD].", r.text)
            assertFalse(r.blocked)
        }
    }

    @Test
    fun guardDecides() {
        val policy = """{"version": 1, "defaults": {"models": {"allow": ["openai/*"]}}, "workspaces": {"default": {}}, "users": {"alice": {}}}"""
        Guard(policy).use { guard ->
            val principal = """{"user": "alice", "workspace": "default"}"""
            val denied = guard.prepare(principal, """{"model": "anthropic/claude-sonnet-4", "messages": [{"role": "user", "content": "hi"}]}""")
            assertFalse(denied.allowed)
            assertTrue(denied.reasons.isNotEmpty())
            val allowed = guard.prepare(principal, """{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}""")
            assertTrue(allowed.allowed, allowed.toString())
            assertEquals(listOf("openai/gpt-4o-mini"), allowed.prepared!!.models)
        }
    }

    @Test
    fun errorsCarryCodeNumberAndMessage() {
        val e = assertThrows<RouteguardException.InvalidConfig> { Scanner("""{"colour": "blue"}""") }
        assertEquals("invalid_config", e.code)
        assertEquals(2000, e.number)
        assertEquals("invalid_config", e.errorCode())
        assertEquals(2000, e.errorNumber())
        assertTrue(e.message!!.contains("invalid_config"))
    }
}

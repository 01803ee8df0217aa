require_relative 'helper'

class ApiTest < Minitest::Test
  TEXT = 'Mail ada@example.org, card 4111 1111 1111 1111'

  # The exported offsets: start/_end in UTF-16 units, byte_start/byte_end in UTF-8 bytes.
  def slice(text, f)
    text.byteslice(f.byte_start, f.byte_end - f.byte_start)
  end

  def test_scan_finds_email_and_card_with_byte_offsets
    found = Routeguard::Scanner.new.scan(TEXT)
    assert_equal %w[EMAIL_ADDRESS CREDIT_CARD], found.map(&:category)
    assert_equal %w[email_address credit_card], found.map(&:detector)
    assert_equal 'ada@example.org', slice(TEXT, found[0])
    assert_equal '4111 1111 1111 1111', slice(TEXT, found[1])
    # ASCII only: all three units agree.
    found.each { |f| assert_equal [f.start, f._end], [f.byte_start, f.byte_end] }
  end

  def test_byte_offsets_are_right_after_non_ascii_text
    text = "Grüße 🙂 #{TEXT}"
    found = Routeguard::Scanner.new.scan(text)
    assert_equal %w[EMAIL_ADDRESS CREDIT_CARD], found.map(&:category)
    assert_equal 'ada@example.org', slice(text, found[0])
    assert_equal '4111 1111 1111 1111', slice(text, found[1])
    prefix = 'Grüße 🙂 '
    # ü and ß are 2 bytes / 1 UTF-16 unit each; the emoji is 4 bytes / 2 units (Ruby: 1 char).
    assert_equal prefix.bytesize + 5, found[0].byte_start
    assert_equal prefix.encode('UTF-16LE').bytesize / 2 + 5, found[0].start
    refute_equal found[0].start, found[0].byte_start
    # The UTF-16 offsets are not Ruby character indexes: convert through UTF-16 to use them.
    u16 = text.encode('UTF-16LE')
    assert_equal 'ada@example.org', u16.byteslice(found[0].start * 2, (found[0]._end - found[0].start) * 2).encode('UTF-8')
    refute_equal 'ada@example.org', text[found[0].start, found[0]._end - found[0].start]
  end

  def test_redact
    r = Routeguard::Scanner.new.redact("Grüße 🙂 #{TEXT}", 'redact')
    assert_equal 'Grüße 🙂 Mail [EMAIL_ADDRESS], card [CREDIT_CARD]', r.text
    refute r.blocked
  end

  def test_guard_allows_anthropic_and_denies_openai
    guard = Routeguard::Guard.new(EU_POLICY)
    allowed = guard.prepare(ALICE_EU, chat_request('anthropic/claude-sonnet-4'))
    assert allowed.allowed, allowed.reasons.map(&:message).inspect
    assert_equal ['anthropic/claude-sonnet-4'], allowed.prepared.models
    denied = guard.prepare(ALICE_EU, chat_request('openai/gpt-4o'))
    refute denied.allowed
    assert_nil denied.prepared
    assert_equal ['model_not_allowed'], denied.reasons.map(&:code)
  end

  def test_invalid_policy_json_raises_a_routeguard_error_without_the_input
    input = '{"sk-or-v1-SECRET-7f3a": nope'
    e = assert_raises(Routeguard::RouteguardError::InvalidPolicy) { Routeguard::Guard.new(input) }
    assert_equal 'invalid_policy', e.code
    assert_equal 2100, e.number
    refute_empty e.detail
    refute_includes e.message, 'SECRET'
    refute_includes e.message, input
    refute_includes e.detail, 'SECRET'
    # Malformed JSON given where a JSON value is read as such (not as a policy) is invalid_json.
    e = assert_raises(Routeguard::RouteguardError::InvalidJson) { Routeguard.canonical_json('{"a": SECRET') }
    assert_equal 'invalid_json', e.code
    assert_equal 1001, e.number
    refute_includes e.message, 'SECRET'
  end
end

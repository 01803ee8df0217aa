require_relative 'helper'
require 'tempfile'
require 'timeout'

# One governed chat through Client against the local OpenRouter stand-in
# (tests/mock-openrouter/server.py), with the key read from a key file.
class GovernedTest < Minitest::Test
  def setup
    @server = IO.popen(['python3', File.join(REPO, 'tests/mock-openrouter/server.py'),
                        '--port', '0', '--idle-exit', '120'], 'r')
    line = Timeout.timeout(20) { @server.gets }
    assert line&.start_with?('listening '), "the stand-in did not start: #{line.inspect}"
    @root = line.delete_prefix('listening ').strip
    @key = Tempfile.new('routeguard-key')
    @key.write('sk-or-v1-test')
    @key.close
  end

  def teardown
    Process.kill('TERM', @server.pid) if @server
    @server&.close
    @key&.unlink
  end

  def test_chat_is_allowed_and_answered
    guard = Routeguard::Guard.new(EU_POLICY)
    options = JSON.generate('base_url' => "#{@root}/api/v1", 'api_key_file' => @key.path)
    client = Routeguard::Client.new(guard, nil, nil, options)
    assert_equal "#{@root}/api/v1", client.base_url
    answer = JSON.parse(client.chat(ALICE_EU, chat_request('anthropic/claude-sonnet-4')))
    assert_equal true, answer['allowed'], answer.inspect
    assert_equal 200, answer['status']
    assert_equal 'mock reply to 1 message', answer.dig('response', 'choices', 0, 'message', 'content')
    # A denied model is refused before anything is sent.
    refused = JSON.parse(client.chat(ALICE_EU, chat_request('openai/gpt-4o')))
    assert_equal false, refused['allowed']
  end
end

# Shared setup of the Ruby suite: loads the generated uniffi module (bindings/uniffi/ruby), which
# finds librouteguard_uniffi.so through LD_LIBRARY_PATH (ruby/ci.sh sets it), and minitest.
require 'minitest/autorun'
require 'json'
require_relative '../../bindings/uniffi/ruby/routeguard'

REPO = File.expand_path('../..', __dir__)
CONFORMANCE = File.join(REPO, 'tests/conformance')

# The policy of the guard and governed tests: anthropic/* only, an EU-processing workspace.
EU_POLICY = JSON.generate(
  'version' => 1,
  'defaults' => { 'models' => { 'allow' => ['anthropic/*'] } },
  'workspaces' => { 'eu' => { 'providers' => { 'processing' => ['EU'], 'jurisdictions' => %w[EEA US] } } },
  'users' => { 'alice' => {} }
)
ALICE_EU = JSON.generate('user' => 'alice', 'workspace' => 'eu')

def chat_request(model)
  JSON.generate('model' => model, 'messages' => [{ 'role' => 'user', 'content' => 'Hi' }], 'max_tokens' => 100)
end

# RouteguardError's class for an error code name (invalid_json -> InvalidJson).
def error_class_name(code)
  code.split('_').map(&:capitalize).join
end

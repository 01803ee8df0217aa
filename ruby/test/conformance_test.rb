require_relative 'helper'

# tests/conformance/errors.json: this binding's error table equals the corpus' exactly, and every
# code has its error class in Routeguard::RouteguardError carrying that code and number.
class ErrorsConformanceTest < Minitest::Test
  DOC = JSON.parse(File.read(File.join(CONFORMANCE, 'errors.json')))

  def test_error_table_equals_the_corpus
    table = Routeguard.error_codes.map { |c| { 'name' => c.name, 'number' => c.number, 'meaning' => c.meaning } }
    assert_equal DOC['codes'], table
  end

  def test_every_code_maps_to_its_error_class
    mod = Routeguard::RouteguardError
    classes = mod.constants.map { |c| mod.const_get(c) }.select { |c| c.is_a?(Class) && c < StandardError }
    names = DOC['codes'].map { |c| error_class_name(c['name']) }
    assert_equal names.sort, classes.map { |c| c.name.split('::').last }.sort
    DOC['codes'].each do |c|
      klass = mod.const_get(error_class_name(c['name']))
      e = klass.new(c['name'], c['number'], 'detail')
      assert_equal [c['name'], c['number'], 'detail'], [e.code, e.number, e.detail]
    end
  end
end

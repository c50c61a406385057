#include "vmoodle/manifest/schema_validation.hpp"

#include "vmoodle/manifest/manifest.hpp"

// valijson reports a broken schema by aborting unless exceptions are enabled; this is
// the only file that includes it, so the setting cannot disagree between units.
#define VALIJSON_USE_EXCEPTIONS 1
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <memory>
#include <stdexcept>

namespace vmoodle::manifest {

namespace {

struct CompiledSchema {
  nlohmann::json json;
  valijson::Schema schema;
};

// Parsed once: the schema is a constant of the binary.
const CompiledSchema& compiled_schema() {
  static const std::unique_ptr<CompiledSchema> compiled = [] {
    auto out = std::make_unique<CompiledSchema>();
    out->json = nlohmann::json::parse(k_fleet_schema_json);
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(out->json);
    parser.populateSchema(adapter, out->schema);
    return out;
  }();
  return *compiled;
}

// valijson names each step `[name]` or `[index]` after a leading `<root>`; the
// document tells which is which.
JsonPath to_path(const nlohmann::json& doc, const std::vector<std::string>& context) {
  JsonPath path;
  const nlohmann::json* node = &doc;
  for (std::size_t i = 1; i < context.size(); ++i) {
    std::string step = context[i];
    if (step.size() >= 2 && step.front() == '[' && step.back() == ']') {
      step = step.substr(1, step.size() - 2);
    }
    if (node != nullptr && node->is_array()) {
      const int index = std::stoi(step);
      path.push_back(PathSegment::item(index));
      node =
          index >= 0 && static_cast<std::size_t>(index) < node->size() ? &(*node)[index] : nullptr;
    } else {
      path.push_back(PathSegment::field(step));
      node =
          node != nullptr && node->is_object() && node->contains(step) ? &node->at(step) : nullptr;
    }
  }
  return path;
}

} // namespace

void validate_schema(const nlohmann::json& doc, const SourceMap& source, Diagnostics& diags) {
  const CompiledSchema* compiled = nullptr;
  try {
    compiled = &compiled_schema();
  } catch (const std::exception& e) {
    diags.add(Location{source.file(), 0, 0, {}},
              std::string("internal error: the embedded fleet schema is invalid: ") + e.what(),
              "this is a bug in vmoodle-apply; please report it");
    return;
  }
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc);
  std::vector<SchemaViolation> violations;
  try {
    if (validator.validate(compiled->schema, target, &results)) {
      return;
    }
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      violations.push_back(SchemaViolation{to_path(doc, error.context), error.description});
    }
  } catch (const std::exception& e) {
    diags.add(Location{source.file(), 0, 0, {}},
              std::string("internal error while validating the manifest: ") + e.what(),
              "this is a bug in vmoodle-apply; please report it");
    return;
  }
  report_violations(compiled->json, doc, violations, source, diags);
}

} // namespace vmoodle::manifest

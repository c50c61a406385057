#include "vmoodle/manifest/manifest.hpp"

#include "vmoodle/manifest/diagnostics.hpp"
#include "vmoodle/manifest/paths.hpp"
#include "vmoodle/manifest/resolve.hpp"
#include "vmoodle/manifest/schema_validation.hpp"
#include "vmoodle/manifest/semantic_checks.hpp"
#include "vmoodle/manifest/yaml_loader.hpp"

namespace vmoodle::manifest {

Result<model::Fleet> load(std::string_view text, const std::string& file,
                          const std::string& base_dir) {
  Diagnostics diags;
  auto document = load_yaml(text, file, diags);
  if (!document) {
    return tl::unexpected(diags.to_error(file));
  }
  validate_schema(document->json, document->source, diags);
  // Resolution reads the document as the schema shaped it; with schema errors it
  // would only add noise about the same lines.
  if (!diags.empty()) {
    return tl::unexpected(diags.to_error(file));
  }
  ResolveContext ctx{document->source, base_dir, diags};
  model::Fleet fleet;
  try {
    fleet = resolve(document->json, ctx);
    check_fleet(fleet, document->source, diags);
  } catch (const nlohmann::json::exception& e) {
    // The schema guarantees the shapes resolve() reads; reaching this is a bug.
    diags.add(Location{file, 0, 0, {}},
              std::string("internal error while reading the manifest: ") + e.what(),
              "this is a bug in vmoodle-apply (schema and reader disagree); please report it");
  }
  if (!diags.empty()) {
    return tl::unexpected(diags.to_error(file));
  }
  return fleet;
}

Result<model::Fleet> load_file(platform::FileReader& reader, const std::string& path) {
  auto text = reader.read_file(path);
  if (!text) {
    Error error = std::move(text.error());
    if (error.where.empty()) {
      error.where = path;
    }
    return tl::unexpected(std::move(error));
  }
  return load(*text, path, parent_directory(path));
}

} // namespace vmoodle::manifest

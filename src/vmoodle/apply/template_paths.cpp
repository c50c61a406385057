#include "vmoodle/apply/template_paths.hpp"

#include "vmoodle/model/markers.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::apply {

bool is_template_name(std::string_view name) {
  // The same alphabet and length as a database name.
  return sql::is_identifier(name);
}

TemplatePaths::TemplatePaths(const std::string& templates_dir, const std::string& name)
    : dir(templates_dir), sql(dir + "/" + name + "_sql"), data(dir + "/" + name + "_vmoodledata"),
      partial_sql(dir + "/." + name + ".partial_sql"),
      partial_data(dir + "/." + name + ".partial_vmoodledata"),
      old_sql(dir + "/." + name + ".old_sql"), old_data(dir + "/." + name + ".old_vmoodledata") {}

bool keep_in_template(const std::string& relative) {
  const auto slash = relative.rfind('/');
  const std::string_view name = slash == std::string::npos
                                    ? std::string_view(relative)
                                    : std::string_view(relative).substr(slash + 1);
  if (name == "vmoodle") {
    return false;
  }
  if (slash == std::string::npos) {
    return name != "sessions" && name != "temp" && name != "cache" &&
           name != model::k_creating_marker;
  }
  return true;
}

} // namespace vmoodle::apply

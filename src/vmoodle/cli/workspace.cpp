#include "vmoodle/cli/workspace.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "vmoodle/diff/compute_plan.hpp"
#include "vmoodle/git/libgit2_repository.hpp"
#include "vmoodle/live/refresh.hpp"
#include "vmoodle/manifest/manifest.hpp"

namespace vmoodle::cli {

Result<ManifestSource> read_manifest(Adapters& adapters, const std::string& path,
                                     const std::string& rev, const std::string& base) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec).lexically_normal().string();
  if (ec) {
    return fail(ErrorKind::usage, "cannot resolve the manifest path: " + ec.message(), path);
  }
  ManifestSource source{absolute, "", "", rev, false, ""};
  auto repo = git::Libgit2Repository::discover(std::filesystem::path(absolute).parent_path());
  if (!repo && (!rev.empty() || !base.empty())) {
    Error error = repo.error();
    error.message = "--rev and --base need the manifest in a git repository: " + error.message;
    return tl::unexpected(std::move(error));
  }
  std::string in_repo;
  if (repo) {
    VM_TRY_ASSIGN(in_repo, (*repo)->path_in_repository(absolute));
    VM_TRY_ASSIGN(source.commit, (*repo)->resolve(rev.empty() ? "HEAD" : rev));
  }
  if (!rev.empty()) {
    VM_TRY_ASSIGN(source.text, (*repo)->read_blob(source.commit, in_repo));
  } else {
    auto stat = adapters.files.stat(absolute);
    if (!stat || !stat->exists) {
      return fail(ErrorKind::usage, "manifest not found", path,
                  "give the fleet manifest with -f FILE (default fleet.yaml)");
    }
    VM_TRY_ASSIGN(source.text, adapters.files.read_file(absolute));
    if (repo) {
      auto status = (*repo)->status(in_repo);
      if (status) {
        source.dirty = status->dirty();
        source.git_state = status->describe();
      }
    }
  }
  if (!base.empty()) {
    VM_TRY_ASSIGN(auto base_commit, (*repo)->resolve(base));
    VM_TRY_ASSIGN(auto contained, (*repo)->contains(source.commit, base_commit));
    if (!contained) {
      // A branch behind its base plans to destroy or revert what the base added.
      return fail(ErrorKind::conflict,
                  "the manifest's commit " + source.commit.substr(0, 12) + " does not contain " +
                      base + " (" + base_commit.substr(0, 12) + ")",
                  path, "rebase or merge " + base + " into the branch, then plan again");
    }
  }
  return source;
}

Result<model::Fleet> load_manifest_source(const ManifestSource& source) {
  return manifest::load(source.text, source.path,
                        std::filesystem::path(source.path).parent_path().string());
}

Result<model::Fleet> load_manifest(Adapters& adapters, const std::string& path) {
  VM_TRY_ASSIGN(auto source, read_manifest(adapters, path));
  return load_manifest_source(source);
}

Result<Planned> make_plan(Adapters& adapters, const Options& options) {
  Planned planned;
  VM_TRY_ASSIGN(planned.manifest,
                read_manifest(adapters, options.manifest, options.rev, options.base));
  VM_TRY_ASSIGN(planned.fleet, load_manifest_source(planned.manifest));
  VM_TRY_ASSIGN(auto selected, diff::select_hosts(planned.fleet, options.hosts));
  for (const auto& name : options.replace) {
    const auto& snapshots = planned.fleet.snapshots;
    if (std::none_of(snapshots.begin(), snapshots.end(),
                     [&](const model::Snapshot& s) { return s.name == name; })) {
      return fail(ErrorKind::usage, "no snapshot named " + name + " is declared", "--replace",
                  "name a snapshot listed under `snapshots:` in " + planned.fleet.file);
    }
  }

  std::map<std::string, Secret> passwords;
  std::vector<Error> missing;
  for (const model::Host* host : selected) {
    if (host->state != model::HostState::present || !host->db_password) {
      continue;
    }
    auto secret = adapters.secrets.resolve(*host->db_password);
    if (secret) {
      passwords[host->vhostname] = std::move(*secret);
    } else {
      missing.push_back(secret.error());
    }
  }
  if (!missing.empty()) {
    return tl::unexpected(Error{ErrorKind::secret, "", "", "", std::move(missing)});
  }

  VM_TRY_ASSIGN(planned.live, live::refresh(planned.fleet, {adapters.connector, adapters.files,
                                                            adapters.secrets}));
  diff::PlanOptions plan_options;
  plan_options.only_hosts = options.hosts;
  plan_options.replace_snapshots = options.replace;
  plan_options.max_destroy = options.max_destroy;
  VM_TRY_ASSIGN(planned.plan,
                diff::compute_plan(planned.fleet, planned.live, passwords, plan_options));
  return planned;
}

void print_error(const Error& error) {
  std::string text = error.render();
  std::string::size_type start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    const auto line = text.substr(start, end - start);
    // Indented lines (hints, a hook's output) continue the error above them.
    fmt::print(stderr, "{}{}\n", line.rfind("  ", 0) == 0 ? "" : "Error: ", line);
    start = end + 1;
  }
}

} // namespace vmoodle::cli

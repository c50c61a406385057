#!/usr/bin/env python3
"""Writes the hostile-manifest corpus: tests/hostile/manifests/NNN-name.yaml + .expect.

Each case is a manifest an attacker, a careless copy-paste or a broken editor could
produce. `.expect` says what manifest::load must answer (tests/hostile/corpus_test.cpp):

    error: <substring of the rendered error>
    path: <manifest path the error is located at, e.g. hosts[0].database; empty = file>

or, for hostile values that are legitimate data (free text goes to the registry
escaped, never into SQL text):

    accept
    value: <path> = <JSON string the loaded field must equal exactly>

Run `python3 tests/hostile/generate.py` after changing it and commit the output; the
corpus is deterministic (no randomness, no timestamps).
"""

import json
import os
import shutil
import string
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "manifests")

BASE = string.Template("""version: $version
servers:
  $server1_key:
    host: $server1_host
    port: $server1_port
    user: $server1_user
    password: $server1_password
    registry_host: $server1_registry_host
    max_parallel: $server1_max_parallel
  db2:
    socket: $server2_socket
    user: root
    password: {file: $server2_password_file}
master:
  server: $master_server
  database: $master_database
  prefix: $master_prefix
  dataroot: $master_dataroot
  wwwroot: $master_wwwroot
dataroot_roots: [$root]
defaults:
  server: $defaults_server
  database: $defaults_database
  prefix: $defaults_prefix
  db_type: $defaults_db_type
  db_user: $defaults_db_user
  db_password: {env: $defaults_password_env}
  dataroot: $defaults_dataroot
  mnet: $defaults_mnet
  enabled: $defaults_enabled
hosts:
  - vhostname: $host_vhostname
    shortname: $host_shortname
    name: $host_name
    description: $host_description
    database: $host_database
    prefix: $host_prefix
    db_user: $host_db_user
    dataroot: $host_dataroot
    template: $host_template
    charset: $host_charset
    collation: $host_collation
    engine: $host_engine
    row_format: $host_row_format
    protect: $host_protect
  - vhostname: https://old.example.org
    shortname: old
    state: $old_state
    final_snapshot: false
snapshots:
  - name: $snapshot_name
    from: $snapshot_from
""")

DEFAULTS = {
    "version": "1",
    "server1_key": "db1",
    "server1_host": "127.0.0.1",
    "server1_port": "3306",
    "server1_user": "vmoodle_admin",
    "server1_password": "{env: DB1_PASSWORD}",
    "server1_registry_host": "db1.internal",
    "server1_max_parallel": "4",
    "server2_socket": "/run/mysqld/mysqld.sock",
    "server2_password_file": "/etc/vmoodle/db2.pass",
    "master_server": "db1",
    "master_database": "moodle",
    "master_prefix": "mdl_",
    "master_dataroot": "/var/moodledata",
    "master_wwwroot": "https://moodle.example.org",
    "root": "/var/moodledata/vhosts",
    "defaults_server": "db1",
    "defaults_database": '"vmdl_{shortname}"',
    "defaults_prefix": "mdl_",
    "defaults_db_type": "mariadb",
    "defaults_db_user": "moodle",
    "defaults_password_env": "MOODLE_DB_PASSWORD",
    "defaults_dataroot": '"/var/moodledata/vhosts/{shortname}"',
    "defaults_mnet": "-1",
    "defaults_enabled": "true",
    "host_vhostname": "https://kleber.example.org",
    "host_shortname": "kleber",
    "host_name": '"Lycée Kléber"',
    "host_description": '"Site of {shortname}"',
    "host_database": "vmdl_kleber",
    "host_prefix": "mdl_",
    "host_db_user": "moodle",
    "host_dataroot": "/var/moodledata/vhosts/kleber",
    "host_template": "base44",
    "host_charset": "utf8mb4",
    "host_collation": "utf8mb4_unicode_ci",
    "host_engine": "InnoDB",
    "host_row_format": "Dynamic",
    "host_protect": "true",
    "old_state": "absent",
    "snapshot_name": "base45",
    "snapshot_from": "https://kleber.example.org",
}


def quoted(value):
    """A YAML double-quoted scalar holding exactly `value` (UTF-8 kept, controls escaped)."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0:
            out.append("\\x%02x" % code)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def manifest(**overrides):
    values = dict(DEFAULTS)
    for key, value in overrides.items():
        if key not in values:
            raise KeyError(key)
        values[key] = value
    return BASE.substitute(values)


CASES = []


def case(name, text, error=None, path="", accept=None):
    """Registers a case; `text` is str or bytes; `accept` = (path, exact value)."""
    if (error is None) == (accept is None):
        raise ValueError(name + ": give exactly one of error= and accept=")
    CASES.append((name, text, error, path, accept))


# Payloads that try to end a quoted SQL string or identifier, run a shell, forge output
# lines, or smuggle something through a format string.
PAYLOADS = {
    "sql-quote": "x'; DROP TABLE mdl_local_vmoodle; --",
    "sql-backtick": "x`; DROP DATABASE moodle; -- ",
    "sql-double-quote": 'x"; DELETE FROM mdl_user; #',
    "sql-backslash": "x\\'; SELECT 1; -- \\",
    "sql-comment": "x/*!50000 DROP TABLE y*/",
    "shell": "$(rm -rf /)`reboot`;|&",
    "newline-forgery": "x\nPlan: 0 to create, 0 to update, 0 to migrate, 0 to snapshot, 0 to destroy.",
    "format-string": "%s%s%n{}{0}{:>99999}",
    "printf": "%s%s%n%x%p%99999999d",
    "ansi-escape": "x\x1b[2J\x1b[31mFAKE",
    "nul": "vmdl\x00x",
    "rtl-override": "abc\u202egpj.exe",
    "four-byte": "caf\u00e9\U0001F600\U00010348",
}

# Fields that must be identifiers (or wwwroots, paths, names): any payload is refused.
IDENTIFIER = "may only contain letters, digits and `_`"
PLACEHOLDER_IDENTIFIER = "may only contain letters, digits, `_` and the placeholders"
WWWROOT = "must look like https://host.example.org"
STRICT_FIELDS = {
    "host_database": ("hosts[0].database", PLACEHOLDER_IDENTIFIER),
    "host_prefix": ("hosts[0].prefix", IDENTIFIER),
    "host_db_user": ("hosts[0].db_user", PLACEHOLDER_IDENTIFIER),
    "host_template": ("hosts[0].template", IDENTIFIER),
    "host_vhostname": ("hosts[0].vhostname", WWWROOT),
    "master_database": ("master.database", IDENTIFIER),
    "master_prefix": ("master.prefix", IDENTIFIER),
    "snapshot_name": ("snapshots[0].name", IDENTIFIER),
    "snapshot_from": ("snapshots[0].from", WWWROOT),
    "host_charset": ("hosts[0].charset", IDENTIFIER),
    "host_collation": ("hosts[0].collation", IDENTIFIER),
}


def strict_field_cases():
    for field, (path, message) in STRICT_FIELDS.items():
        for label in ("sql-quote", "sql-backtick", "shell", "newline-forgery", "nul",
                      "four-byte"):
            short = field.replace("host_", "").replace("_", "-")
            case("inject-%s-%s" % (short, label), manifest(**{field: quoted(PAYLOADS[label])}),
                 error=message, path=path)


def free_text_cases():
    # name and description are data: written to the registry as escaped literals.
    for label in ("sql-quote", "sql-backtick", "sql-double-quote", "sql-backslash", "shell",
                  "printf", "rtl-override", "four-byte"):
        value = PAYLOADS[label]
        case("data-name-%s" % label, manifest(host_name=quoted(value)),
             accept=("hosts[0].name", value))
        case("data-description-%s" % label, manifest(host_description=quoted(value)),
             accept=("hosts[0].description", value))
    # Braces are placeholders: fmt-style fields are refused, not formatted.
    case("inject-name-format-string", manifest(host_name=quoted(PAYLOADS["format-string"])),
         error="unknown placeholder", path="hosts[0].name")
    case("inject-description-format-string",
         manifest(host_description=quoted(PAYLOADS["format-string"])),
         error="unknown placeholder", path="hosts[0].description")
    # ...and never a control character in a one-line field.
    for label in ("newline-forgery", "ansi-escape", "nul"):
        case("inject-name-%s" % label, manifest(host_name=quoted(PAYLOADS[label])),
             error="control character", path="hosts[0].name")
        case("inject-shortname-%s" % label, manifest(host_shortname=quoted(PAYLOADS[label])),
             error="control character", path="hosts[0].shortname")
    # A shortname is free text, but the database and dataroot it expands into are not.
    case("inject-shortname-sql-backtick",
         manifest(host_shortname=quoted(PAYLOADS["sql-backtick"]),
                  host_database='"vmdl_{shortname}"'),
         error="may only contain letters, digits and `_`", path="hosts[0].database")
    case("traversal-shortname-dataroot",
         manifest(host_shortname=quoted("../../../etc"),
                  host_dataroot='"/var/moodledata/vhosts/{shortname}"'),
         error="`..`", path="hosts[0].dataroot")
    for label in ("sql-quote", "newline-forgery", "shell"):
        case("inject-registry-host-%s" % label,
             manifest(server1_registry_host=quoted(PAYLOADS[label])),
             error="invalid registry_host", path="servers.db1.registry_host")
        case("inject-server-user-%s" % label,
             manifest(server1_user=quoted(PAYLOADS[label])),
             error="invalid server user", path="servers.db1.user")


def server_cases():
    for label in ("sql-backtick", "newline-forgery", "shell", "nul"):
        case("inject-server-name-%s" % label,
             manifest(server1_key=quoted(PAYLOADS[label])),
             error="server name", path="servers")
    case("inject-server-host-sql", manifest(server1_host=quoted(PAYLOADS["sql-quote"])),
         error="a host may only contain letters, digits", path="servers.db1.host")
    case("inject-server-host-newline", manifest(server1_host=quoted("db1\nevil")),
         error="a host may only contain letters, digits", path="servers.db1.host")
    case("inject-socket-newline", manifest(server2_socket=quoted("/run/x\n.sock")),
         error="control character", path="servers.db2.socket")
    case("inject-socket-nul", manifest(server2_socket=quoted("/run/x\x00.sock")),
         error="NUL byte", path="servers.db2.socket")
    case("traversal-socket", manifest(server2_socket="/run/mysqld/../../etc/shadow"),
         error="`..`", path="servers.db2.socket")
    case("traversal-password-file", manifest(server2_password_file="../../etc/shadow"),
         error="`..`", path="servers.db2.password.file")
    case("inject-password-env", manifest(defaults_password_env=quoted("X; cat /etc/shadow")),
         error="an environment variable name may only contain", path="defaults.db_password.env")
    case("literal-password", manifest(server1_password=quoted("hunter2")),
         error="passwords are never written in the manifest", path="servers.db1.password")
    case("inject-master-server", manifest(master_server=quoted(PAYLOADS["sql-backtick"])),
         error="a server name may only contain", path="master.server")
    case("inject-defaults-server", manifest(defaults_server=quoted("db1\nx")),
         error="a server name may only contain", path="defaults.server")
    case("inject-master-wwwroot",
         manifest(master_wwwroot=quoted("https://moodle.example.org'; --")),
         error="wwwroot", path="master.wwwroot")
    case("inject-db-type", manifest(defaults_db_type=quoted("mariadb'; --")),
         error="is not allowed", path="defaults.db_type")
    case("inject-engine", manifest(host_engine=quoted("InnoDB; DROP TABLE x")),
         error="must be InnoDB, MyISAM or Aria", path="hosts[0].engine")
    case("inject-row-format", manifest(host_row_format=quoted("Dynamic,ENGINE=MyISAM")),
         error="must be Dynamic, Compact, Compressed or Redundant", path="hosts[0].row_format")
    case("inject-state", manifest(old_state=quoted("absent'--")),
         error="is not allowed", path="hosts[1].state")


def path_cases():
    vhosts = "/var/moodledata/vhosts"
    outside = "is not below any dataroot_roots entry"
    bad = {
        "dotdot": (vhosts + "/../../../etc", "must not contain `..` segments"),
        "dotdot-end": (vhosts + "/kleber/..", "must not contain `..` segments"),
        "dot": (vhosts + "/./kleber", "must not contain `.` segments"),
        "double-slash": (vhosts + "//kleber", "must not contain `//`"),
        "trailing-slash": (vhosts + "/kleber/", "must not end with `/`"),
        "outside-roots": ("/etc/kleber", outside),
        "equals-root": (vhosts, "is a dataroot_roots entry itself"),
        "master-dataroot": ("/var/moodledata", "is the master's dataroot"),
        "templates-folder": ("/var/moodledata/vmoodle", "is the templates folder"),
        "relative-escape": ("../../etc", "must not contain `..` segments"),
        # Relative to the manifest's directory, like any relative path: not $HOME.
        "tilde": ("~/kleber", outside),
        # A backslash is part of a file name on POSIX: `vhosts\..` is a sibling.
        "backslash": (vhosts + "\\..\\..\\etc", outside),
        "newline": (vhosts + "/kle\nber", "control character"),
        "nul": (vhosts + "/kleber\x00/../../etc", "NUL byte"),
    }
    # `%2e%2e` is a directory name on POSIX, not a parent: it stays below the root.
    case("data-dataroot-percent-encoded",
         manifest(host_dataroot=quoted(vhosts + "/%2e%2e/%2e%2e/etc")),
         accept=("hosts[0].dataroot", vhosts + "/%2e%2e/%2e%2e/etc"))
    for label, (value, message) in bad.items():
        case("traversal-dataroot-%s" % label, manifest(host_dataroot=quoted(value)),
             error=message, path="hosts[0].dataroot")
    case("traversal-master-dataroot", manifest(master_dataroot="/var/moodledata/../../etc"),
         error="`..`", path="master.dataroot")
    case("traversal-root-slash", manifest(root="/"), error="`/` cannot be a dataroot root",
         path="dataroot_roots[0]")
    case("traversal-root-dotdot", manifest(root="/var/moodledata/vhosts/../.."),
         error="`..`", path="dataroot_roots[0]")
    case("traversal-defaults-dataroot",
         manifest(defaults_dataroot='"/var/moodledata/vhosts/../{shortname}"',
                  host_dataroot="/var/moodledata/vhosts/kleber"),
         error="`..`", path="hosts[1].dataroot")
    for label, value in {"dotdot": "../../etc", "slash": "base/../../x", "absolute": "/etc/passwd",
                         "dot": ".", "backslash": "..\\..\\x"}.items():
        case("traversal-template-%s" % label, manifest(host_template=quoted(value)),
             error=IDENTIFIER, path="hosts[0].template")
        case("traversal-snapshot-name-%s" % label, manifest(snapshot_name=quoted(value)),
             error=IDENTIFIER, path="snapshots[0].name")


def type_cases():
    integer = "expected an integer"
    boolean = "expected true or false"
    string_ = "expected a string"
    port_range = "must be between 1 and 65535"
    wrong = [
        ("version-string", {"version": '"1"'}, "version", "unsupported manifest version"),
        ("version-2", {"version": "2"}, "version", "unsupported manifest version 2"),
        ("version-float", {"version": "1.0"}, "version", integer),
        ("version-huge", {"version": "99999999999999999999999"}, "version",
         "unsupported manifest version"),
        ("port-string", {"server1_port": '"3306"'}, "servers.db1.port", integer),
        ("port-negative", {"server1_port": "-1"}, "servers.db1.port", port_range),
        ("port-too-big", {"server1_port": "70000"}, "servers.db1.port", port_range),
        ("port-float", {"server1_port": "3306.5"}, "servers.db1.port", integer),
        ("port-nan", {"server1_port": ".nan"}, "servers.db1.port", 'found the string ".nan"'),
        ("port-list", {"server1_port": "[3306]"}, "servers.db1.port", integer),
        ("max-parallel-zero", {"server1_max_parallel": "0"}, "servers.db1.max_parallel",
         "must be between 1 and 64"),
        ("max-parallel-string", {"server1_max_parallel": "lots"}, "servers.db1.max_parallel",
         integer),
        ("enabled-yes", {"defaults_enabled": "yes"}, "defaults.enabled", boolean),
        ("enabled-int", {"defaults_enabled": "1"}, "defaults.enabled", boolean),
        ("mnet-word", {"defaults_mnet": "maybe"}, "defaults.mnet",
         'must be an integer of at least -1, or "new"'),
        ("mnet-float", {"defaults_mnet": "1.5"}, "defaults.mnet", "found the number 1.5"),
        ("mnet-huge", {"defaults_mnet": "1e400"}, "defaults.mnet", '"1e400"'),
        ("protect-string", {"host_protect": '"true"'}, "hosts[0].protect", boolean),
        ("protect-null", {"host_protect": "~"}, "hosts[0].protect", boolean),
        ("name-list", {"host_name": "[a, b]"}, "hosts[0].name", string_),
        ("name-mapping", {"host_name": "{a: b}"}, "hosts[0].name", string_),
        ("shortname-int", {"host_shortname": "42"}, "hosts[0].shortname", string_),
        ("database-bool", {"host_database": "true"}, "hosts[0].database", string_),
        ("root-string", {"root": "[[/var/moodledata/vhosts]]"}, "dataroot_roots[0]", string_),
        ("password-int", {"server1_password": "12345"}, "servers.db1.password",
         "passwords are never written in the manifest"),
        ("python-tag", {"host_name": "!!python/object/apply:os.system [id]"}, "hosts[0].name",
         string_),
        ("state-unknown", {"old_state": "gone"}, "hosts[1].state", '"gone" is not allowed'),
        ("db-type-postgres", {"defaults_db_type": "postgres"}, "defaults.db_type",
         "postgres is not supported"),
    ]
    # Tags are ignored, never acted on: `!!binary` stays the text as written.
    case("data-binary-tag", manifest(host_name="!!binary aGVsbG8="),
         accept=("hosts[0].name", "aGVsbG8="))
    for label, overrides, path, message in wrong:
        case("type-%s" % label, manifest(**overrides), error=message, path=path)
    case("type-hosts-mapping",
         manifest().replace("hosts:\n  - vhostname: https://kleber", "hosts:\n  x:\n    vhostname: https://kleber", 1)
         .replace("\n  - vhostname: https://old", "\n  y:\n    vhostname: https://old", 1),
         error="expected a list, found a mapping", path="hosts")
    case("type-root-list", "- version: 1\n- hosts: []\n", error="mapping", path="")
    case("type-root-scalar", "just a string\n", error="mapping", path="")
    case("type-hosts-item-scalar",
         manifest().replace("snapshots:\n", "  - https://bare.example.org\nsnapshots:\n"),
         error="expected a mapping, found the string",
         path="hosts[2]")
    case("unknown-key", manifest().replace("    protect: true\n", "    protekt: true\n"),
         error="unknown key", path="hosts[0]")
    case("unknown-top-key", "rm_rf: true\n" + manifest(), error="unknown key", path="")


def duplicate_cases():
    text = manifest()
    case("duplicate-top-key", text + "version: 1\n", error="duplicate key", path="version")
    case("duplicate-host-key",
         text.replace("    shortname: kleber\n", "    shortname: kleber\n    shortname: evil\n"),
         error="duplicate key", path="hosts[0].shortname")
    case("duplicate-server-key",
         text.replace("    port: 3306\n", "    port: 3306\n    port: 3307\n"),
         error="duplicate key", path="servers.db1.port")
    case("duplicate-server-name", text.replace("  db2:\n", "  db1:\n"),
         error="duplicate key", path="servers.db1")
    case("duplicate-vhostname",
         text.replace("vhostname: https://old.example.org", "vhostname: https://kleber.example.org"),
         error="is already used by hosts[0]", path="hosts[1].vhostname")
    case("duplicate-vhostname-case",
         text.replace("vhostname: https://old.example.org", "vhostname: https://KLEBER.example.org"),
         error="is already used by hosts[0]", path="hosts[1].vhostname")
    case("duplicate-shortname", text.replace("shortname: old", "shortname: kleber"),
         error="is already used by hosts[0]", path="hosts[1].shortname")
    case("duplicate-database",
         text.replace("    state: absent\n", "    state: absent\n    database: vmdl_kleber\n"),
         error="is already used by hosts[0]", path="hosts[1].database")
    case("duplicate-dataroot",
         text.replace("    state: absent\n",
                      "    state: absent\n    dataroot: /var/moodledata/vhosts/kleber\n"),
         error="is already used by hosts[0]", path="hosts[1].dataroot")
    case("duplicate-snapshot", text + "  - name: base45\n    from: https://kleber.example.org\n",
         error="already declared", path="snapshots[1].name")
    case("merge-key", text.replace("    shortname: kleber\n",
                                   "    shortname: kleber\n    <<: {database: moodle}\n"),
         error="unknown key `<<`", path="hosts[0]")


def bomb_cases():
    lines = ['lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join(["*a%d" % (i - 1)] * 9)
        lines.append("lol%d: &a%d [%s]" % (i, i, refs))
    bomb = "\n".join(lines) + "\n"
    case("bomb-billion-laughs", manifest().replace("snapshots:\n", "x-bomb:\n" +
         "".join("  " + l + "\n" for l in lines) + "snapshots:\n"), error="the manifest expands to more than", path="")
    case("bomb-billion-laughs-alone", bomb, error="the manifest expands to more than", path="")
    # The bomb inside a field the schema accepts as a mapping-free value.
    defs = "\n".join("  - &h%d [%s]" % (i, ", ".join(["*h%d" % (i - 1)] * 10) if i else "x, x, x, x, x, x, x, x, x, x")
                     for i in range(8))
    case("bomb-in-hosts", "x-anchors:\n" + defs + "\n" +
         manifest().replace("    template: base44\n", "    template: *h7\n"),
         error="the manifest expands to more than", path="")
    # Few aliases, each of a long description: quadratic memory, not exponential.
    desc = "d" * 60000
    extra = "".join("  - vhostname: https://h%d.example.org\n    shortname: h%d\n"
                    "    description: *desc\n" % (i, i) for i in range(4000))
    case("bomb-description-aliases",
         manifest(host_description="&desc " + quoted(desc)).replace("snapshots:\n",
                                                                      extra + "snapshots:\n"),
         error="the manifest expands to more than 64 MB", path="")
    case("bomb-recursive-alias", manifest() + "x-loop: &loop [*loop]\n", error="nested too deeply", path="")
    case("bomb-self-merge", manifest() + "x-self: &self {a: *self}\n", error="nested too deeply", path="")
    case("alias-undefined", manifest(host_name="*nothing"), error="the referenced anchor is not defined", path="")


def nesting_cases():
    depth = 10000
    case("deep-flow-sequences", manifest(host_name="[" * depth + "]" * depth), error="nested too deeply", path="")
    case("deep-flow-mappings", manifest(host_name="{a: " * depth + "1" + "}" * depth),
         error="nested too deeply", path="")
    # Block nesting costs its depth squared in indentation: 3,000 one-space levels
    # (4.5 MB) are past both yaml-cpp's recursion guard and ours.
    block_depth = 3000
    block = "".join(" " * i + "k%d:\n" % i for i in range(block_depth))
    case("deep-block-mappings", "x-deep:\n" + "".join(" " + l + "\n" for l in block.splitlines())
         + manifest(), error="nested too deeply", path="")
    block_seq = "".join(" " * i + "-\n" for i in range(block_depth)) + " " * block_depth + "- x\n"
    case("deep-block-sequences", "x-deep:\n" + "".join(" " + l + "\n" for l in block_seq.splitlines()) + manifest(), error="nested too deeply", path="")
    case("deep-100", manifest(host_name="[" * 100 + "]" * 100), error="nested too deeply",
         path="")


def size_cases():
    ten_mb = 10 * 1024 * 1024
    case("huge-name", manifest(host_name="a" * ten_mb), error="value too long",
         path="hosts[0].name")
    case("huge-description", manifest(host_description=quoted("b" * ten_mb)),
         error="value too long", path="hosts[0].description")
    one_mb = 1024 * 1024
    # Explicit (`? key`) form: YAML caps implicit keys at 1024 characters itself.
    case("huge-key", manifest().replace("    protect: true\n", "    ? " + "k" * one_mb + "\n    : 1\n"),
         error="key too long", path="hosts[0]")
    case("huge-database", manifest(host_database="d" * one_mb), error="value too long",
         path="hosts[0].database")
    case("huge-comment", "#" + "c" * one_mb + "\n" + manifest().replace("version: 1", "version: 0"),
         error="unsupported manifest version 0", path="version")
    case("huge-integer", manifest(server1_port="9" * 5000), error="value too long", path="servers.db1.port")
    many = "".join("  - vhostname: https://h%d.example.org\n    shortname: \"h%d'\\n\"\n"
                   % (i, i) for i in range(20000))
    case("many-bad-hosts", manifest().replace("snapshots:\n", many + "snapshots:\n"),
         error="control character", path="hosts[2].shortname")


def encoding_cases():
    base = manifest().encode("utf-8")

    def with_name(raw):
        return base.replace('name: "Lycée Kléber"'.encode("utf-8"), b'name: "' + raw + b'"')

    invalid = {
        "lone-continuation": b"\x80abc",
        "truncated": b"abc\xc3",
        "overlong-slash": b"\xc0\xaf..\xc0\xafetc",
        "surrogate": b"\xed\xa0\x80",
        "too-big": b"\xf5\x80\x80\x80",
        "latin1": "Lyc\u00e9e".encode("latin-1"),
    }
    for label, raw in invalid.items():
        case("utf8-name-%s" % label, with_name(raw), error="UTF-8", path="hosts[0].name")
    case("utf8-key", base.replace(b"    protect: true\n", b"    prot\xffect: true\n"),
         error="UTF-8", path="hosts[0]")
    case("utf8-description",
         base.replace(b'description: "Site of {shortname}"', b'description: "\xfe\xff"'),
         error="UTF-8", path="hosts[0].description")
    case("utf8-dataroot", base.replace(b"/var/moodledata/vhosts/kleber",
                                       b"/var/moodledata/vhosts/kl\xe9ber"),
         error="UTF-8", path="hosts[0].dataroot")
    case("utf8-surrogate-escape", manifest(host_name='"\\ud800x"'), error="invalid unicode",
         path="")
    case("nul-raw-in-value", base.replace(b"shortname: kleber", b"shortname: kle\x00ber"),
         error="control character", path="")
    case("nul-raw-at-start", b"\x00" + base, error="must be a mapping", path="")
    case("bom-utf8-with-error", b"\xef\xbb\xbf" + manifest(version="7").encode("utf-8"),
         error="unsupported manifest version 7", path="version")
    case("bom-utf8-valid", b"\xef\xbb\xbf" + base, accept=("hosts[0].name", "Lycée Kléber"))
    case("bom-in-middle", base.replace(b"    protect: true\n", b"    \xef\xbb\xbfprotect: true\n"),
         error="unknown key", path="hosts[0]")
    case("utf16-le", b"\xff\xfe" + manifest(version="7").encode("utf-16-le"), error="unsupported manifest version 7",
         path="version")
    case("tab-indent", manifest().replace("    shortname: kleber", "\tshortname: kleber"),
         error="illegal tab", path="")
    case("tab-in-name", manifest(host_name='"a\\tb"'), error="control character",
         path="hosts[0].name")
    case("crlf-with-error", manifest(host_database=quoted("x;y")).replace("\n", "\r\n"),
         error="may only contain letters", path="hosts[0].database")
    case("crlf-valid", manifest().replace("\n", "\r\n"),
         accept=("hosts[0].name", "Lycée Kléber"))
    case("cr-only", manifest(host_database=quoted("x;y")).replace("\n", "\r"),
         error="YAML syntax error", path="")
    case("empty-file", "", error="empty", path="")
    case("only-comments", "# nothing\n# here\n", error="empty", path="")
    case("only-null", "~\n", error="empty", path="")
    case("two-documents", manifest() + "---\n" + manifest(), error="several YAML documents",
         path="")
    case("unclosed-quote", manifest(host_name='"never closed'), error="YAML syntax error",
         path="")
    case("control-char-raw", base.replace(b"shortname: kleber", b"shortname: kle\x1bber"),
         error="control character", path="")


def main():
    strict_field_cases()
    free_text_cases()
    server_cases()
    path_cases()
    type_cases()
    duplicate_cases()
    bomb_cases()
    nesting_cases()
    size_cases()
    encoding_cases()
    case("baseline", manifest(), accept=("hosts[0].name", "Lycée Kléber"))

    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    names = set()
    for number, (name, text, error, path, accept) in enumerate(CASES, start=1):
        if name in names:
            sys.exit("duplicate case name " + name)
        names.add(name)
        stem = os.path.join(OUT, "%03d-%s" % (number, name))
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        with open(stem + ".yaml", "wb") as f:
            f.write(data)
        with open(stem + ".expect", "w", encoding="utf-8") as f:
            if accept is not None:
                f.write("accept\nvalue: %s = %s\n" % (accept[0], json.dumps(accept[1])))
            else:
                f.write("error: %s\npath: %s\n" % (error, path))
    print("wrote %d cases to %s" % (len(CASES), OUT))


if __name__ == "__main__":
    main()

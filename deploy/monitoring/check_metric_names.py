#!/usr/bin/env python3
"""Checks that the metrics the monitoring files use are the ones iiot-producer exports.

Reads the PromQL expressions of Prometheus rule files (every `expr:` value) and of Grafana
dashboards (every target `expr`, and the queries of template variables), collects every
metric name of ours, starting with `iiot_` or the standard `process_` (recording rule
names, which contain ':', are not metrics and are skipped), and looks each one up in a Prometheus text exposition: a file,
`-` for stdin, or an http(s) URL such as http://127.0.0.1:8080/metrics.

A histogram (or summary) is one name: `X_bucket`, `X_sum` and `X_count` count as `X`
when X is a histogram (declared so by the exposition's `# TYPE` line, or referenced
as `X_bucket`). A name is present if the exposition declares it (`# TYPE`/`# HELP`) or
has a sample of it.

  check_metric_names.py --exposition http://127.0.0.1:8080/metrics
  check_metric_names.py --exposition metrics.txt rules.yml dashboard.json
  check_metric_names.py --list

Without files, checks the repository's deploy/monitoring rules and dashboard.
Exit status: 0 all present (or --list), 1 some missing, 2 bad usage or unreadable input.
Standard library only.
"""

import argparse
import json
import os
import re
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FILES = [
    os.path.join(HERE, "rules", "iiot-producer.rules.yml"),
    os.path.join(HERE, "grafana", "iiot-producer.json"),
]
PREFIXES = ("iiot_", "process_")  # ours, and the standard process metrics we export
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
IDENTIFIER = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
EXPR_KEY = re.compile(r"^(\s*)(?:-\s+)?expr:(.*)$")
# Label lists: sum by (job), on (instance), group_left (kind) ... hold no metric names.
LABEL_LIST = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")


class InputError(Exception):
    """A file or URL that cannot be read or parsed."""


# --- PromQL ------------------------------------------------------------------------------


def strip_promql(expr):
    """Returns expr without string literals, label matchers ({...}), label lists and
    # comments."""
    out = []
    i, depth, n = 0, 0, len(expr)
    while i < n:
        c = expr[i]
        if c in "\"'`":
            end = i + 1
            while end < n and expr[end] != c:
                end += 2 if expr[end] == "\\" and c != "`" else 1
            i = end + 1
            out.append(" ")
            continue
        if c == "#":
            while i < n and expr[i] != "\n":
                i += 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
            i += 1
            out.append(" ")
            continue
        out.append(c if depth == 0 else " ")
        i += 1
    return LABEL_LIST.sub(" ", "".join(out))


def names_in_promql(expr):
    """The iiot_ and process_ metric names an expression refers to, as written."""
    return {
        token
        for token in IDENTIFIER.findall(strip_promql(expr))
        if token.startswith(PREFIXES) and ":" not in token
    }


# --- Rule files (YAML, read without a YAML library) --------------------------------------


def _unquote(text):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return json.loads(text)
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    return text


def exprs_in_yaml(text):
    """Every `expr:` value of a YAML file: plain, quoted or block (| >) scalars."""
    lines = text.splitlines()
    exprs = []
    i = 0
    while i < len(lines):
        match = EXPR_KEY.match(lines[i])
        i += 1
        if not match:
            continue
        key_indent = len(match.group(1))
        if lines[i - 1].lstrip().startswith("-"):
            key_indent = lines[i - 1].index("expr:")
        first = match.group(2).strip()
        body = []
        while i < len(lines):
            line = lines[i]
            if line.strip() and len(line) - len(line.lstrip()) <= key_indent:
                break
            body.append(line.strip())
            i += 1
        if first[:1] in ("|", ">"):
            exprs.append("\n".join(body))
        elif first[:1] in ("'", '"'):
            exprs.append(_unquote(" ".join([first] + body)))
        else:
            # A plain scalar ends at " #" (a YAML comment); PromQL would drop it anyway.
            exprs.append(" ".join([first] + body))
    return exprs


# --- Grafana dashboards -------------------------------------------------------------------


def exprs_in_dashboard(node):
    """Every target expr and template variable query of a dashboard (any nesting)."""
    exprs = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "expr" and isinstance(value, str):
                exprs.append(value)
            elif key == "templating" and isinstance(value, dict):
                for variable in value.get("list", []):
                    if variable.get("type") != "query":
                        continue
                    query = variable.get("query")
                    if isinstance(query, dict):
                        query = query.get("query")
                    if isinstance(query, str):
                        exprs.append(query)
            else:
                exprs.extend(exprs_in_dashboard(value))
    elif isinstance(node, list):
        for item in node:
            exprs.extend(exprs_in_dashboard(item))
    return exprs


def referenced_names(paths):
    """Maps each iiot_ or process_ name referenced (as written) to the files that use it."""
    names = {}
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise InputError(f"{path}: {e.strerror}") from e
        if path.endswith(".json"):
            try:
                exprs = exprs_in_dashboard(json.loads(text))
            except json.JSONDecodeError as e:
                raise InputError(f"{path}: not JSON: {e}") from e
        else:
            exprs = exprs_in_yaml(text)
        for expr in exprs:
            for name in names_in_promql(expr):
                names.setdefault(name, set()).add(path)
    return names


# --- Exposition ---------------------------------------------------------------------------


def read_exposition(source):
    if source == "-":
        return sys.stdin.read()
    if source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(source, timeout=10) as response:
                return response.read().decode("utf-8")
        except (OSError, ValueError) as e:
            raise InputError(f"{source}: {e}") from e
    try:
        with open(source, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise InputError(f"{source}: {e.strerror}") from e


def parse_exposition(text):
    """Returns ({family: type} from # TYPE/# HELP lines, {sample names})."""
    families, samples = {}, set()
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 3 and parts[1] == "TYPE":
                families[parts[2]] = parts[3].strip() if len(parts) > 3 else "untyped"
            elif len(parts) >= 3 and parts[1] == "HELP":
                families.setdefault(parts[2], "untyped")
            continue
        match = IDENTIFIER.match(line)
        if match:
            samples.add(match.group(0))
    return families, samples


# --- Resolution ---------------------------------------------------------------------------


def histogram_bases(names, families):
    bases = {n[: -len("_bucket")] for n in names if n.endswith("_bucket")}
    bases |= {n for n, t in families.items() if t in ("histogram", "gaugehistogram", "summary")}
    return bases


def normalise(name, bases):
    for suffix in HISTOGRAM_SUFFIXES:
        if name.endswith(suffix) and name[: -len(suffix)] in bases:
            return name[: -len(suffix)]
    return name


def is_exported(name, families, samples):
    if name in families or name in samples:
        return True
    if name + "_bucket" in samples or name + "_count" in samples:
        return True
    # OpenMetrics declares a counter X_total as family X.
    if name.endswith("_total") and families.get(name[: -len("_total")]) == "counter":
        return True
    return False


def main(argv):
    parser = argparse.ArgumentParser(
        description="Check the iiot_ and process_ metric names used by rule files and dashboards "
        "against a Prometheus text exposition.")
    parser.add_argument("files", nargs="*",
                        help="rule files (.yml/.yaml) and dashboards (.json); "
                        "default: this directory's rules and dashboard")
    parser.add_argument("--exposition", metavar="FILE|URL",
                        help="Prometheus text exposition: a file, - for stdin, or an http(s) URL")
    parser.add_argument("--list", action="store_true",
                        help="print the referenced metric names, one per line, and exit 0")
    args = parser.parse_args(argv)
    if not args.list and not args.exposition:
        parser.error("give --exposition FILE|URL (or --list)")

    try:
        refs = referenced_names(args.files or DEFAULT_FILES)
        families, samples = {}, set()
        if args.exposition:
            families, samples = parse_exposition(read_exposition(args.exposition))
    except InputError as e:
        print(f"check_metric_names: {e}", file=sys.stderr)
        return 2

    bases = histogram_bases(refs, families)
    used = {}
    for name, paths in refs.items():
        used.setdefault(normalise(name, bases), set()).update(paths)

    if args.list:
        for name in sorted(used):
            print(name)
        return 0

    if not samples and not families:
        print(f"check_metric_names: {args.exposition}: no metrics in the exposition",
              file=sys.stderr)
        return 2
    missing = sorted(n for n in used if not is_exported(n, families, samples))
    for name in missing:
        where = ", ".join(sorted(os.path.relpath(p) for p in used[name]))
        print(f"missing: {name} (used in {where})")
    print(f"check_metric_names: {len(used)} metric names referenced, {len(missing)} missing "
          f"from {args.exposition}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

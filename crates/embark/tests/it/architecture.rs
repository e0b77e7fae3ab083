//! The shape of `crates/embark/src`, as `docs/architecture.md` draws it: no import
//! circle between files, and each capability uses only what it is allowed to.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Modules every capability may use: the shared infrastructure.
const INFRASTRUCTURE: &[&str] = &[
    "access",
    "config",
    "email",
    "error",
    "http",
    "i18n",
    "jobs::queue",
    "live",
    "markdown",
    "metrics",
    "ratelimit",
    "request_id",
    "secrets",
    "snapshot",
    "state",
];

/// What each capability may use besides the infrastructure. Between capabilities,
/// events go through `engagements::signals`; nothing may use `jobs::runner`, `app`,
/// `cli`, `demo` or `openapi`, which assemble everything.
const ALLOWED: &[(&str, &[&str])] = &[
    ("playbooks", &[]),
    ("engagements", &["playbooks"]),
    ("accounts", &["playbooks::service", "learning::service", "engagements::signals"]),
    ("learning", &["playbooks", "engagements::signals"]),
    ("surveys", &["engagements", "playbooks"]),
    ("kickoff", &["engagements", "playbooks", "surveys"]),
    ("requests", &[]),
    ("indicators", &["surveys", "requests"]),
    ("portal", &["accounts", "engagements", "kickoff", "learning", "playbooks", "requests", "surveys"]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every module of the crate (`kickoff::meeting::service`) with its source, tests left out.
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&src(), &mut files);
    files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(src()).unwrap().with_extension("");
            let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                parts.pop();
            }
            let text = std::fs::read_to_string(&f).unwrap();
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap().to_string();
            (parts.join("::"), code)
        })
        .collect()
}

/// The modules `code` refers to through `crate::…` paths, including `use crate::a::{b, c::d}`.
fn references(code: &str, modules: &BTreeMap<String, String>) -> BTreeSet<String> {
    let resolve = |path: &str| -> Option<String> {
        let mut segs: Vec<&str> = path.split("::").collect();
        while !segs.is_empty() {
            let m = segs.join("::");
            if modules.contains_key(&m) {
                return Some(m);
            }
            segs.pop();
        }
        None
    };
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let path: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect();
        let path = path.trim_end_matches(':');
        if let Some(m) = resolve(path) {
            out.insert(m);
        }
        // A group: each item that names a module.
        if rest[path.len()..].starts_with("::{") {
            let group = &rest[path.len() + 3..];
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let item = item.split_whitespace().next().unwrap_or("");
                if item.starts_with(|c: char| c.is_ascii_lowercase()) && item != "self" {
                    if let Some(m) = resolve(&format!("{path}::{item}")) {
                        out.insert(m);
                    }
                }
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    modules
        .iter()
        .map(|(name, code)| {
            let deps = references(code, &modules)
                .into_iter()
                .filter(|d| d != name && !name.starts_with(&format!("{d}::")) && !d.is_empty())
                .collect();
            (name.clone(), deps)
        })
        .collect()
}

fn is_under(module: &str, prefix: &str) -> bool {
    module == prefix || module.starts_with(&format!("{prefix}::"))
}

#[test]
fn no_two_files_import_each_other_even_through_others() {
    let g = graph();
    assert!(g.len() > 30, "the walk found the modules: {:?}", g.keys());
    // Depth-first search for a back edge; report the circle it closes.
    fn visit(
        m: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == m) {
            return Some(stack[i..].to_vec());
        }
        if done.contains(m) {
            return None;
        }
        stack.push(m.to_string());
        for d in g.get(m).into_iter().flatten() {
            if let Some(circle) = visit(d, g, stack, done) {
                return Some(circle);
            }
        }
        stack.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in g.keys() {
        if let Some(circle) = visit(m, &g, &mut Vec::new(), &mut done) {
            panic!("an import circle: {}", circle.join(" → "));
        }
    }
}

#[test]
fn each_capability_uses_only_the_infrastructure_and_what_it_is_allowed() {
    let g = graph();
    let mut wrong = Vec::new();
    for (capability, allowed) in ALLOWED {
        for (module, deps) in g.iter().filter(|(m, _)| is_under(m, capability)) {
            for dep in deps {
                let fine = is_under(dep, capability)
                    || INFRASTRUCTURE.iter().any(|i| is_under(dep, i))
                    || allowed.iter().any(|a| is_under(dep, a));
                if !fine {
                    wrong.push(format!("{module} uses {dep}"));
                }
            }
        }
    }
    // The infrastructure uses no capability (the playbook cache in the state is data, not a use case).
    for (module, deps) in g.iter().filter(|(m, _)| INFRASTRUCTURE.iter().any(|i| is_under(m, i))) {
        for dep in deps {
            let capability = ALLOWED.iter().any(|(c, _)| is_under(dep, c));
            if capability && dep != "playbooks::cache" {
                wrong.push(format!("{module} (infrastructure) uses {dep}"));
            }
        }
    }
    assert!(wrong.is_empty(), "outside docs/architecture.md's rules:\n{}", wrong.join("\n"));
}

#[test]
fn the_rules_are_the_ones_the_architecture_document_states() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/architecture.md")).unwrap();
    for (capability, allowed) in ALLOWED {
        let line = format!("| `{capability}` |");
        let row = doc.lines().find(|l| l.starts_with(&line)).unwrap_or_else(|| panic!("no row for {capability}"));
        for a in *allowed {
            assert!(row.contains(&format!("`{a}`")), "the row of {capability} names {a}: {row}");
        }
    }
}

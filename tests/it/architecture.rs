//! The house's layering, enforced: `src/lib.rs`'s module doc lists the library's modules in
//! layers, top to bottom, and this test reads that list and every source file under `src/`.
//! It fails when a module uses one in its own layer or above (a lower stage reaching up), when
//! the list and the modules on disk disagree, or when files use each other in a loop.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The layers written in `src/lib.rs`: each `//! - ` line of its "Layers" section names the
/// modules of one layer in backticks; the first line is the top.
fn layers() -> Vec<Vec<String>> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("src/lib.rs");
    let section = lib
        .lines()
        .skip_while(|l| !l.starts_with("//! ## Layers"))
        .skip(1)
        .take_while(|l| !l.starts_with("//! ##"))
        .filter_map(|l| l.strip_prefix("//! - "));
    section
        .map(|line| {
            let names = line.split(':').next().unwrap_or("");
            names
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|layer| !layer.is_empty())
        .collect()
}

/// Every `.rs` file of the library (not `main.rs` and `cmd/`, the binary), with its module path
/// (`render/theme.rs` → `["render", "theme"]`, `render/mod.rs` → `["render"]`).
fn library_files() -> Vec<(PathBuf, Vec<String>)> {
    let mut files = Vec::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                if path != src().join("cmd") {
                    stack.push(path);
                }
                continue;
            }
            let rel = path.strip_prefix(src()).expect("under src").to_path_buf();
            if path.extension().is_none_or(|e| e != "rs") || rel == Path::new("main.rs") {
                continue;
            }
            let mut module: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|m| m == "mod" || m == "lib") {
                module.pop();
            }
            files.push((path, module));
        }
    }
    files.sort();
    files
}

/// The source without comments and string literals, so a path named in prose or in a message
/// is not taken for a use.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            '\'' => {
                // A char literal ('a', '\n', '"') or a lifetime ('a): skip a literal whole.
                let rest: String = chars.clone().take(3).collect();
                let literal = rest.starts_with('\\')
                    || rest.chars().nth(1) == Some('\'')
                    || rest.starts_with('"');
                if literal {
                    for c in chars.by_ref().skip(1) {
                        if c == '\'' {
                            break;
                        }
                    }
                }
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The module paths a file uses through `crate::…` and `super::…` (including grouped
/// `use crate::{a, b::c}`), resolved to absolute module paths (possibly naming items below the
/// module; callers match prefixes).
fn uses(code: &str, module: &[String], is_mod_file: bool) -> BTreeSet<Vec<String>> {
    let mut found = BTreeSet::new();
    // The module `super` names: the parent of a `mod.rs`'s folder module, else of the file.
    let parent: Vec<String> = {
        let mut p = module.to_vec();
        p.pop();
        p
    };
    let _ = is_mod_file;
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (start, prefix) in [("crate::", Vec::new()), ("super::", parent)] {
        let mut rest = code;
        while let Some(i) = rest.find(start) {
            let preceded = rest[..i]
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
            rest = &rest[i + start.len()..];
            if preceded {
                continue;
            }
            let mut paths: Vec<Vec<String>> = Vec::new();
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for part in group[..end].split(',') {
                    let first = ident(part.trim());
                    if !first.is_empty() && first != "self" {
                        paths.push(vec![first]);
                    }
                }
            } else {
                let mut path = Vec::new();
                let mut tail = rest;
                loop {
                    let name = ident(tail);
                    if name.is_empty() {
                        break;
                    }
                    tail = &tail[name.len()..];
                    path.push(name);
                    match tail.strip_prefix("::") {
                        Some(t) => tail = t,
                        None => break,
                    }
                }
                paths.push(path);
            }
            for path in paths {
                let mut full = prefix.clone();
                full.extend(path);
                if !full.is_empty() {
                    found.insert(full);
                }
            }
        }
    }
    found
}

#[test]
fn lower_layers_never_use_higher_ones_and_files_make_no_loops() {
    let layers = layers();
    assert!(
        layers.len() > 5,
        "src/lib.rs must list the layers under `//! ## Layers`"
    );
    let layer_of: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, layer)| layer.iter().map(move |m| (m.as_str(), i)))
        .collect();
    let files = library_files();
    let modules: BTreeSet<&str> = files
        .iter()
        .filter_map(|(_, m)| m.first().map(String::as_str))
        .collect();
    let listed: BTreeSet<&str> = layer_of.keys().copied().collect();
    assert_eq!(
        modules, listed,
        "the modules in src/ and the layers in src/lib.rs must name the same modules"
    );

    let mut problems = Vec::new();
    // File-level graph for the loop check: file module path → the file modules it uses.
    let file_modules: BTreeSet<Vec<String>> = files.iter().map(|(_, m)| m.clone()).collect();
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (path, module) in &files {
        let text = std::fs::read_to_string(path).expect("source file");
        let is_mod = path.file_name().is_some_and(|n| n == "mod.rs");
        let code = code_only(&text);
        let Some(top) = module.first() else {
            continue; // lib.rs
        };
        let own = layer_of[top.as_str()];
        for used in uses(&code, module, is_mod) {
            let Some(target) = used.first() else { continue };
            if target == top {
                // Within a module: record the file it names, for the loop check.
                let file = (1..=used.len())
                    .rev()
                    .map(|n| used[..n].to_vec())
                    .find(|p| file_modules.contains(p));
                // A file using its own folder's `mod.rs` (the module's shared types) is the usual
                // shape of a Rust module, not a loop.
                let ancestor = |f: &Vec<String>| module.starts_with(f);
                if let Some(file) = file.filter(|f| !ancestor(f)) {
                    graph.entry(module.clone()).or_default().insert(file);
                }
                continue;
            }
            let Some(&theirs) = layer_of.get(target.as_str()) else {
                continue; // a crate item re-exported at the root, or a macro
            };
            if theirs <= own {
                problems.push(format!(
                    "{} uses crate::{} ({} is in layer {}, not below {}'s layer {})",
                    path.strip_prefix(src()).unwrap_or(path).display(),
                    used.join("::"),
                    target,
                    theirs + 1,
                    top,
                    own + 1
                ));
            }
        }
    }

    // Loops between files of one module (across modules the layers already forbid them). A
    // file's parent `mod.rs` holding the module's shared types is not a loop by itself; a loop
    // is a path back to the starting file.
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(Vec<String>, Vec<Vec<String>>)> = vec![(start.clone(), vec![])];
        while let Some((node, trail)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                let mut trail = trail.clone();
                trail.push(node.clone());
                if next == start {
                    let names: Vec<String> = trail.iter().map(|m| m.join("/")).collect();
                    problems.push(format!(
                        "files use each other in a loop: {} → {}",
                        names.join(" → "),
                        start.join("/")
                    ));
                } else if seen.insert(next.clone()) {
                    stack.push((next.clone(), trail));
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "the layering in src/lib.rs is broken:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_checker_sees_grouped_and_relative_uses_but_not_prose() {
    let code = code_only(
        "use crate::{diag, model::Entry};\n// crate::render in a comment\nlet s = \"crate::write\";\nuse super::theme::Theme;\nlet c = '\"'; crate::load::x();",
    );
    let found = uses(&code, &["render".to_owned(), "links".to_owned()], false);
    let found: Vec<String> = found.iter().map(|p| p.join("::")).collect();
    assert_eq!(found, ["diag", "load::x", "model", "render::theme::Theme"]);
}

/// The README's links to files of the repository (`[text](docs/…)`) lead to files that exist: it
/// pointed CI engineers to a `spec.md` that was not in the repository.
#[test]
fn readme_links_to_repository_files_resolve() {
    let root = crate::harness::repo();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let mut checked = 0;
    for link in readme.split("](").skip(1) {
        let target = link.split([')', '#']).next().unwrap_or("");
        if target.is_empty() || target.contains("://") || !target.contains('/') {
            continue;
        }
        assert!(
            root.join(target).exists(),
            "README links {target}, which is missing"
        );
        checked += 1;
    }
    assert!(checked >= 4, "the README's links were found ({checked})");
    let spec = std::fs::read_to_string(root.join("docs/spec.md")).expect("docs/spec.md");
    assert!(spec.contains("# gongkai — product contract"));
}

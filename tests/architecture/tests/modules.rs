//! Inside every crate, modules depend one way: no circle of `crate::…` references between the
//! top-level modules of a crate (the files and folders directly under its `src/`).
//!
//! The check reads the sources as text: a module refers to another when its code (not its
//! comments, not its `#[cfg(test)]` tests) names `crate::other`, alone or in a `crate::{…}`
//! group. A name re-exported at the crate's root (`crate::Thing`) is not followed, so the check
//! can miss a circle but never reports one that is not there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../..")
}

/// Every `.rs` file under `dir`, recursively.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`src/pdf/writer.rs` → `pdf`); `None` for the
/// crate's root (`lib.rs`, `main.rs`) and for binaries under `src/bin/`.
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?.to_owned();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_owned();
    match name.as_str() {
        "lib" | "main" | "bin" => None,
        _ => Some(name),
    }
}

/// The code of a file without its comments and without the unit tests that close it.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names that follow `crate::` in `code`, including each name of a `crate::{a, b::c}` group.
fn crate_references(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                names.insert(ident(item.trim()));
            }
        } else {
            names.insert(ident(rest));
        }
    }
    names.remove("");
    names
}

/// Which top-level module of the crate at `dir` refers to which others.
fn module_graph(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let src = dir.join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top_module(&src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(from) = top_module(&src, file) else {
            continue;
        };
        let text = std::fs::read_to_string(file).expect("a source file reads");
        let edges = graph.entry(from.clone()).or_default();
        for name in crate_references(&code_of(&text)) {
            if name != from && modules.contains(&name) {
                edges.insert(name);
            }
        }
    }
    graph
}

/// A circle in `graph`, as the modules along it, if there is one.
fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_owned());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_circle_finder_sees_a_circle_and_a_line() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in edges {
            g.entry((*a).into()).or_default().insert((*b).into());
        }
        g
    };
    let circle = find_circle(&graph(&[("a", "b"), ("b", "c"), ("c", "a")]));
    assert_eq!(
        circle.map(|c| c.len()),
        Some(4),
        "a → b → c → a is a circle"
    );
    assert_eq!(
        find_circle(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])),
        None
    );
    let refs = crate_references("use crate::{analyse::x, pdf};\nlet a = crate::import::f();");
    assert_eq!(
        refs.into_iter().collect::<Vec<_>>(),
        ["analyse", "import", "pdf"],
        "plain paths and groups are both read"
    );
    assert!(
        crate_references(&code_of("// see crate::pdf\nfn f() {}")).is_empty(),
        "comments are not references"
    );
}

#[test]
fn every_crate_s_modules_depend_one_way() {
    let root = workspace();
    let mut crates: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .expect("crates/ lists")
        .flatten()
        .map(|e| e.path())
        .collect();
    crates.extend(["src-tauri", "frontend", "tests/fakes"].map(|d| root.join(d)));
    crates.sort();
    let mut circles = Vec::new();
    for dir in &crates {
        let graph = module_graph(dir);
        if let Some(circle) = find_circle(&graph) {
            circles.push(format!("{}: {}", dir.display(), circle.join(" → ")));
        }
    }
    assert!(
        crates.len() > 8,
        "the check must see the workspace's crates"
    );
    assert!(
        circles.is_empty(),
        "modules refer to each other in a circle (each file should depend one way):\n{}",
        circles.join("\n")
    );
}

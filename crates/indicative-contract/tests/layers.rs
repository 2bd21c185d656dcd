//! The crate's modules form layers: no two modules depend on each other,
//! directly or around a cycle, and the model depends only on the
//! foundations (rules, errors, time, limits, kinds). Lint and schema depend
//! on the model, never the reverse.
//!
//! Dependencies are read from the source: every `crate::a::b` and
//! `super::...` path outside comments, resolved to a module. A parent and its
//! own children may use each other (a `mod.rs` holds what its rooms share);
//! siblings may not form a cycle, at the crate's top level and inside every
//! module with rooms of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path (`["lint", "body", "walk"]`) and where it was named.
type Module = Vec<String>;

struct Use {
    from: Module,
    to: Module,
    place: String,
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a source file defines: `lint/body/mod.rs` is `lint::body`.
fn module_of(src: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(src).expect("under src");
    let mut parts: Module = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

/// The paths after `crate::` or `super::` in one line, as written.
fn paths_in(line: &str) -> Vec<(bool, Vec<String>)> {
    let mut found = Vec::new();
    for (start, _) in line.match_indices("crate::").chain(line.match_indices("super::")) {
        let before = line[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let from_crate = line[start..].starts_with("crate::");
        let mut rest = &line[start..];
        let mut segments = Vec::new();
        if from_crate {
            rest = &rest["crate::".len()..];
        }
        loop {
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
            if end == 0 {
                break;
            }
            segments.push(rest[..end].to_owned());
            rest = &rest[end..];
            match rest.strip_prefix("::") {
                Some(more) => rest = more,
                None => break,
            }
        }
        found.push((from_crate, segments));
    }
    found
}

fn uses(src: &Path) -> (BTreeSet<Module>, Vec<Use>) {
    let mut files = Vec::new();
    source_files(src, &mut files);
    files.sort();
    let modules: BTreeSet<Module> = files.iter().map(|f| module_of(src, f)).collect();
    let mut found = Vec::new();
    for file in &files {
        let from = module_of(src, file);
        let text = std::fs::read_to_string(file).expect("a source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for (from_crate, segments) in paths_in(line) {
                let mut target: Module = if from_crate { Vec::new() } else { from.clone() };
                let mut segments = segments.as_slice();
                while let Some(("super", rest)) = segments.split_first().map(|(s, r)| (s.as_str(), r)) {
                    target.pop();
                    segments = rest;
                }
                // The longest module the path names (the rest are items); at
                // the root, a name that is no module's file (a re-export such
                // as `limits`) stands for itself.
                if target.is_empty()
                    && let Some(first) = segments.first()
                    && !modules.contains(std::slice::from_ref(first))
                {
                    target.push(first.clone());
                }
                for segment in segments {
                    let mut longer = target.clone();
                    longer.push(segment.clone());
                    if !modules.contains(&longer) {
                        break;
                    }
                    target = longer;
                }
                let place =
                    format!("src/{}:{} `{}`", file.strip_prefix(src).expect("under src").display(), n + 1, code.trim());
                found.push(Use { from: from.clone(), to: target, place });
            }
        }
    }
    (modules, found)
}

/// For the rooms of `parent`, the edges between siblings, each with one place.
fn sibling_edges(parent: &[String], found: &[Use]) -> BTreeMap<(String, String), String> {
    let child = |m: &Module| (m.len() > parent.len() && m.starts_with(parent)).then(|| m[parent.len()].clone());
    let mut edges = BTreeMap::new();
    for u in found {
        if let (Some(a), Some(b)) = (child(&u.from), child(&u.to))
            && a != b
        {
            edges.entry((a, b)).or_insert_with(|| u.place.clone());
        }
    }
    edges
}

/// A cycle in `edges`, as its places, if there is one.
fn cycle(edges: &BTreeMap<(String, String), String>) -> Option<Vec<String>> {
    let nodes: BTreeSet<&String> = edges.keys().flat_map(|(a, b)| [a, b]).collect();
    // Depth-first search with colours: 1 on the stack, 2 done.
    fn visit<'a>(
        node: &'a String,
        edges: &'a BTreeMap<(String, String), String>,
        colour: &mut BTreeMap<&'a String, u8>,
        stack: &mut Vec<&'a String>,
    ) -> Option<Vec<String>> {
        colour.insert(node, 1);
        stack.push(node);
        for ((a, b), _) in edges.range((node.clone(), String::new())..) {
            if a != node {
                break;
            }
            match colour.get(b).copied().unwrap_or(0) {
                1 => {
                    let start = stack.iter().position(|n| *n == b).unwrap_or(0);
                    let mut ring: Vec<&String> = stack[start..].to_vec();
                    ring.push(b);
                    return Some(
                        ring.windows(2)
                            .map(|w| format!("{} -> {}: {}", w[0], w[1], edges[&(w[0].clone(), w[1].clone())]))
                            .collect(),
                    );
                }
                0 => {
                    if let Some(found) = visit(b, edges, colour, stack) {
                        return Some(found);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        colour.insert(node, 2);
        None
    }
    let mut colour = BTreeMap::new();
    for node in nodes {
        if colour.get(node).copied().unwrap_or(0) == 0
            && let Some(found) = visit(node, edges, &mut colour, &mut Vec::new())
        {
            return Some(found);
        }
    }
    None
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_module_cycles_at_any_level() {
    let (modules, found) = uses(&src());
    let parents: BTreeSet<Module> =
        std::iter::once(Vec::new()).chain(modules.iter().filter(|m| !m.is_empty()).cloned()).collect();
    for parent in parents {
        if let Some(ring) = cycle(&sibling_edges(&parent, &found)) {
            panic!(
                "the modules of `crate::{}` depend on each other in a cycle; move the shared piece to the lower module:\n  {}",
                parent.join("::"),
                ring.join("\n  ")
            );
        }
    }
}

#[test]
fn the_model_depends_only_on_the_foundations() {
    const FOUNDATIONS: [&str; 6] = ["model", "rule", "error", "time", "limits", "kind"];
    let (_, found) = uses(&src());
    let stray: Vec<&str> = found
        .iter()
        .filter(|u| u.from.first().is_some_and(|m| m == "model"))
        .filter(|u| !u.to.first().is_some_and(|m| FOUNDATIONS.contains(&m.as_str())))
        .map(|u| u.place.as_str())
        .collect();
    assert!(
        stray.is_empty(),
        "the model may name only {FOUNDATIONS:?}; lint and schema depend on it, never the reverse:\n  {}",
        stray.join("\n  ")
    );
}

/// The checker itself: a cycle is found, with its places.
#[test]
fn a_cycle_is_found_and_told() {
    let mut edges = BTreeMap::new();
    edges.insert(("a".to_owned(), "b".to_owned()), "a.rs:1".to_owned());
    edges.insert(("b".to_owned(), "c".to_owned()), "b.rs:2".to_owned());
    assert_eq!(cycle(&edges), None);
    edges.insert(("c".to_owned(), "a".to_owned()), "c.rs:3".to_owned());
    assert_eq!(cycle(&edges), Some(vec!["a -> b: a.rs:1".into(), "b -> c: b.rs:2".into(), "c -> a: c.rs:3".into()]));
    let found = paths_in("use super::super::sink::{Path, Seg}; let x = crate::lint::query::split(y);");
    assert_eq!(found.len(), 2);
    assert_eq!(found[0], (true, vec!["lint".into(), "query".into(), "split".into()]));
    assert_eq!(found[1], (false, vec!["super".into(), "super".into(), "sink".into()]));
}

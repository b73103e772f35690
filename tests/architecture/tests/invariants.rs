//! The invariants of ARCHITECTURE.md, checked against the real dependency graph and sources.

use std::collections::{BTreeSet, HashMap};

use cargo_metadata::{Metadata, MetadataCommand, PackageId};

fn metadata() -> Metadata {
    MetadataCommand::new()
        .manifest_path(
            std::path::PathBuf::from(
                std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
            )
            .join("../../Cargo.toml"),
        )
        .exec()
        .expect("cargo metadata describes the workspace")
}

/// For each workspace member, the names of every crate it pulls in (normal and build
/// dependencies, transitively; dev-dependencies of tests are left out).
fn transitive_dependencies(meta: &Metadata) -> HashMap<String, BTreeSet<String>> {
    let resolve = meta.resolve.as_ref().expect("a resolved graph");
    let nodes: HashMap<&PackageId, _> = resolve.nodes.iter().map(|n| (&n.id, n)).collect();
    let name_of = |id: &PackageId| {
        meta.packages
            .iter()
            .find(|p| &p.id == id)
            .unwrap()
            .name
            .to_string()
    };
    let mut out = HashMap::new();
    for member in &meta.workspace_members {
        let mut seen = BTreeSet::new();
        let mut stack = vec![member];
        while let Some(id) = stack.pop() {
            for dep in &nodes[id].deps {
                let not_dev = dep
                    .dep_kinds
                    .iter()
                    .any(|k| k.kind != cargo_metadata::DependencyKind::Development);
                if not_dev && seen.insert(name_of(&dep.pkg)) {
                    stack.push(&dep.pkg);
                }
            }
        }
        out.insert(name_of(member), seen);
    }
    out
}

fn assert_only(meta: &Metadata, dependency: &str, allowed: &str) {
    for (member, deps) in transitive_dependencies(meta) {
        if member != allowed {
            assert!(
                !deps.contains(dependency),
                "{member} depends on {dependency}: only {allowed} may"
            );
        }
    }
}

#[test]
fn no_crate_but_the_shell_depends_on_tauri() {
    let meta = metadata();
    assert_only(&meta, "tauri", "hoso-desktop");
    assert!(
        transitive_dependencies(&meta)["hoso-desktop"].contains("tauri"),
        "the check must see tauri where it is"
    );
}

#[test]
fn no_crate_but_the_frontend_depends_on_yew() {
    let meta = metadata();
    assert_only(&meta, "yew", "hoso-frontend");
    assert!(
        transitive_dependencies(&meta)["hoso-frontend"].contains("yew"),
        "the check must see yew where it is"
    );
}

#[test]
fn the_model_depends_only_on_serde_jiff_sha2_and_unicode_normalization() {
    let meta = metadata();
    let model = meta
        .packages
        .iter()
        .find(|p| p.name.as_str() == "hoso-model")
        .unwrap();
    let direct: BTreeSet<&str> = model
        .dependencies
        .iter()
        .filter(|d| d.kind != cargo_metadata::DependencyKind::Development)
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(
        direct,
        BTreeSet::from(["jiff", "serde", "sha2", "unicode-normalization"])
    );
}

#[test]
fn the_model_does_no_io_and_reads_no_clock() {
    let forbidden = [
        "std::fs",
        "std::net",
        "std::io",
        "std::process",
        "std::env",
        "std::thread",
        "SystemTime",
        "Timestamp::now",
        "Zoned::now",
    ];
    let src = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("../../crates/model/src");
    let mut read = 0;
    let mut pending = vec![src];
    let mut files = Vec::new();
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for word in forbidden {
            assert!(
                !text.contains(word),
                "{} uses {word}: the model must stay pure",
                path.display()
            );
        }
        read += 1;
    }
    assert!(
        read >= 10,
        "the model's sources, in every folder, were found and read"
    );
}

/// The workspace crates `package` depends on directly (normal dependencies, on any platform).
fn workspace_dependencies<'m>(meta: &'m Metadata, package: &str) -> BTreeSet<&'m str> {
    let members: BTreeSet<&str> = meta
        .workspace_packages()
        .into_iter()
        .map(|p| p.name.as_str())
        .collect();
    let package = meta
        .packages
        .iter()
        .find(|p| p.name.as_str() == package)
        .unwrap_or_else(|| panic!("{package} is a workspace member"));
    package
        .dependencies
        .iter()
        .filter(|d| d.kind == cargo_metadata::DependencyKind::Normal)
        .map(|d| d.name.as_str())
        .filter(|name| members.contains(name))
        .collect()
}

#[test]
fn the_shell_depends_on_no_workspace_crate_but_the_desk_and_the_model() {
    let meta = metadata();
    assert_eq!(
        workspace_dependencies(&meta, "hoso-desktop"),
        BTreeSet::from(["hoso-desk", "hoso-model"]),
        "the shell adapts the desk to the window: scanners, the store and the sync engine \
         are reached through hoso-desk"
    );
}

#[test]
fn the_sync_engine_depends_on_no_workspace_crate_but_the_model() {
    let meta = metadata();
    assert_eq!(
        workspace_dependencies(&meta, "hoso-sync"),
        BTreeSet::from(["hoso-model"]),
        "the engine reaches the desk's store only through the desk's `Local`: \
         depending on hoso-store would pull SQLCipher into it"
    );
}

//! The command line's help: `hoso --help` lists every command with its own one-line help, and
//! every command and subcommand answers `--help`. The commands are declared in one file per
//! area and merged into the top level, so a doc comment in the wrong place shows up here.

use std::process::Command;

/// Every top-level command, with words its help line must hold (one of `any`) and words that
/// belong to another command's help and must not be there.
const COMMANDS: &[(&str, &[&str], &[&str])] = &[
    ("init", &["set up"], &[]),
    ("user", &["accounts"], &[]),
    ("recover", &["recovery key"], &[]),
    ("audit", &["audit log"], &[]),
    ("procedures", &["procedures"], &[]),
    ("intake", &["register"], &[]),
    ("search", &["find dossiers"], &[]),
    ("receipt", &["receipt"], &[]),
    ("form", &["supplement", "refusal"], &[]),
    ("tracking-book", &["tracking book"], &[]),
    ("show", &["show a dossier"], &[]),
    ("list", &["list the dossiers"], &[]),
    ("transition", &["lifecycle"], &[]),
    ("import-catalogue", &["catalogue"], &[]),
    ("attach", &["attach"], &[]),
    ("pages", &["pages"], &[]),
    ("page", &["page"], &[]),
    ("component", &["component"], &[]),
    ("export", &["archive"], &[]),
    ("scanners", &["scanners"], &[]),
    ("scan", &["scan"], &[]),
    ("watch", &["folder"], &[]),
    ("ocr", &["recognise"], &[]),
    ("enroll", &["enroll"], &["backlog"]),
    ("sync", &["hub", "sync"], &["backlog", "queue"]),
    ("backlog", &["backlog", "queue"], &["hub", "sync"]),
    ("indicators", &["indicators"], &["hub"]),
    ("report", &["report"], &["hub"]),
    ("review", &["review"], &["hub"]),
    ("approve-all", &["approve"], &["hub"]),
    ("rate", &["citizen"], &["hub"]),
    ("reuse", &["earlier dossier"], &["hub"]),
    ("backup", &["backup"], &[]),
    ("restore", &["restore"], &[]),
    ("purge", &["retention"], &[]),
    ("wipe", &["destroy"], &[]),
    ("calendar", &["calendar"], &[]),
];

/// `hoso <path…> --help`, which must succeed; its standard output.
fn help(path: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_hoso"))
        .env_remove("HOSO_DATA_DIR")
        .env_remove("HOSO_LANG")
        .env_remove("HOSO_USER")
        .env_remove("HOSO_PASSWORD")
        .args(path)
        .arg("--help")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "hoso {} --help: {}",
        path.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The commands a help text lists, each with its one-line help (clap's own `help` left out).
fn listed(help: &str) -> Vec<(String, String)> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| {
            let l = l.trim_start();
            let (name, text) = l.split_once(' ').unwrap_or((l, ""));
            (name.to_owned(), text.trim().to_owned())
        })
        .filter(|(name, _)| name != "help")
        .collect()
}

#[test]
fn every_command_is_listed_with_a_help_line_of_its_own() {
    let top = listed(&help(&[]));
    let mut names: Vec<&str> = top.iter().map(|(n, _)| n.as_str()).collect();
    let mut expected: Vec<&str> = COMMANDS.iter().map(|(n, _, _)| *n).collect();
    names.sort_unstable();
    expected.sort_unstable();
    assert_eq!(names, expected, "the commands stay top-level, all of them");
    for (name, any, none) in COMMANDS {
        let text = &top.iter().find(|(n, _)| n == name).unwrap().1;
        let lower = text.to_lowercase();
        assert!(
            any.iter().any(|w| lower.contains(w)),
            "`{name}`'s help speaks of {any:?}: {text:?}"
        );
        assert!(
            !none.iter().any(|w| lower.contains(w)),
            "`{name}`'s help holds another command's words {none:?}: {text:?}"
        );
    }
    for (name, text) in &top {
        for (other, other_text) in &top {
            assert!(
                name == other || !text.contains(other_text.as_str()),
                "`{name}`'s help holds `{other}`'s: {text:?}"
            );
        }
    }
}

#[test]
fn every_command_and_subcommand_answers_help_and_explains_itself() {
    let mut stack: Vec<Vec<String>> = vec![Vec::new()];
    let mut seen = 0;
    while let Some(path) = stack.pop() {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let text = help(&args);
        assert!(
            text.contains("Usage: hoso"),
            "hoso {} --help: {text}",
            args.join(" ")
        );
        for (name, line) in listed(&text) {
            assert!(
                !line.is_empty(),
                "`hoso {} {name}` has a help line",
                args.join(" ")
            );
            let mut next = path.clone();
            next.push(name);
            stack.push(next);
        }
        seen += 1;
    }
    assert!(seen > COMMANDS.len(), "the walk reached the subcommands");
}

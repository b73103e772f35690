//! A dossier's pages: attaching files, listing pages and components, putting a page right,
//! the checklist, and the archive PDF.

use std::path::PathBuf;

use clap::Subcommand;
use hoso_desk::Error;
use hoso_model::Field;
use hoso_model::page::{PageInfo, Target};

use crate::common::{Context, lines};

#[derive(Subcommand)]
pub enum Command {
    /// Attach files (JPEG, PNG, TIFF, PDF) to a dossier's component or to its results. Every
    /// file is checked first; one bad file attaches nothing.
    Attach {
        code: String,
        /// The component's number in the procedure (1, 2, …).
        #[arg(long, conflicts_with = "result", required_unless_present = "result")]
        component: Option<u16>,
        /// Attach as a result document (đầu ra).
        #[arg(long)]
        result: bool,
        /// The number the result was issued under.
        #[arg(long, requires = "result")]
        result_code: Option<String>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// A dossier's pages, components and quality flags.
    Pages { code: String },
    /// Put one page right: move it to another component or to the results, or keep it as the
    /// second image of the page before it (a sheet with a sticky note).
    Page {
        #[command(subcommand)]
        action: PageAction,
    },
    /// Tick a component on the checklist (or untick it) and record the pages counted at the
    /// counter; a scan with a different count is flagged.
    Component {
        code: String,
        /// The component's number in the procedure.
        n: u16,
        #[arg(long)]
        unchecked: bool,
        /// Pages the officer counted.
        #[arg(long)]
        pages: Option<u32>,
    },
    /// Write a dossier's archive PDF (or one component's).
    Export {
        code: String,
        #[arg(long)]
        component: Option<u16>,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum PageAction {
    /// Move the page (with its second image) to the end of a component or of the results,
    /// then to --position there.
    Move {
        /// The page's id, as `hoso pages CODE` lists it.
        page: String,
        #[arg(long, conflicts_with = "result", required_unless_present = "result")]
        component: Option<u16>,
        #[arg(long)]
        result: bool,
        /// From 1 (default: the end).
        #[arg(long)]
        position: Option<u32>,
    },
    /// Keep the page as the second image of the page before it: both stay in the archive,
    /// one after the other, and count as one page.
    Note { page: String },
    /// Make a second image a page of its own again.
    Unnote { page: String },
}

impl Command {
    pub fn run(self, cx: &mut Context) -> Result<(), Error> {
        let desk = cx.sign_in()?;
        match self {
            Command::Attach {
                code,
                component,
                result,
                result_code,
                files,
            } => {
                cx.given(&files);
                let target = target_of(component, result, result_code)?;
                let pages = desk.attach(&code, &target, &files)?;
                cx.output(&pages, || lines(&pages, page_line));
            }
            Command::Pages { code } => {
                let state = desk.digitisation(&code)?;
                cx.output(&state, || {
                    let mut text: Vec<String> = state
                        .components
                        .iter()
                        .map(|c| {
                            format!(
                                "[{}] {}. {} ({} pages{})",
                                if c.checked { "x" } else { " " },
                                c.n,
                                c.name,
                                c.pages,
                                if c.missing() { ", missing" } else { "" }
                            )
                        })
                        .collect();
                    text.push(lines(&state.pages, page_line));
                    text.join("\n")
                });
            }
            Command::Page { action } => {
                let page = match action {
                    PageAction::Move {
                        page,
                        component,
                        result: _,
                        position,
                    } => {
                        let target = match component {
                            Some(n) => Target::Component { n },
                            None => Target::Result { code: None },
                        };
                        let moved = desk.refile_page(&page, &target)?;
                        match position {
                            Some(p) => desk.move_page(&moved.id, p)?,
                            None => moved,
                        }
                    }
                    PageAction::Note { page } => desk.join_note(&page)?,
                    PageAction::Unnote { page } => desk.split_note(&page)?,
                };
                cx.output(&page, || page_line(&page));
            }
            Command::Component {
                code,
                n,
                unchecked,
                pages,
            } => {
                let state = desk.set_component(&code, n, !unchecked, pages)?;
                cx.output(&state.components, || {
                    lines(&state.components, |c| {
                        format!(
                            "[{}] {}. {} ({}/{})",
                            if c.checked { "x" } else { " " },
                            c.n,
                            c.name,
                            c.pages,
                            c.declared_pages.map_or("-".into(), |d| d.to_string())
                        )
                    })
                });
            }
            Command::Export {
                code,
                component,
                out,
            } => {
                let archive = desk.export_to(&code, component, &out)?;
                let json = serde_json::json!({
                    "dossier": code,
                    "out": out,
                    "pages": archive.pages,
                    "bytes": std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0),
                });
                cx.output(&json, || out.display().to_string());
            }
        }
        Ok(())
    }
}

/// Where `--component N` or `--result [--result-code]` put pages.
pub fn target_of(
    component: Option<u16>,
    result: bool,
    result_code: Option<String>,
) -> Result<Target, Error> {
    match (component, result) {
        (_, true) => Ok(Target::Result { code: result_code }),
        (Some(n), false) => Ok(Target::Component { n }),
        (None, false) => Err(Error::refused(
            Field::Component,
            "say --component N or --result",
        )),
    }
}

/// One page on one line: place, id, size, turn, recognition, flags.
pub fn page_line(p: &PageInfo) -> String {
    let place = match &p.target {
        Target::Component { n } => format!("TP{n}"),
        Target::Result { code } => {
            format!(
                "KQ{}",
                code.as_deref().map(|c| format!(" {c}")).unwrap_or_default()
            )
        }
    };
    let flags: Vec<String> = p
        .flags
        .iter()
        .map(|f| {
            serde_json::to_value(f)
                .ok()
                .and_then(|v| v["flag"].as_str().map(str::to_owned))
                .unwrap_or_default()
        })
        .collect();
    format!(
        "{place}/{}{}\t{}\t{}×{}\t{}°\t{}\t{}",
        p.position,
        if p.note_of.is_some() { "b" } else { "" },
        p.id,
        p.width,
        p.height,
        p.rotation,
        p.ocr.name(),
        flags.join(",")
    )
}

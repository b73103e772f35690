//! Getting pages in without attaching files by hand: scanners, scanning into a dossier or a
//! stack filed by QR codes, the folder scanners save into, and text recognition.

use std::path::PathBuf;

use clap::Subcommand;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use hoso_desk::{Desk, Error};
use hoso_model::scan::{ColourMode, Feed, ScanSettings};

use crate::common::{Context, lines};
use crate::pages::{page_line, target_of};

#[derive(Subcommand)]
pub enum Command {
    /// The scanners reachable now.
    Scanners {
        /// Remember these network (eSCL) scanners, e.g. http://192.168.1.20/eSCL.
        #[arg(long)]
        escl: Vec<String>,
    },
    /// Scan into a dossier's component or its results; with no dossier, file a stack of
    /// several dossiers by their receipts' QR codes (a separator sheet starts the next component).
    Scan {
        /// The dossier (omit to file the stack by its cover sheets).
        code: Option<String>,
        #[arg(long, conflicts_with = "result")]
        component: Option<u16>,
        #[arg(long)]
        result: bool,
        #[arg(long, requires = "result")]
        result_code: Option<String>,
        /// The scanner, as `hoso scanners` lists it (sane:…, escl:http://…).
        #[arg(long)]
        device: String,
        #[arg(long, default_value = "flatbed", value_parser = feed_names())]
        source: Feed,
        #[arg(long, default_value_t = 300)]
        resolution: u32,
        #[arg(long, default_value = "color", value_parser = mode_names())]
        mode: ColourMode,
    },
    /// File what scanners save into a folder: by file name (CODE, CODE_TP2, CODE_KQ…) or by the
    /// QR code on the first page; filed files move to done/, others to failed/ with the reason.
    Watch {
        folder: PathBuf,
        /// One pass, then stop (default: look again every 3 seconds).
        #[arg(long)]
        once: bool,
        /// Remember the folder: the desktop window files it while it is open.
        #[arg(long)]
        remember: bool,
    },
    /// Recognise the text of the pages waiting for it; with --wait, until none is left.
    Ocr {
        #[arg(long)]
        wait: bool,
    },
}

/// `--source`: a feed by its name; `--help` lists the names, a wrong one is refused naming the flag.
fn feed_names() -> impl TypedValueParser<Value = Feed> {
    PossibleValuesParser::new(Feed::ALL.map(Feed::name)).try_map(|name| name.parse::<Feed>())
}

/// `--mode`: a colour mode by its name, as `--source` takes a feed.
fn mode_names() -> impl TypedValueParser<Value = ColourMode> {
    PossibleValuesParser::new(ColourMode::ALL.map(ColourMode::name))
        .try_map(|name| name.parse::<ColourMode>())
}

impl Command {
    pub fn run(self, cx: &mut Context) -> Result<(), Error> {
        let desk = cx.sign_in()?;
        match self {
            Command::Scanners { escl } => {
                if !escl.is_empty() {
                    desk.set_escl_urls(&escl)?;
                }
                let found = desk.scanners()?;
                cx.output(&found, || {
                    lines(&found, |d| {
                        let feeds: Vec<&str> = d.feeds.iter().map(|f| f.name()).collect();
                        format!("{}\t{}\t{}", d.id, d.name, feeds.join(","))
                    })
                });
            }
            Command::Scan {
                code,
                component,
                result,
                result_code,
                device,
                source,
                resolution,
                mode,
            } => {
                let start = match &code {
                    Some(code) => Some((code.as_str(), target_of(component, result, result_code)?)),
                    None => None,
                };
                let settings = ScanSettings {
                    feed: source,
                    resolution,
                    mode,
                };
                let json = cx.json;
                let outcome = desk.scan(start, &device, &settings, &mut |page| {
                    if !json {
                        eprintln!("  + {}", page_line(page));
                    }
                })?;
                cx.output(&outcome, || {
                    format!(
                        "{} pages → {}",
                        outcome.pages.len(),
                        outcome.dossiers.join(", ")
                    )
                });
            }
            Command::Watch {
                folder,
                once,
                remember,
            } => {
                if remember {
                    desk.set_watched_folder(&folder)?;
                }
                let watched = hoso_desk::folder::Watched::At(folder, cx.lang);
                desk.watch_folder(&watched, |pass| {
                    let pass = match pass {
                        Ok(pass) => pass,
                        Err(err) => return std::ops::ControlFlow::Break(Err(err)),
                    };
                    cx.output(&pass, || {
                        let mut lines: Vec<String> = pass
                            .filed
                            .iter()
                            .map(|(name, code, pages)| format!("{name}\t→ {code}\t{pages}"))
                            .collect();
                        lines.extend(
                            pass.failed
                                .iter()
                                .map(|(name, why)| format!("{name}\t✗ {why}")),
                        );
                        lines.join("\n")
                    });
                    if once {
                        std::ops::ControlFlow::Break(Ok(()))
                    } else {
                        std::ops::ControlFlow::Continue(())
                    }
                })?;
            }
            Command::Ocr { wait } => recognise(cx, &desk, wait)?,
        }
        Ok(())
    }
}

/// Recognises the pages waiting (all of them with `wait`), or only counts them.
#[cfg(target_os = "linux")]
fn recognise(cx: &Context, desk: &Desk, wait: bool) -> Result<(), Error> {
    let summary = if wait {
        let pool = hoso_desk::text::pool()?;
        desk.recognise_waiting(&pool, None)?
    } else {
        hoso_desk::text::TextSummary {
            waiting: desk.text_waiting()?,
            ..Default::default()
        }
    };
    cx.output(&summary, || {
        format!(
            "recognised {}, failed {}, waiting {}",
            summary.recognised, summary.failed, summary.waiting
        )
    });
    Ok(())
}

/// Text recognition runs only in the Linux build.
#[cfg(not(target_os = "linux"))]
fn recognise(_cx: &Context, _desk: &Desk, _wait: bool) -> Result<(), Error> {
    Err(Error::Capture {
        error: hoso_capture::CaptureError::Ocr("text recognition is not part of this build".into()),
        item: None,
    })
}

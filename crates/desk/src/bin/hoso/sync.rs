//! The hub: enrolling this desk, sending and pulling, and the settings and state of sync.

use clap::Subcommand;
use hoso_desk::{Desk, Error};
use hoso_model::time::format_rfc3339_local;
use hoso_model::{Field, Problem, i18n};

use crate::common::Context;

#[derive(Subcommand)]
pub enum Command {
    /// Enroll this desk with the hub, with the one-time code its operator gave.
    Enroll {
        /// The hub's address, e.g. https://hub.example.vn
        #[arg(long)]
        hub: String,
        #[arg(long)]
        code: String,
        /// How the hub's operator will see this desk (default: the computer's name).
        #[arg(long)]
        name: Option<String>,
        /// Trust only the hub certificate with this SHA-256 fingerprint (hex, with or without
        /// colons), for a hub with a self-signed certificate or one from the province's own CA.
        #[arg(long, conflicts_with = "ca")]
        fingerprint: Option<String>,
        /// Trust only certificates issued by the CA in this PEM file (not the computer's store).
        #[arg(long, value_name = "FILE")]
        ca: Option<std::path::PathBuf>,
    },
    /// Send what waits to the hub and pull what it has, until nothing waits (or, with --watch,
    /// forever); `hoso sync status` shows where sync stands.
    Sync {
        #[command(subcommand)]
        command: Option<SyncCommand>,
        /// Keep going: send new work as it comes, and retry when the network returns.
        #[arg(long)]
        watch: bool,
        /// Bytes of the first upload request of a file, in KiB; later ones grow with the link's
        /// speed up to --max-chunk-kib. At most one chunk is sent again after a cut.
        #[arg(long, default_value_t = 512)]
        chunk_kib: u64,
        /// The largest upload request, in KiB (default 8192).
        #[arg(long)]
        max_chunk_kib: Option<u64>,
    },
}

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Where sync stands: the hub, last contact, what waits, what the hub refused.
    Status,
    /// Stop sending until `hoso sync resume`.
    Pause,
    /// Send again after `hoso sync pause`.
    Resume,
    /// Try a dossier the hub refused (or one backing off) again at the next pass.
    Retry { code: String },
    /// Send the audit log again after the hub refused it (an administrator's act).
    RetryAudit,
    /// Cap uploads at this many kilobytes a second (0: no cap).
    Bandwidth { kbps: u64 },
    /// on: a dossier goes to the hub only once a supervisor approved its pages (administrator).
    AfterApproval {
        #[arg(value_parser = ["on", "off"])]
        on: String,
    },
}

impl Command {
    pub fn run(self, cx: &mut Context) -> Result<(), Error> {
        let desk = cx.sign_in()?;
        match self {
            Command::Enroll {
                hub,
                code,
                name,
                fingerprint,
                ca,
            } => {
                let ca = match ca {
                    Some(path) => Some(std::fs::read_to_string(path).map_err(|_| {
                        Error::problem(Field::Hub, Problem::BadCaFile, "the CA file cannot be read")
                    })?),
                    None => None,
                };
                let trust = hoso_desk::sync::trust_from(fingerprint.as_deref(), ca.as_deref())?;
                let name = name
                    .or_else(|| std::env::var("HOSTNAME").ok())
                    .or_else(|| {
                        std::fs::read_to_string("/etc/hostname")
                            .ok()
                            .map(|h| h.trim().to_owned())
                    })
                    .unwrap_or_else(|| "desk".into());
                let enrollment = desk.enroll_trusting(&hub, &code, &name, &trust)?;
                cx.output(&enrollment, || {
                    format!(
                        "{}\t{}\tslot {}\t{}",
                        enrollment.unit_code,
                        enrollment.device_id,
                        enrollment.slot,
                        enrollment.unit_name
                    )
                });
            }
            Command::Sync {
                command: None,
                watch,
                chunk_kib,
                max_chunk_kib,
            } => {
                let config = hoso_sync::Config {
                    chunk_size: chunk_kib.clamp(1, 64 * 1024) * 1024,
                    max_chunk_size: max_chunk_kib.unwrap_or(8 * 1024).clamp(1, 64 * 1024) * 1024,
                    ..Default::default()
                };
                send_and_pull(cx, &desk, config, watch)?;
            }
            Command::Sync {
                command: Some(command),
                ..
            } => match command {
                SyncCommand::Status => status(cx, &desk)?,
                SyncCommand::Pause => desk.set_sync_paused(true)?,
                SyncCommand::Resume => desk.set_sync_paused(false)?,
                SyncCommand::Retry { code } => desk.retry_sync(&code)?,
                SyncCommand::RetryAudit => desk.retry_audit_sync()?,
                SyncCommand::Bandwidth { kbps } => {
                    desk.set_sync_bandwidth((kbps > 0).then(|| kbps * 1000))?
                }
                SyncCommand::AfterApproval { on } => desk.set_sync_after_approval(on == "on")?,
            },
        }
        Ok(())
    }
}

/// One run of the engine (for ever with `watch`), then what was done and what waits.
fn send_and_pull(
    cx: &Context,
    desk: &Desk,
    config: hoso_sync::Config,
    watch: bool,
) -> Result<(), Error> {
    let status = desk.sync(config, watch)?;
    let overview = desk.sync_overview()?;
    let out = serde_json::json!({
        "accepted": status.accepted,
        "files": status.files,
        "bytes_sent": status.bytes_sent,
        "pulled": status.pulled,
        "audit": status.audit,
        "waiting_dossiers": overview.waiting_dossiers,
        "quarantined": overview.quarantined.len(),
        "audit_waiting": overview.audit_waiting,
        "audit_problem": overview.audit_problem,
    });
    cx.output(&out, || {
        format!(
            "sent {} dossier versions, {} files ({} bytes), {} audit entries; pulled {} changes; {} waiting, {} refused",
            status.accepted,
            status.files,
            status.bytes_sent,
            status.audit,
            status.pulled,
            overview.waiting_dossiers,
            overview.quarantined.len()
        )
    });
    Ok(())
}

/// Where sync stands, one fact a line.
fn status(cx: &Context, desk: &Desk) -> Result<(), Error> {
    let overview = desk.sync_overview()?;
    cx.output(&overview, || {
        let mut lines = vec![
            format!("hub\t{}", overview.hub_url.as_deref().unwrap_or("-")),
            format!(
                "last contact\t{}",
                overview
                    .last_contact
                    .map(format_rfc3339_local)
                    .unwrap_or_else(|| "-".into())
            ),
            format!("paused\t{}", overview.paused),
            match overview.problem.as_deref() {
                // The name for scripts, then what it means and what to check.
                Some(p) => format!("problem\t{p}: {}", i18n::sync_problem(cx.lang, p)),
                None => "problem\t-".into(),
            },
            format!(
                "waiting\t{} dossiers, {} files, {} bytes",
                overview.waiting_dossiers, overview.waiting_files, overview.waiting_bytes
            ),
            format!(
                "audit log\t{} entries waiting{}",
                overview.audit_waiting,
                overview
                    .audit_problem
                    .as_deref()
                    .map(|p| format!(", refused by the hub: {p}"))
                    .unwrap_or_default()
            ),
        ];
        for q in &overview.quarantined {
            lines.push(format!(
                "refused\t{}\t{}",
                q.code.as_deref().unwrap_or(&q.id.0),
                q.reason
            ));
        }
        lines.join("\n")
    });
    Ok(())
}

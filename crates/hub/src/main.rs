//! `hoso-hub`: the hub server and its operator's commands. Every command takes the same
//! `--data-dir` (and `--database-url`, for PostgreSQL) as `serve`, and may run while the server
//! does: each is one short transaction.

mod hub_backup;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hoso_hub::api::{normalise_code, now_ms};
use hoso_hub::db::sha256_hex;
use hoso_model::DossierId;
use hoso_model::lifecycle::{Event, EventKind};
use hoso_model::sync::{ChangeBody, DossierRecord};
use hoso_model::time::format_local;
use hoso_model::unit::is_unit_code;

#[derive(Parser)]
#[command(
    name = "hoso-hub",
    version,
    about = "Hồ Sơ Số hub: receives the desks' dossiers and files"
)]
struct Cli {
    /// Where the hub keeps its database and files.
    #[arg(long, global = true, env = "HOSO_HUB_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Keep the records in PostgreSQL instead of the data directory's SQLite file (the files
    /// stay in the data directory).
    #[arg(long, global = true, env = "HOSO_HUB_DATABASE_URL")]
    database_url: Option<String>,
    /// Print JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API.
    Serve {
        /// e.g. 127.0.0.1:8080 (port 0: any free port; the first line printed says which).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Serve HTTPS with this certificate chain (PEM).
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Serve plain HTTP on an address other than loopback (behind a TLS proxy).
        #[arg(long)]
        allow_plain_http: bool,
        /// The address desks reach the hub at, for upload locations and file URLs.
        #[arg(long)]
        public_url: Option<String>,
        /// Close a connection on which nothing has moved for this many seconds.
        #[arg(long, default_value_t = hoso_hub::api::IDLE_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
        idle_timeout: u64,
    },
    /// Units (communes).
    Unit {
        #[command(subcommand)]
        command: UnitCommand,
    },
    /// A one-time enrollment code for a new desk of a unit (valid 7 days).
    EnrollCode {
        #[arg(long)]
        unit: String,
    },
    /// Every desk, with its last contact and latest heartbeat.
    Devices,
    /// Refuse a desk from now on (lost, stolen or retired).
    DisableDevice { id: String },
    /// A unit's dossiers.
    Dossiers {
        #[arg(long)]
        unit: String,
    },
    /// A dossier (by official code or id) in the national sync message's shape.
    Export {
        code: String,
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
    /// Record something that happened upstream to a dossier, for its desk to pull.
    Event {
        code: String,
        /// back, resolve, return, supplement-request, refuse, stop, …
        #[arg(long)]
        kind: String,
        /// What to supplement, or why it is refused or stopped (required for those).
        #[arg(long)]
        reason: Option<String>,
    },
    /// A desk's audit log as the hub holds it, oldest first.
    Audit {
        device: String,
        /// Entries after this number.
        #[arg(long, default_value_t = 0)]
        after: u64,
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// Walk the audit log the hub holds of each desk (of one unit): fails if one is broken.
    AuditVerify {
        #[arg(long)]
        unit: Option<String>,
    },
    /// Copy the hub's records and files into a new folder, while the hub may serve.
    ///
    /// On SQLite the folder gets a consistent copy of the database, every complete file
    /// (uploads still in progress are not kept) and, written last, manifest.json with the hub's
    /// version, the schema version, the time, counts and each file's SHA-256: a folder without
    /// it is a backup that was cut short. On PostgreSQL the hub runs `pg_dump --format=custom`
    /// (found on PATH) into the folder first; without pg_dump it copies the files and the
    /// manifest and prints the exact pg_dump command to run.
    Backup {
        /// A new (or empty) folder for this backup.
        #[arg(long)]
        to: PathBuf,
    },
    /// Put a backup in place of the data directory (stop the hub first).
    ///
    /// Refuses a backup without a complete manifest or with a file whose hash differs, and a
    /// data directory that already holds a hub unless --force (it is then set aside, not
    /// deleted). All or nothing: the backup is copied and checked in a staging folder, then
    /// renamed. On PostgreSQL the files are restored and the pg_restore command that loads the
    /// records is printed.
    Restore {
        /// The backup folder (`hoso-hub backup --to`).
        #[arg(long)]
        from: PathBuf,
        /// Set aside a data directory that already holds a hub.
        #[arg(long)]
        force: bool,
    },
    /// Send a procedure catalogue or working calendar (catalogue/*.json format) to one unit's
    /// desks, or to every unit's.
    Publish {
        file: PathBuf,
        #[arg(long)]
        unit: Option<String>,
    },
}

#[derive(Subcommand)]
enum UnitCommand {
    /// Add a unit (or rename it).
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hoso-hub: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let data_dir = cli
        .data_dir
        .clone()
        .ok_or("give --data-dir (or HOSO_HUB_DATA_DIR)")?;
    // Refused before anything is created on disk.
    if let Command::Serve {
        listen,
        tls_cert: None,
        allow_plain_http: false,
        ..
    } = &cli.command
        && !listen.ip().is_loopback()
    {
        return Err(format!(
            "refusing plain HTTP on {listen}: give --tls-cert and --tls-key, or put the hub \
             behind a TLS proxy and pass --allow-plain-http, or listen on a loopback address"
        ));
    }
    match &cli.command {
        Command::Backup { to } => {
            return hub_backup::run(&data_dir, cli.database_url.as_deref(), to);
        }
        Command::Restore { from, force } => {
            return hub_backup::restore(&data_dir, cli.database_url.as_deref(), from, *force);
        }
        _ => {}
    }
    let hub = match &cli.database_url {
        Some(url) => hoso_hub::open_postgres(url, &data_dir),
        None => hoso_hub::open(&data_dir),
    }
    .map_err(|e| e.to_string())?;
    let print = |value: serde_json::Value, text: String| {
        if cli.json {
            println!("{value}");
        } else {
            println!("{text}");
        }
    };
    match cli.command {
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
            allow_plain_http: _,
            public_url,
            idle_timeout,
        } => {
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Some(hoso_hub::tls::acceptor(&cert, &key)?),
                _ => None,
            };
            let mut hub = hub;
            hub.public_url = public_url;
            hub.idle_timeout = std::time::Duration::from_secs(idle_timeout);
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind(listen)
                    .await
                    .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
                let bound = listener.local_addr().map_err(|e| e.to_string())?;
                match tls {
                    Some(acceptor) => {
                        println!("listening on https://{bound}");
                        hoso_hub::serve_tls(listener, acceptor, hub, shutdown_signal()).await
                    }
                    None => {
                        println!("listening on http://{bound}");
                        hoso_hub::serve(listener, hub, shutdown_signal()).await
                    }
                }
                .map_err(|e| e.to_string())
            })?;
        }
        Command::Unit {
            command: UnitCommand::Add { code, name },
        } => {
            if !is_unit_code(&code) {
                return Err(format!("{code:?} is not a unit identifier"));
            }
            hub.db
                .add_unit(&code, name.trim(), now_ms())
                .map_err(|e| e.to_string())?;
            print(
                serde_json::json!({"code": code, "name": name}),
                code.clone(),
            );
        }
        Command::EnrollCode { unit } => {
            let code = enrollment_code()?;
            hub.db
                .add_enrollment_code(
                    &unit,
                    &sha256_hex(normalise_code(&code).as_bytes()),
                    now_ms(),
                )
                .map_err(|e| e.to_string())?;
            print(
                serde_json::json!({"unit": unit, "code": code}),
                code.clone(),
            );
        }
        Command::Devices => {
            let devices = hub.db.devices().map_err(|e| e.to_string())?;
            let text = devices
                .iter()
                .map(device_line)
                .collect::<Vec<_>>()
                .join("\n");
            print(serde_json::Value::Array(devices), text);
        }
        Command::DisableDevice { id } => {
            if !hub.db.disable_device(&id).map_err(|e| e.to_string())? {
                return Err(format!("no device {id}"));
            }
        }
        Command::Dossiers { unit } => {
            let dossiers = hub.db.dossiers(&unit).map_err(|e| e.to_string())?;
            let text = dossiers
                .iter()
                .map(|d| {
                    format!(
                        "{}\t{}\tversion {}\t{} files\treceived {}",
                        d["code"].as_str().unwrap_or("-"),
                        d["id"].as_str().unwrap_or(""),
                        d["version"],
                        d["files"],
                        d["received_at"]
                            .as_str()
                            .and_then(|t| t.parse().ok())
                            .map_or("-".into(), format_local),
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            print(serde_json::Value::Array(dossiers), text);
        }
        Command::Export { code, public_url } => {
            let (_, _, record) = hub
                .db
                .dossier(&code)
                .map_err(|e| e.to_string())?
                .ok_or(format!("no dossier {code}"))?;
            let record: DossierRecord = serde_json::from_str(&record).map_err(|e| e.to_string())?;
            let files_url = format!("{}/v1/files", public_url.trim_end_matches('/'));
            let message = hoso_hub::export::national_message(&record, &files_url);
            println!(
                "{}",
                serde_json::to_string_pretty(&message).expect("JSON serialises")
            );
        }
        Command::Event { code, kind, reason } => {
            let kind = EventKind::from_name(&kind).ok_or_else(|| {
                let names: Vec<&str> = EventKind::ALL.iter().map(|k| k.name()).collect();
                format!("unknown event {kind:?}: one of {}", names.join(", "))
            })?;
            let reason = reason
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty());
            if kind.needs_reason() && reason.is_none() {
                return Err(format!("a {} event needs --reason", kind.name()));
            }
            let (unit, _, record) = hub
                .db
                .dossier(&code)
                .map_err(|e| e.to_string())?
                .ok_or(format!("no dossier {code}"))?;
            let record: DossierRecord = serde_json::from_str(&record).map_err(|e| e.to_string())?;
            let mut event = Event::new(kind, jiff::Timestamp::now());
            event.reason = reason;
            let body = ChangeBody::Event {
                dossier_id: DossierId(record.id.0),
                event,
            };
            hub.db
                .add_change(Some(&unit), &body, now_ms())
                .map_err(|e| e.to_string())?;
        }
        Command::Audit {
            device,
            after,
            limit,
        } => {
            let entries = hub
                .db
                .audit(&device, after, limit)
                .map_err(|e| e.to_string())?;
            let text = entries
                .iter()
                .map(|e| {
                    format!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        e.seq,
                        local_ms(Some(e.at_ms)),
                        e.actor,
                        e.action,
                        e.object,
                        e.detail
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            print(serde_json::json!(entries), text);
        }
        Command::AuditVerify { unit } => {
            let walks = hub
                .db
                .verify_audit(unit.as_deref())
                .map_err(|e| e.to_string())?;
            let text = walks
                .iter()
                .map(|w| match w.first_broken {
                    None => format!("{}\t{} entries\tintact", w.device, w.entries),
                    Some(n) => format!("{}\t{} entries\tbroken at {n}", w.device, w.entries),
                })
                .collect::<Vec<_>>()
                .join("\n");
            let broken = walks.iter().filter(|w| w.first_broken.is_some()).count();
            print(serde_json::json!(walks), text);
            if broken > 0 {
                return Err(format!("{broken} audit logs are broken"));
            }
        }
        Command::Backup { .. } | Command::Restore { .. } => unreachable!("run above"),
        Command::Publish { file, unit } => {
            let json = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let parsed: serde_json::Value =
                serde_json::from_str(&json).map_err(|_| "not a JSON document".to_string())?;
            if parsed["version"].as_str().is_none() {
                return Err("a catalogue or calendar file has a version".into());
            }
            let n = hub
                .db
                .add_change(unit.as_deref(), &ChangeBody::Document { json }, now_ms())
                .map_err(|e| e.to_string())?;
            print(
                serde_json::json!({"units": n}),
                format!("sent to {n} units"),
            );
        }
    }
    Ok(())
}

/// A time held in milliseconds, in Vietnam's civil time, or `-`.
fn local_ms(ms: Option<i64>) -> String {
    ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map_or("-".into(), format_local)
}

/// One line of `hoso-hub devices`.
fn device_line(d: &serde_json::Value) -> String {
    let beat = &d["heartbeat"];
    let queue = if beat.is_object() {
        format!(
            "queue {} dossiers, {} files ({} bytes), oldest unsent {}, quarantined {} \
             (reported {})",
            beat["queue_dossiers"],
            beat["queue_files"],
            beat["queue_bytes"],
            beat["oldest_unsent_at"]
                .as_str()
                .and_then(|t| t.parse().ok())
                .map_or("-".into(), format_local),
            beat["quarantined"],
            local_ms(d["heartbeat_at_ms"].as_i64()),
        )
    } else {
        "no heartbeat yet".into()
    };
    format!(
        "{}\t{} slot {}\t{}\tv{}\tlast contact {}\t{}{}",
        d["id"].as_str().unwrap_or(""),
        d["unit"].as_str().unwrap_or(""),
        d["slot"],
        d["name"].as_str().unwrap_or(""),
        d["app_version"].as_str().unwrap_or(""),
        local_ms(d["last_contact_ms"].as_i64()),
        queue,
        if d["disabled"] == true {
            "\tDISABLED"
        } else {
            ""
        },
    )
}

/// A one-time code an officer can type: 8 characters of an alphabet without look-alikes
/// (no 0/O, 1/I/L), as `XXXX-XXXX`.
fn enrollment_code() -> Result<String, String> {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    Ok(format!("{}-{}", &chars[..4], &chars[4..]))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

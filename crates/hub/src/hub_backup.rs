//! `hoso-hub backup` and `hoso-hub restore` as the operator sees them: the library's
//! [`hoso_hub::backup`] called, and what it did said in a few lines (with the exact pg_dump or
//! pg_restore command when PostgreSQL holds the records).

use std::path::Path;

use hoso_hub::backup::manifest::PG_DUMP_FILE;
use hoso_hub::backup::restore::restore as restore_backup;
use hoso_hub::backup::{Records, backup, on_path, pg_dump_command};

/// `hoso-hub backup --to DIR`.
pub fn run(data_dir: &Path, database_url: Option<&str>, to: &Path) -> Result<(), String> {
    let pg_dump = on_path("pg_dump");
    let records = match database_url {
        None => Records::Sqlite,
        Some(url) => Records::Postgres {
            url,
            pg_dump: pg_dump.as_deref(),
        },
    };
    let report =
        backup(data_dir, records, to, jiff::Timestamp::now()).map_err(|e| e.to_string())?;
    let counts = &report.manifest.counts;
    println!(
        "backed up to {}: {} units, {} devices, {} dossiers, {} files ({} bytes)",
        to.display(),
        counts.units,
        counts.devices,
        counts.dossiers,
        counts.stored_files,
        counts.stored_bytes
    );
    if !report.missing.is_empty() {
        eprintln!(
            "hoso-hub: the records name {} files the files directory lacks (the hub was \
             missing them already): {}",
            report.missing.len(),
            report.missing.join(", ")
        );
    }
    if let (Some(url), None) = (database_url, &report.manifest.records) {
        println!(
            "The records are in PostgreSQL and pg_dump is not on PATH: this backup holds the \
             files only. Dump the records into it now with:\n  {}",
            pg_dump_command(url, &to.join(PG_DUMP_FILE))
        );
    }
    Ok(())
}

/// `hoso-hub restore --from DIR [--force]`.
pub fn restore(
    data_dir: &Path,
    database_url: Option<&str>,
    from: &Path,
    force: bool,
) -> Result<(), String> {
    let restored = restore_backup(from, data_dir, database_url, force, jiff::Timestamp::now())
        .map_err(|e| e.to_string())?;
    let m = &restored.manifest;
    println!(
        "restored the backup of {} (hub {}, {} dossiers, {} files) into {}",
        m.made_at,
        m.hub_version,
        m.counts.dossiers,
        m.counts.stored_files,
        data_dir.display()
    );
    if let Some(aside) = &restored.set_aside {
        println!("the former data directory is kept at {}", aside.display());
    }
    match (&restored.pg_restore, database_url) {
        (Some(command), _) => {
            println!("Load the records into PostgreSQL with:\n  {command}")
        }
        (None, Some(_)) => println!(
            "This backup holds no PostgreSQL dump: load the records from the dump made with it \
             (pg_restore --clean --if-exists --no-owner --dbname=URL FILE)."
        ),
        (None, None) => {}
    }
    Ok(())
}

//! Keeping and removing the desk's data: backups, restoring one (without signing in: the
//! recovery key opens it), the retention purge, and wiping the desk.

use std::path::PathBuf;

use clap::Subcommand;
use hoso_desk::{Desk, Error, SystemClock};
use hoso_model::Field;

use crate::common::{Context, secret};

#[derive(Subcommand)]
pub enum Command {
    /// Write an encrypted backup of the whole desk into a new folder inside DIR (a USB stick).
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup folder into this (empty) data folder with the recovery key (from
    /// HOSO_RECOVERY_KEY or asked for); the accounts and their passwords come back with it.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Remove the local copy of finished dossiers the hub holds, received more than the
    /// retention period ago (administrator).
    Purge {
        /// The retention period in days (default: the unit's, else 365).
        #[arg(long)]
        older_than_days: Option<u32>,
        /// Keep --older-than-days as the unit's retention period.
        #[arg(long, requires = "older_than_days")]
        remember: bool,
        /// Only count what would go.
        #[arg(long)]
        dry_run: bool,
    },
    /// Destroy this desk's keys, database and kept files before the computer is handed over
    /// (what was synced stays on the hub). Needs --yes.
    Wipe {
        #[arg(long)]
        yes: bool,
    },
}

impl Command {
    pub fn run(self, cx: &mut Context) -> Result<(), Error> {
        match self {
            Command::Restore { from } => {
                cx.given(std::slice::from_ref(&from));
                let recovery = secret("HOSO_RECOVERY_KEY", "Mã khôi phục / Recovery key: ", false)?;
                let desk = Desk::restore(&from, &cx.data_dir, &recovery, SystemClock)?;
                let count = desk.dossier_count()?;
                let json = serde_json::json!({ "restored": cx.data_dir, "dossiers": count });
                cx.output(&json, || format!("restored\t{count} dossiers"));
            }
            Command::Backup { to } => {
                let desk = cx.sign_in()?;
                cx.given(std::slice::from_ref(&to));
                let folder = desk.backup(&to)?;
                let json = serde_json::json!({ "backup": folder });
                cx.output(&json, || folder.display().to_string());
            }
            Command::Purge {
                older_than_days,
                remember,
                dry_run,
            } => {
                let desk = cx.sign_in()?;
                if remember && let Some(days) = older_than_days {
                    desk.set_retention_days(days)?;
                }
                let purged = desk.purge(older_than_days, dry_run)?;
                cx.output(&purged, || {
                    format!(
                        "purged\t{} dossiers, {} files",
                        purged.dossiers, purged.files
                    )
                });
            }
            Command::Wipe { yes } => {
                let desk = cx.sign_in()?;
                if !yes {
                    return Err(Error::refused(
                        Field::Backup,
                        "wiping destroys the desk: confirm with --yes",
                    ));
                }
                desk.wipe()?;
                cx.output(&serde_json::json!({ "wiped": cx.data_dir }), || {
                    "wiped".to_owned()
                });
            }
        }
        Ok(())
    }
}

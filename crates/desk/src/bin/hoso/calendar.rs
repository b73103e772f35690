//! The working calendar: due dates and days off. Before the desk is set up it answers from the
//! built-in calendar and catalogue, without an account.

use clap::Subcommand;
use hoso_desk::Error;
use hoso_model::time::format_rfc3339_local;

use crate::common::{Context, instant, lines};

#[derive(Subcommand)]
pub enum Command {
    /// The working calendar.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
}

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// When a dossier of a procedure received at a given time is due.
    Due {
        #[arg(long)]
        procedure: String,
        /// When it was received, in Vietnamese time: 13/02/2026 16:10, or
        /// 2026-02-13T16:10:00+07:00.
        #[arg(long)]
        received_at: String,
    },
    /// The holidays and substitute days of a year.
    DaysOff {
        #[arg(long)]
        year: i16,
    },
}

impl Command {
    pub fn run(self, cx: &mut Context) -> Result<(), Error> {
        let Command::Calendar { command } = self;
        let desk = cx.desk_or_built_in()?;
        match command {
            CalendarCommand::Due {
                procedure,
                received_at,
            } => {
                let received = instant(&received_at)?;
                let due = desk.due_date(&procedure, received)?;
                let json = serde_json::json!({
                    "procedure": procedure,
                    "received_at": format_rfc3339_local(received),
                    "due_at": due.map(format_rfc3339_local),
                });
                cx.output(&json, || {
                    due.map(format_rfc3339_local).unwrap_or_else(|| "-".into())
                });
            }
            CalendarCommand::DaysOff { year } => {
                let days = desk.days_off(year);
                cx.output(&days, || {
                    lines(&days, |d| format!("{}\t{}", d.date, d.reason))
                });
            }
        }
        Ok(())
    }
}

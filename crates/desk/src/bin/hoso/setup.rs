//! Setting the desk up, its accounts, recovery with the recovery key, and the audit log.
//! `init` the first time and `recover` work without signing in.

use clap::Subcommand;
use hoso_desk::{Desk, Error, SystemClock};
use hoso_model::account::{AuditFilter, NewAccount};
use hoso_model::calendar::due::OfficeHours;
use hoso_model::i18n;
use hoso_model::time::format_local;
use hoso_model::unit::Unit;
use hoso_model::{Account, Field, Role};

use crate::common::{Context, lines, secret};

#[derive(Subcommand)]
pub enum Command {
    /// Set up the desk: the first time, with --admin, creates the first administrator and
    /// prints the recovery key once; then (and later, as an administrator) sets the receiving
    /// unit and this desk's slot.
    Init {
        /// The first administrator's sign-in name (first time only); the password comes from
        /// HOSO_PASSWORD or is asked for twice.
        #[arg(long)]
        admin: Option<String>,
        /// The first administrator's full name (default: the sign-in name).
        #[arg(long)]
        full_name: Option<String>,
        /// Unit identifier, e.g. 000.00.25.H25 or H25.123 (with --unit-name).
        #[arg(long, requires = "unit_name")]
        unit_code: Option<String>,
        /// Unit name, e.g. "Trung tâm Phục vụ hành chính công xã Thạch Hà".
        #[arg(long, requires = "unit_code")]
        unit_name: Option<String>,
        /// Governing body printed on forms, e.g. "UBND xã Thạch Hà".
        #[arg(long, default_value = "")]
        governing_body: String,
        /// This desk's slot among the unit's desks (0–9); each slot issues its own code numbers.
        #[arg(long, default_value_t = 0)]
        device_slot: u8,
        /// Office hours, e.g. "07:00-11:30, 13:30-17:00" (the default).
        #[arg(long, default_value = "07:00-11:30, 13:30-17:00")]
        office_hours: String,
    },
    /// Accounts: add, list, disable, change role or password.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Set a new password for an account with the recovery key (from HOSO_RECOVERY_KEY or
    /// asked for), when every administrator's password is lost.
    Recover {
        /// The account to give a new password (from HOSO_NEW_PASSWORD or asked for).
        name: String,
    },
    /// The audit log, newest first; `hoso audit verify` checks its hash chain.
    Audit {
        #[command(subcommand)]
        command: Option<AuditCommand>,
        #[arg(long)]
        actor: Option<String>,
        /// sign-in, view, search, print, export, change, delete, settings, account, …
        #[arg(long)]
        action: Option<String>,
        /// From this day, day first: 01/03/2026 (or 2026-03-01).
        #[arg(long)]
        from: Option<String>,
        /// To this day, inclusive.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add an account; its password comes from HOSO_NEW_PASSWORD or is asked for twice.
    Add {
        name: String,
        #[arg(long, value_parser = ["officer", "supervisor", "admin"])]
        role: String,
        /// Full name (default: the sign-in name).
        #[arg(long)]
        full_name: Option<String>,
    },
    /// The desk's accounts.
    List,
    /// Disable an account: its password no longer opens the desk.
    Disable { name: String },
    /// Change an account's role.
    Role {
        name: String,
        #[arg(value_parser = ["officer", "supervisor", "admin"])]
        role: String,
    },
    /// Set a new password: your own (with no name), or, as an administrator, anyone's (which
    /// also enables a disabled account). The new one comes from HOSO_NEW_PASSWORD or is asked for.
    Password { name: Option<String> },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the log's hash chain; names the first broken entry and fails if there is one.
    Verify,
}

impl Command {
    pub fn run(self, cx: &mut Context) -> Result<(), Error> {
        match self {
            Command::Init {
                admin,
                full_name,
                unit_code,
                unit_name,
                governing_body,
                device_slot,
                office_hours,
            } => {
                let desk = if Desk::is_set_up(&cx.data_dir) {
                    cx.sign_in()?
                } else {
                    first_administrator(cx, admin, full_name)?
                };
                let (Some(code), Some(name)) = (unit_code, unit_name) else {
                    cx.output(&serde_json::json!({ "set_up": true }), || "ok".into());
                    return Ok(());
                };
                let office_hours = OfficeHours::parse(&office_hours)
                    .ok_or_else(|| Error::refused(Field::OfficeHours, "unreadable office hours"))?;
                let unit = desk.set_unit(Unit {
                    code,
                    name,
                    governing_body,
                    device_slot,
                    office_hours,
                })?;
                cx.output(&unit, || {
                    format!("{}\t{}\t{}", unit.code, unit.device_slot, unit.name)
                });
            }
            Command::User { command } => {
                let desk = cx.sign_in()?;
                run_user(cx, &desk, command)?;
            }
            Command::Recover { name } => {
                let recovery = secret("HOSO_RECOVERY_KEY", "Mã khôi phục / Recovery key: ", false)?;
                let (desk, _) = Desk::recover(&cx.data_dir, &recovery, SystemClock)?;
                let password = secret("HOSO_NEW_PASSWORD", "Mật khẩu mới / New password: ", true)?;
                let account = desk.reset_password(&name, &password)?;
                cx.output(&account, || account.name.clone());
            }
            Command::Audit {
                command: Some(AuditCommand::Verify),
                ..
            } => {
                let desk = cx.sign_in()?;
                let check = desk.verify_audit()?;
                cx.output(&check, || match check.first_broken {
                    None => format!("ok\t{} entries", check.entries),
                    Some(n) => format!("broken at entry {n}"),
                });
                if let Some(n) = check.first_broken {
                    return Err(Error::AuditBroken(n));
                }
            }
            Command::Audit {
                command: None,
                actor,
                action,
                from,
                to,
                limit,
            } => {
                let desk = cx.sign_in()?;
                let filter = AuditFilter {
                    actor,
                    action,
                    object: None,
                    from: from.as_deref().map(|t| midnight(t, false)).transpose()?,
                    to: to.as_deref().map(|t| midnight(t, true)).transpose()?,
                    limit: Some(limit),
                };
                let entries = desk.audit_log(&filter)?;
                cx.output(&entries, || {
                    lines(&entries, |e| {
                        format!(
                            "{}\t{}\t{}\t{}\t{}\t{}",
                            e.seq,
                            format_local(e.at),
                            e.actor,
                            e.action,
                            e.object,
                            e.detail
                        )
                    })
                });
            }
        }
        Ok(())
    }
}

/// Sets the desk up with its first administrator, the password from HOSO_PASSWORD or asked
/// for twice, and shows the recovery key once.
fn first_administrator(
    cx: &mut Context,
    admin: Option<String>,
    full_name: Option<String>,
) -> Result<Desk, Error> {
    let admin = admin.ok_or(Error::NotSetUp)?;
    let password = secret("HOSO_PASSWORD", "Mật khẩu / Password: ", true)?;
    let first = NewAccount {
        full_name: full_name.unwrap_or_else(|| admin.clone()),
        name: admin,
        role: Role::Admin,
        password,
    };
    let (desk, recovery) = Desk::set_up(&cx.data_dir, &first, SystemClock)?;
    // Shown once, on the terminal only (never in --json output that may land in a log).
    eprintln!(
        "hoso: {}

    {}
",
        i18n::Text::RecoveryKeyNotice.in_lang(cx.requested.unwrap_or_default()),
        recovery.display().as_str()
    );
    cx.opened((desk, None))
}

/// The local midnight that starts the day `text` names (or, with `next`, the day after).
fn midnight(text: &str, next: bool) -> Result<jiff::Timestamp, Error> {
    let unreadable = || Error::refused(Field::Date, "unreadable date");
    let date = hoso_model::time::parse_day(text).ok_or_else(unreadable)?;
    let date = if next {
        date.tomorrow().unwrap_or(date)
    } else {
        date
    };
    hoso_model::time::from_local(date.to_datetime(jiff::civil::Time::midnight()))
        .ok_or_else(unreadable)
}

fn run_user(cx: &Context, desk: &Desk, command: UserCommand) -> Result<(), Error> {
    let role = |name: &str| Role::from_name(name).expect("clap allows only known roles");
    match command {
        UserCommand::Add {
            name,
            role: r,
            full_name,
        } => {
            let password = secret("HOSO_NEW_PASSWORD", "Mật khẩu mới / New password: ", true)?;
            let account = desk.add_account(&NewAccount {
                full_name: full_name.unwrap_or_else(|| name.clone()),
                name,
                role: role(&r),
                password,
            })?;
            cx.output(&account, || account_line(&account));
        }
        UserCommand::List => {
            let accounts = desk.accounts()?;
            cx.output(&accounts, || lines(&accounts, account_line));
        }
        UserCommand::Disable { name } => {
            let account = desk.disable_account(&name)?;
            cx.output(&account, || account_line(&account));
        }
        UserCommand::Role { name, role: r } => {
            let account = desk.set_role(&name, role(&r))?;
            cx.output(&account, || account_line(&account));
        }
        UserCommand::Password { name: None } => {
            let current = secret(
                "HOSO_PASSWORD",
                "Mật khẩu hiện tại / Current password: ",
                false,
            )?;
            let new = secret("HOSO_NEW_PASSWORD", "Mật khẩu mới / New password: ", true)?;
            desk.change_password(&current, &new)?;
            cx.output(&serde_json::json!({ "changed": true }), || "ok".into());
        }
        UserCommand::Password { name: Some(name) } => {
            let new = secret("HOSO_NEW_PASSWORD", "Mật khẩu mới / New password: ", true)?;
            let account = desk.reset_password(&name, &new)?;
            cx.output(&account, || account_line(&account));
        }
    }
    Ok(())
}

fn account_line(a: &Account) -> String {
    format!(
        "{}\t{}\t{}{}",
        a.name,
        a.role.name(),
        a.full_name,
        if a.disabled { "\t(disabled)" } else { "" }
    )
}

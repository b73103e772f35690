//! Supervision at scale: N dossiers over about three years in a real SQLite file (SQLCipher,
//! as the desk keeps it), most of them finished, approved and synced, with a realistic backlog
//! of open ones. Times the backlog counts (every queue) and the indicators of a month, a quarter
//! and a year, against what a report over every row does (one full pass over the dossiers and
//! their facts, filtered as it goes: an export to a spreadsheet, or a query with no index to
//! help), side by side in one run.
//!
//! cargo run --release -p hoso-store --example supervision_bench -- [N, default 1000000]

use std::time::{Duration, Instant};

use hoso_model::supervision::{BacklogFilter, Period, Queue, ScoringRules, indicators};
use hoso_store::supervision::{self, Clock};
use hoso_store::{Error, Store};
use rusqlite::params;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

const PROCEDURES: &[&str] = &["2.000815", "2.000884", "1.001193", "1.000656", "1.004873"];
const OFFICERS: &[&str] = &["lan", "minh", "hoa", "tuan"];
/// 2024-01-01T00:00:00Z, the first dossier.
const START_S: i64 = 1_704_067_200;
const STEP_S: i64 = 95;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut out = None;
    for _ in 0..runs {
        let started = Instant::now();
        out = Some(f());
        times.push(started.elapsed());
    }
    (median(times), out.expect("at least one run"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> Result<(), Error> {
    let n: i64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().map_err(Error::Io)?;
    let key = format!("x'{}'", "ab".repeat(32));
    let store = Store::open_encrypted_in(dir.path(), &key)?.store;
    let mut rng = Lcg(20_261_203);
    let last_s = START_S + n * STEP_S;
    let now_ms = last_s * 1000;
    let generated = Instant::now();
    store.write(|tx| {
        let mut dossier = tx.prepare(
            "INSERT INTO dossier (id, procedure_code, applicant_name, received_at_ms, code,
                 status, due_at_ms, channel) VALUES (?1, ?2, 'Nguyễn Văn An', ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut progress = tx.prepare(
            "INSERT INTO dossier_progress (dossier_id, officer, digitised, component_pages,
                 result_expected, result_pages, reused_pages, resolved, finished_at_ms,
                 supplement_requests, review, procedure_code, received_at_ms, status)
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        for i in 0..n {
            let received_ms = (START_S + i * STEP_S) * 1000;
            let due_ms = received_ms + 3 * 86_400_000;
            // The last two thousand are still open; of the rest, a few are late, undigitised,
            // unsynced or waiting for review, as a real desk's would be.
            let open = i >= n - 2000;
            let r = rng.next() % 100;
            let status = if open {
                ["received", "processing", "supplement_requested"][(r % 3) as usize]
            } else {
                "returned"
            };
            let id = format!("bench-{i}");
            dossier.execute(params![
                id,
                PROCEDURES[(i as usize) % PROCEDURES.len()],
                received_ms,
                format!("H25.123-{:06}-{:04}", i / 1000, i % 1000 + 1),
                status,
                due_ms,
                if r < 10 { "online" } else { "direct" },
            ])?;
            let finished = (!open).then(|| received_ms + if r < 7 { 5 } else { 1 } * 86_400_000);
            progress.execute(params![
                id,
                OFFICERS[(i as usize) % OFFICERS.len()],
                (r >= 3) as i64,
                i64::from(r >= 3) * 2,
                i64::from(!open && r >= 5),
                i64::from(r >= 60),
                (!open) as i64,
                finished,
                i64::from(r == 99) * 2,
                if open && r < 50 {
                    "pending"
                } else {
                    "approved"
                },
                PROCEDURES[(i as usize) % PROCEDURES.len()],
                received_ms,
                status,
            ])?;
        }
        // The hub holds all but the newest few hundred.
        tx.execute(
            "UPDATE sync_dossier SET acked = change
             WHERE dossier_id IN (SELECT id FROM dossier WHERE received_at_ms < ?1)",
            [now_ms - 500 * STEP_S * 1000],
        )?;
        Ok::<_, Error>(())
    })?;
    println!(
        "generated {n} dossiers in {:.1} s",
        generated.elapsed().as_secs_f64()
    );

    let clock = Clock {
        now_ms,
        today_end_ms: now_ms + 86_400_000,
        tomorrow_end_ms: now_ms + 2 * 86_400_000,
    };
    let filter = BacklogFilter::default();
    let (backlog, counts) = time(7, || {
        store
            .read(|tx| {
                Queue::ALL
                    .into_iter()
                    .map(|q| supervision::count(tx, q, &filter, clock))
                    .collect::<Result<Vec<_>, _>>()
            })
            .expect("the backlog counts")
    });
    // The same counts by one pass over every dossier.
    let (backlog_scan, scanned) = time(3, || {
        store
            .read(|tx| {
                let mut stmt = tx.prepare(
                    "SELECT d.status, d.due_at_ms, p.digitised, p.component_pages, p.review,
                            p.resolved, p.result_expected, p.result_pages,
                            s.change > s.acked
                     FROM dossier d JOIN dossier_progress p ON p.dossier_id = d.id
                     JOIN sync_dossier s ON s.dossier_id = d.id",
                )?;
                let mut counts = [0u64; 5];
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let status: String = r.get(0)?;
                    let due: i64 = r.get(1)?;
                    let open = matches!(status.as_str(), "received" | "processing");
                    counts[0] += u64::from(r.get::<_, i64>(2)? == 0 && status != "refused");
                    counts[1] += u64::from(
                        r.get::<_, i64>(2)? == 1
                            && r.get::<_, i64>(3)? > 0
                            && r.get::<_, String>(4)? == "pending",
                    );
                    counts[2] += u64::from(open && due < now_ms);
                    counts[3] += u64::from(
                        r.get::<_, i64>(5)? == 1
                            && r.get::<_, i64>(6)? == 1
                            && r.get::<_, i64>(7)? == 0,
                    );
                    counts[4] += u64::from(r.get::<_, bool>(8)?);
                }
                Ok::<_, Error>(counts)
            })
            .expect("the scan")
    });
    let overdue = counts[Queue::ALL
        .iter()
        .position(|q| *q == Queue::Overdue)
        .unwrap()];
    assert_eq!(
        overdue, scanned[2],
        "both ways count the same overdue dossiers"
    );
    println!(
        "backlog (11 queues): {:.1} ms; one pass over every dossier: {:.1} ms; ratio {:.1}x",
        ms(backlog),
        ms(backlog_scan),
        ms(backlog_scan) / ms(backlog)
    );
    println!(
        "  counts: {}",
        Queue::ALL
            .iter()
            .zip(&counts)
            .map(|(q, c)| format!("{}={c}", q.name()))
            .collect::<Vec<_>>()
            .join(" ")
    );

    let rules: ScoringRules = serde_json::from_str(include_str!("../../../catalogue/scoring.json"))
        .expect("the scoring rules parse");
    let last_day = jiff::Timestamp::from_millisecond(now_ms)
        .expect("in range")
        .to_zoned(jiff::tz::TimeZone::fixed(hoso_model::time::VIETNAM_OFFSET))
        .date();
    for (name, days) in [("month", 30), ("quarter", 91), ("year", 365)] {
        let period = Period {
            from: last_day
                .checked_sub(jiff::Span::new().days(days - 1))
                .expect("in range"),
            to: last_day,
        };
        let now = jiff::Timestamp::from_millisecond(now_ms).expect("in range");
        let (bounds_from, bounds_to) = period.bounds().expect("a period");
        let (took, got) = time(5, || {
            let facts = store
                .read(|tx| {
                    supervision::facts(tx, bounds_from.as_millisecond(), bounds_to.as_millisecond())
                })
                .expect("the facts");
            indicators(period, &facts, now, None, &rules).expect("indicators")
        });
        let (took_scan, all) = time(3, || {
            let facts = store
                .read(|tx| supervision::facts(tx, 0, i64::MAX))
                .expect("every fact");
            let kept: Vec<_> = facts
                .into_iter()
                .filter(|f| f.received_at >= bounds_from && f.received_at < bounds_to)
                .collect();
            indicators(period, &kept, now, None, &rules).expect("indicators")
        });
        assert_eq!(got.unit, all.unit, "both ways give the same indicators");
        println!(
            "indicators of a {name} ({} dossiers): {:.1} ms; over every dossier: {:.1} ms; ratio {:.1}x",
            got.unit.received,
            ms(took),
            ms(took_scan),
            ms(took_scan) / ms(took)
        );
    }
    Ok(())
}

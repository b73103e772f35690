//! Search at scale: generates N dossiers with realistic Vietnamese names in a real SQLite file,
//! then times the desk's search (FTS5 over folded text) against what a web system without an
//! index would do (`LIKE '%…%'` over the names), on the same queries, side by side.
//!
//! cargo run --release -p hoso-store --example search_bench -- [N, default 1000000]

use std::time::{Duration, Instant};

use hoso_model::lifecycle::Status;
use hoso_model::{Channel, Dossier, DossierId};
use hoso_store::{Error, Store, dossiers};

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Thu", "Xuân", "Công", "Hoài",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đức", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Lan",
    "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang",
    "Tuấn", "Tú", "Uyên", "Vy", "Yến", "Khánh", "Đạt", "Giang",
];
const PROCEDURES: &[&str] = &[
    "2.000815", "2.000884", "1.001193", "1.000656", "1.000894", "1.004873",
];

/// A small deterministic generator (64-bit LCG): the same data on every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    times[((times.len() - 1) as f64 * p).round() as usize]
}

fn main() -> Result<(), Error> {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().map_err(Error::Io)?;
    let store = Store::open_in(dir.path())?.store;
    let mut rng = Lcg(20_260_305);
    let started = Instant::now();
    store.write(|tx| {
        for i in 0..n {
            let name = format!(
                "{} {} {}",
                rng.pick(FAMILY),
                rng.pick(MIDDLE),
                rng.pick(GIVEN)
            );
            let d = Dossier {
                id: DossierId(format!("bench-{i}")),
                procedure_code: rng.pick(PROCEDURES).to_owned(),
                applicant_name: name,
                received_at: jiff::Timestamp::from_second(1_767_200_000 + i64::from(i) * 60)
                    .expect("in range"),
                code: Some(format!(
                    "000.00.25.H25-26{:04}-{:04}",
                    i / 10_000,
                    i % 10_000 + 1
                )),
                status: Status::Received,
                due_at: None,
                id_number: Some(format!("0421{:08}", rng.next() % 100_000_000)),
                phone: Some(format!("09{:08}", rng.next() % 100_000_000)),
                address: None,
                email: None,
                channel: Channel::Direct,
            };
            dossiers::insert(tx, &d)?;
        }
        Ok::<_, Error>(())
    })?;
    println!(
        "generated {n} dossiers in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Queries an officer types: a full name without diacritics, a family and given name, a
    // name still being typed.
    let mut queries = Vec::new();
    for _ in 0..100 {
        let (f, m, g) = (rng.pick(FAMILY), rng.pick(MIDDLE), rng.pick(GIVEN));
        queries.push(hoso_model::text::fold(&format!("{f} {m} {g}")));
        queries.push(format!(
            "{} {}",
            hoso_model::text::fold(f),
            hoso_model::text::fold(g)
        ));
        // A name still being typed: its last word only begun, so whole words match nothing
        // and the search falls through to beginnings.
        let given = hoso_model::text::fold(g);
        let begun: String = given.chars().take(2).collect();
        queries.push(format!(
            "{} {} {begun}",
            hoso_model::text::fold(f),
            hoso_model::text::fold(m)
        ));
    }
    let mut fts = Vec::new();
    let mut like = Vec::new();
    for q in &queries {
        let t = Instant::now();
        let found = store.read(|tx| dossiers::search(tx, q, 50))?;
        fts.push(t.elapsed());
        std::hint::black_box(found);
    }
    // The baseline: no index, names compared as typed (so "nguyen van duc" finds nothing
    // without diacritics — it is also less useful, not only slower).
    for q in queries.iter().take(40) {
        let t = Instant::now();
        let count: i64 = store.read(|tx| {
            Ok::<_, Error>(tx.query_row(
                "SELECT count(*) FROM (SELECT id FROM dossier WHERE applicant_name LIKE ?1 LIMIT 50)",
                [format!("%{q}%")],
                |r| r.get(0),
            )?)
        })?;
        like.push(t.elapsed());
        std::hint::black_box(count);
    }
    let (fts50, fts95) = (percentile(&mut fts, 0.5), percentile(&mut fts, 0.95));
    let (like50, like95) = (percentile(&mut like, 0.5), percentile(&mut like, 0.95));
    println!(
        "desk search (FTS5, folded): p50 {:.2} ms, p95 {:.2} ms over {} queries",
        ms(fts50),
        ms(fts95),
        fts.len()
    );
    println!(
        "LIKE '%…%' scan:            p50 {:.2} ms, p95 {:.2} ms over {} queries",
        ms(like50),
        ms(like95),
        like.len()
    );
    println!(
        "ratio (LIKE / desk) at p50: {:.1}×, at p95: {:.1}×",
        ms(like50) / ms(fts50),
        ms(like95) / ms(fts95)
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

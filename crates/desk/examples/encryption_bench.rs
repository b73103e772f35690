//! What encryption at rest costs the officer: page capture and upload, with encryption on (as
//! the desk runs) and off, side by side in one run, on the same pages and the same disk.
//!
//! ```text
//! cargo run --release -p hoso-desk --example encryption_bench -- [PAGES, default 40]
//! ```
//!
//! Capture is what the desk does when a scanned page arrives: the fast look at the page
//! (thumbnail, blank, colour, QR, hash, skew), the file kept (written to a temporary file,
//! flushed, renamed, the folder flushed) and its row committed (`synchronous = FULL`). Off: the
//! file's bytes as they are and a plain SQLite file. On: the file sealed with XChaCha20-Poly1305
//! in 64 KiB chunks and the database in SQLCipher. Upload is what the sync engine does with a
//! kept file: read it from the first byte to the last, hashing each 1 MiB chunk for its tus
//! checksum; on, through the decrypting reader. Runs alternate on/off page by page.

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use hoso_capture::ImageFormat;
use hoso_model::lifecycle::Status;
use hoso_model::page::{OcrState, Target};
use hoso_model::{Channel, Dossier, DossierId};
use hoso_store::Store;
use hoso_store::pages::{self, NewPage};
use hoso_vault::{DataKey, FileKey, SealedReader};
use sha2::{Digest, Sha256};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Keeps `bytes` as the desk keeps a file: temporary file, flush, rename, folder flush.
fn keep(dir: &Path, name: &str, bytes: &[u8], key: Option<&FileKey>) -> Result<()> {
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    {
        let mut out = std::io::BufWriter::new(temp.as_file_mut());
        match key {
            Some(key) => key.seal_into(bytes, &mut out)?,
            None => out.write_all(bytes)?,
        }
        out.flush()?;
    }
    temp.as_file().sync_all()?;
    temp.persist(dir.join(name))?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

struct Side {
    store: Store,
    dir: std::path::PathBuf,
    key: Option<FileKey>,
}

impl Side {
    fn open(root: &Path, name: &str, data_key: Option<&DataKey>) -> Result<Side> {
        let data = root.join(name);
        let store = match data_key {
            Some(k) => Store::open_encrypted_in(&data, &k.database_pragma())?.store,
            None => Store::open_in(&data)?.store,
        };
        store.write(|tx| {
            hoso_store::dossiers::insert(
                tx,
                &Dossier {
                    id: DossierId("bench".into()),
                    procedure_code: "1.001193".into(),
                    applicant_name: "Nguyễn Văn Đức".into(),
                    received_at: jiff::Timestamp::UNIX_EPOCH,
                    code: None,
                    status: Status::Received,
                    due_at: None,
                    id_number: None,
                    phone: None,
                    address: None,
                    email: None,
                    channel: Channel::Direct,
                },
            )
        })?;
        let dir = data.join("blobs");
        std::fs::create_dir_all(&dir)?;
        Ok(Side {
            store,
            dir,
            key: data_key.map(DataKey::file_key),
        })
    }

    /// One page captured; returns how long it took.
    fn capture(&self, i: usize, bytes: &[u8]) -> Result<Duration> {
        let started = Instant::now();
        let look = hoso_capture::analyse::analyse_image(bytes, ImageFormat::Jpeg)?;
        let hash = hex::encode(Sha256::digest(bytes));
        keep(&self.dir, &hash, bytes, self.key.as_ref())?;
        self.store.write(|tx| {
            pages::insert_blob(tx, &hash, bytes.len() as u64, "image/jpeg", 0)?;
            pages::insert(
                tx,
                &NewPage {
                    id: &format!("page-{i}"),
                    dossier_id: "bench",
                    target: &Target::Component { n: 1 },
                    blob_hash: &hash,
                    pdf_page: None,
                    width: 2480,
                    height: 3508,
                    dpi: Some(300),
                    skew: look.skew_degrees,
                    ink: look.ink,
                    blank: look.blank,
                    colour: look.colour,
                    qr: look.qr.as_deref(),
                    phash: look.phash,
                    source: "scan",
                    source_name: "bench",
                    thumbnail: &look.thumbnail,
                    ocr_state: OcrState::Pending,
                    created_at_ms: 0,
                },
            )
            .map(drop)
        })?;
        Ok(started.elapsed())
    }

    /// One kept file read whole as the upload reads it, hashing 1 MiB chunks.
    fn upload_read(&self, hash: &str) -> Result<(Duration, u64)> {
        let started = Instant::now();
        let file = std::fs::File::open(self.dir.join(hash))?;
        let mut reader: Box<dyn Read> = match &self.key {
            Some(key) => Box::new(SealedReader::new(
                key.clone(),
                std::io::BufReader::new(file),
            )?),
            None => Box::new(file),
        };
        let mut chunk = vec![0u8; 1 << 20];
        let mut total = 0u64;
        loop {
            let mut filled = 0;
            while filled < chunk.len() {
                let n = reader.read(&mut chunk[filled..])?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            if filled == 0 {
                break;
            }
            std::hint::black_box(Sha256::digest(&chunk[..filled]));
            total += filled as u64;
        }
        Ok((started.elapsed(), total))
    }
}

fn main() -> Result<()> {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(40);
    let distinct = hoso_capture::testpages::scanner_jpegs(4)?;
    let pages: Vec<Vec<u8>> = (0..count)
        .map(|i| {
            hoso_capture::testpages::with_comment(&distinct[i % distinct.len()], &format!("p{i}"))
        })
        .collect();
    let root = tempfile::tempdir()?;
    let data_key = DataKey::generate();
    let off = Side::open(root.path(), "off", None)?;
    let on = Side::open(root.path(), "on", Some(&data_key))?;
    let (mut t_off, mut t_on) = (Vec::new(), Vec::new());
    for (i, bytes) in pages.iter().enumerate() {
        // Alternate which goes first, so neither always meets a warm cache.
        if i % 2 == 0 {
            t_off.push(off.capture(i, bytes)?);
            t_on.push(on.capture(i, bytes)?);
        } else {
            t_on.push(on.capture(i, bytes)?);
            t_off.push(off.capture(i, bytes)?);
        }
    }
    let (c_off, c_on) = (median(t_off), median(t_on));
    println!(
        "capture, {count} scanned 300-dpi pages ({:.1} MB each on average), median per page:",
        pages.iter().map(Vec::len).sum::<usize>() as f64 / count as f64 / 1e6
    );
    println!(
        "  encryption off {:.1} ms   on {:.1} ms   ratio {:.2}x (goal <= 1.10)",
        ms(c_off),
        ms(c_on),
        ms(c_on) / ms(c_off)
    );
    let (mut u_off, mut u_on, mut bytes) = (Duration::ZERO, Duration::ZERO, 0u64);
    for _round in 0..3 {
        for bytes_of in &pages {
            let hash = hex::encode(Sha256::digest(bytes_of));
            let (d, n) = off.upload_read(&hash)?;
            u_off += d;
            bytes += n;
            u_on += on.upload_read(&hash)?.0;
        }
    }
    let mb = bytes as f64 / 1e6;
    println!("upload read, every kept file 3 times ({mb:.0} MB), hashed per 1 MiB chunk:");
    println!(
        "  encryption off {:.0} MB/s   on {:.0} MB/s   ratio {:.2}x (goal <= 1.10)",
        mb / u_off.as_secs_f64(),
        mb / u_on.as_secs_f64(),
        u_on.as_secs_f64() / u_off.as_secs_f64()
    );
    println!(
        "  (a 2 Mbit/s link moves 0.25 MB/s: at these speeds the link, not the decryption, sets the pace)"
    );
    Ok(())
}

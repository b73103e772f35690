//! The hub's tus 1.0.0 uploads over real HTTP on loopback, on SQLite and on PostgreSQL:
//! capabilities, creation named by content hash, offsets, checksums, cuts and stalls, the whole
//! file checked against its name, termination, expiration, and the disk as the truth.

#[macro_use]
mod common;

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use common::*;
use hoso_model::sync::MAX_FILE_BYTES;
use reqwest::blocking::Client;
use sha1::Digest as _;

/// Sends a PATCH's headers and the first `sent` bytes of `body` over a raw connection, and
/// leaves the connection open (the caller drops it to cut, or keeps it to stall).
fn partial_patch(
    hub: &Running,
    location: &str,
    token: &str,
    body: &[u8],
    sent: usize,
) -> TcpStream {
    let path = location.trim_start_matches(&hub.url);
    let addr = hub.addr();
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "PATCH {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n\
         Content-Type: application/offset+octet-stream\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body[..sent]).unwrap();
    stream.flush().unwrap();
    stream
}

/// Polls HEAD until the offset is `want` (the hub notices a cut a moment after it happens).
fn wait_for_offset(location: &str, token: &str, want: u64, within: Duration) -> u64 {
    let started = Instant::now();
    loop {
        let offset = offset_of(&head(location, token));
        if offset == want || started.elapsed() > within {
            return offset;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn tus_creation_offsets_checksums_and_termination_follow_the_protocol(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll(UNIT_A).token;
    let options = Client::new()
        .request(reqwest::Method::OPTIONS, format!("{}/v1/files", hub.url))
        .send()
        .unwrap();
    assert!(options.status().is_success());
    let h = options.headers();
    assert_eq!(h["Tus-Version"], "1.0.0");
    assert_eq!(h["Tus-Resumable"], "1.0.0");
    assert_eq!(h["Hoso-Protocol"], "1");
    assert_eq!(h["Tus-Max-Size"], MAX_FILE_BYTES.to_string().as_str());
    assert_eq!(h["Tus-Checksum-Algorithm"], "sha1,sha256");
    let extensions = h["Tus-Extension"].to_str().unwrap();
    for ext in ["creation", "checksum", "expiration", "termination"] {
        assert!(extensions.split(',').any(|e| e == ext), "{extensions}");
    }

    let file = bytes(300_000, 1);
    let (location, created) = create(&hub.url, &token, &file);
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(created.headers()["Tus-Resumable"], "1.0.0");
    assert_eq!(
        location,
        format!("{}/v1/files/{}", hub.url, hex_sha256(&file)),
        "an absolute URL named by the hash"
    );
    assert_eq!(offset_of(&created), 0);
    let expires = created.headers()["Upload-Expires"].to_str().unwrap();
    assert!(expires.ends_with(" GMT"), "an RFC 9110 date: {expires}");

    let first = patch(&location, &token, 0, &file[..100_000]);
    assert_eq!(first.status().as_u16(), 204);
    assert_eq!(offset_of(&first), 100_000);
    assert!(first.headers().contains_key("Upload-Expires"));
    let state = head(&location, &token);
    assert_eq!(state.status().as_u16(), 200);
    assert_eq!(offset_of(&state), 100_000);
    assert_eq!(state.headers()["Upload-Length"], "300000");
    assert_eq!(state.headers()["Cache-Control"], "no-store");
    assert!(state.headers().contains_key("Upload-Expires"));

    // At the wrong offset: 409, nothing written.
    let wrong = patch(&location, &token, 50_000, &file[50_000..60_000]);
    assert_eq!(wrong.status().as_u16(), 409);
    assert_eq!(error_code(wrong), "conflict");
    // A damaged chunk: 460, the offset does not move.
    let damaged = tus(Client::new().patch(&location), &token)
        .header("Upload-Offset", "100000")
        .header("Content-Type", "application/offset+octet-stream")
        .header(
            "Upload-Checksum",
            format!("sha256 {}", B64.encode(sha2::Sha256::digest(b"other"))),
        )
        .body(file[100_000..200_000].to_vec())
        .send()
        .unwrap();
    assert_eq!(damaged.status().as_u16(), 460);
    assert_eq!(error_code(damaged), "checksum_mismatch");
    assert_eq!(offset_of(&head(&location, &token)), 100_000);
    // An algorithm the hub does not speak: 400. The wrong content type: 415.
    let md5 = tus(Client::new().patch(&location), &token)
        .header("Upload-Offset", "100000")
        .header("Content-Type", "application/offset+octet-stream")
        .header("Upload-Checksum", "md5 AAAAAAAAAAAAAAAAAAAAAA==")
        .body(file[100_000..200_000].to_vec())
        .send()
        .unwrap();
    assert_eq!(md5.status().as_u16(), 400);
    let octets = tus(Client::new().patch(&location), &token)
        .header("Upload-Offset", "100000")
        .header("Content-Type", "application/octet-stream")
        .body(file[100_000..200_000].to_vec())
        .send()
        .unwrap();
    assert_eq!(octets.status().as_u16(), 415);
    // Without Tus-Resumable: 412 with the version the hub speaks.
    let old = authed(Client::new().head(&location), &token)
        .send()
        .unwrap();
    assert_eq!(old.status().as_u16(), 412);
    assert_eq!(old.headers()["Tus-Version"], "1.0.0");
    let old_patch = authed(Client::new().patch(&location), &token)
        .header("Upload-Offset", "100000")
        .header("Content-Type", "application/offset+octet-stream")
        .body(file[100_000..200_000].to_vec())
        .send()
        .unwrap();
    assert_eq!(old_patch.status().as_u16(), 412);
    let old_post = authed(Client::new().post(format!("{}/v1/files", hub.url)), &token)
        .header("Upload-Length", "10")
        .send()
        .unwrap();
    assert_eq!(old_post.status().as_u16(), 412);

    // A SHA-1 checksum is as good.
    let sha1_chunk = tus(Client::new().patch(&location), &token)
        .header("Upload-Offset", "100000")
        .header("Content-Type", "application/offset+octet-stream")
        .header(
            "Upload-Checksum",
            format!(
                "sha1 {}",
                B64.encode(sha1::Sha1::digest(&file[100_000..200_000]))
            ),
        )
        .body(file[100_000..200_000].to_vec())
        .send()
        .unwrap();
    assert_eq!(sha1_chunk.status().as_u16(), 204);
    // More than the upload's length: 413, nothing kept.
    let mut too_much = file[200_000..].to_vec();
    too_much.extend_from_slice(b"extra");
    assert_eq!(
        patch(&location, &token, 200_000, &too_much)
            .status()
            .as_u16(),
        413
    );
    assert_eq!(offset_of(&head(&location, &token)), 200_000);

    let rest = patch(&location, &token, 200_000, &file[200_000..]);
    assert_eq!(rest.status().as_u16(), 204);
    assert_eq!(offset_of(&rest), 300_000);
    let done = head(&location, &token);
    assert_eq!(offset_of(&done), 300_000);
    assert!(!done.headers().contains_key("Upload-Expires"));
    // Complete: no more bytes are taken.
    assert_eq!(
        patch(&location, &token, 300_000, b"x").status().as_u16(),
        409
    );

    // The unit holds it: creating it again says it is all there.
    let (again_at, again) = create(&hub.url, &token, &file);
    assert_eq!(again.status().as_u16(), 201);
    assert_eq!(again_at, location);
    assert_eq!(offset_of(&again), 300_000, "never sent twice");
    let got = download(&hub.url, &token, &hex_sha256(&file));
    assert_eq!(got.status().as_u16(), 200);
    assert_eq!(got.headers()["Content-Length"], "300000");
    assert_eq!(got.bytes().unwrap().as_ref(), file.as_slice());

    // Too large: 413.
    let huge = tus(Client::new().post(format!("{}/v1/files", hub.url)), &token)
        .header("Upload-Length", (MAX_FILE_BYTES + 1).to_string())
        .send()
        .unwrap();
    assert_eq!(huge.status().as_u16(), 413);
    assert_eq!(huge.headers()["Tus-Resumable"], "1.0.0");
    assert_eq!(error_code(huge), "too_large");
}

fn termination_removes_an_incomplete_upload_and_keeps_a_complete_file(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll(UNIT_A).token;
    let other = bytes(1000, 9);
    let (location, _) = create(&hub.url, &token, &other);
    assert_eq!(
        patch(&location, &token, 0, &other[..400]).status().as_u16(),
        204
    );
    let partial = hub
        .data
        .join("uploads")
        .join(UNIT_A)
        .join(hex_sha256(&other));
    assert!(partial.exists());
    let end = tus(Client::new().delete(&location), &token).send().unwrap();
    assert_eq!(end.status().as_u16(), 204);
    assert_eq!(end.headers()["Tus-Resumable"], "1.0.0");
    assert_eq!(head(&location, &token).status().as_u16(), 404);
    assert!(!partial.exists(), "its bytes are gone");

    // A complete file: the upload resource goes, the file stays (dossiers may name it).
    let kept = bytes(2000, 10);
    upload(&hub.url, &token, &kept);
    let (location, _) = create(&hub.url, &token, &kept);
    let end = tus(Client::new().delete(&location), &token).send().unwrap();
    assert_eq!(end.status().as_u16(), 204);
    assert_eq!(
        download(&hub.url, &token, &hex_sha256(&kept))
            .status()
            .as_u16(),
        200
    );
    let (_, again) = create(&hub.url, &token, &kept);
    assert_eq!(offset_of(&again), 2000, "still held: nothing to send");
}

fn a_body_cut_without_a_checksum_keeps_the_bytes_that_arrived(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll(UNIT_A).token;
    let file = bytes(200_000, 3);
    let (location, _) = create(&hub.url, &token, &file);
    let stream = partial_patch(&hub, &location, &token, &file, 70_000);
    std::thread::sleep(Duration::from_millis(300));
    drop(stream);
    assert_eq!(
        wait_for_offset(&location, &token, 70_000, Duration::from_secs(5)),
        70_000,
        "resumes at the byte the cut left"
    );
    let rest = patch(&location, &token, 70_000, &file[70_000..]);
    assert_eq!(rest.status().as_u16(), 204);
    assert_eq!(
        download(&hub.url, &token, &hex_sha256(&file))
            .bytes()
            .unwrap()
            .as_ref(),
        file.as_slice()
    );
}

fn a_body_cut_with_a_checksum_keeps_nothing_of_it(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll(UNIT_A).token;
    let file = bytes(100_000, 4);
    let (location, _) = create(&hub.url, &token, &file);
    let path = location.trim_start_matches(&hub.url);
    let addr = hub.addr();
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "PATCH {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nUpload-Checksum: sha256 {}\r\n\
         Content-Type: application/offset+octet-stream\r\nContent-Length: 100000\r\n\r\n",
        B64.encode(sha2::Sha256::digest(&file))
    )
    .unwrap();
    stream.write_all(&file[..40_000]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    drop(stream);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        offset_of(&head(&location, &token)),
        0,
        "unverified bytes are not kept"
    );
    assert_eq!(patch(&location, &token, 0, &file).status().as_u16(), 204);
}

fn a_stalled_patch_ends_after_the_idle_time_and_keeps_what_arrived(backend: Backend) {
    let hub = start_with(backend, |hub| hub.idle_timeout = Duration::from_secs(2));
    let token = hub.enroll(UNIT_A).token;
    let file = bytes(100_000, 5);
    let (location, _) = create(&hub.url, &token, &file);
    // The sender goes silent without closing (a dropped link).
    let stalled = partial_patch(&hub, &location, &token, &file, 30_000);
    std::thread::sleep(Duration::from_millis(200));
    // Meanwhile the upload is taken: a second writer waits its turn.
    let busy = patch(&location, &token, 0, &file);
    assert_eq!(busy.status().as_u16(), 423);
    assert_eq!(
        wait_for_offset(&location, &token, 30_000, Duration::from_secs(10)),
        30_000,
        "the idle connection was closed and its bytes kept"
    );
    let rest = patch(&location, &token, 30_000, &file[30_000..]);
    assert_eq!(rest.status().as_u16(), 204);
    drop(stalled);
}

fn one_patch_may_carry_many_megabytes(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll(UNIT_A).token;
    // Larger than any JSON body limit: PATCH bodies are streamed, capped by the upload only.
    let file = bytes(6 * 1024 * 1024 + 17, 6);
    upload(&hub.url, &token, &file);
    let got = download(&hub.url, &token, &hex_sha256(&file));
    assert_eq!(got.bytes().unwrap().len(), file.len());
}

fn bytes_that_do_not_hash_to_the_uploads_name_are_dropped(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll(UNIT_A).token;
    let file = bytes(5000, 4);
    let (location, _) = create(&hub.url, &token, &file);
    let mut wrong = file.clone();
    wrong[10] ^= 1;
    let response = patch(&location, &token, 0, &wrong);
    assert_eq!(response.status().as_u16(), 460);
    assert_eq!(error_code(response), "hash_mismatch");
    assert_eq!(head(&location, &token).status().as_u16(), 404);
    assert_eq!(
        download(&hub.url, &token, &hex_sha256(&file))
            .status()
            .as_u16(),
        404
    );
    // The desk starts again from byte 0.
    let (location, created) = create(&hub.url, &token, &file);
    assert_eq!(offset_of(&created), 0);
    assert_eq!(patch(&location, &token, 0, &file).status().as_u16(), 204);
}

fn a_generic_tus_upload_is_kept_by_the_hash_of_its_bytes(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll(UNIT_A).token;
    let file = bytes(4000, 5);
    let created = tus(Client::new().post(format!("{}/v1/files/", hub.url)), &token)
        .header("Upload-Length", "4000")
        .header(
            "Upload-Metadata",
            format!(
                "filename {},is_confidential",
                B64.encode("giay-khai-sinh.jpg")
            ),
        )
        .send()
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let location = created.headers()["Location"].to_str().unwrap().to_owned();
    let id = location.rsplit('/').next().unwrap();
    assert_eq!(id.len(), 32, "a UUID: {location}");
    assert_eq!(patch(&location, &token, 0, &file).status().as_u16(), 204);
    assert_eq!(
        download(&hub.url, &token, &hex_sha256(&file))
            .status()
            .as_u16(),
        200
    );
    // Now held by content: a hash-named creation needs nothing sent.
    let (_, again) = create(&hub.url, &token, &file);
    assert_eq!(offset_of(&again), 4000);

    let malformed = tus(Client::new().post(format!("{}/v1/files", hub.url)), &token)
        .header("Upload-Length", "10")
        .header("Upload-Metadata", "sha256 not-base64!")
        .send()
        .unwrap();
    assert_eq!(malformed.status().as_u16(), 400);
    let not_a_hash = tus(Client::new().post(format!("{}/v1/files", hub.url)), &token)
        .header("Upload-Length", "10")
        .header("Upload-Metadata", format!("sha256 {}", B64.encode("ABC")))
        .send()
        .unwrap();
    assert_eq!(not_a_hash.status().as_u16(), 400);
}

fn an_upload_left_untouched_expires(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll(UNIT_A).token;
    let file = bytes(10_000, 10);
    let (location, _) = create(&hub.url, &token, &file);
    let id = hex_sha256(&file);
    assert_eq!(
        patch(&location, &token, 0, &file[..4000]).status().as_u16(),
        204
    );
    let operator = hub.operator();
    let now = hoso_hub::api::now_ms();
    assert_eq!(operator.sweep(now - 60_000).unwrap(), 0, "still fresh");

    // Untouched for 8 days, not yet swept: gone for the desk (410); created again, it starts
    // afresh.
    let eight_days_ago = now - 8 * 24 * 3600 * 1000;
    operator
        .db
        .set_offset(UNIT_A, &id, 4000, eight_days_ago)
        .unwrap();
    assert_eq!(head(&location, &token).status().as_u16(), 410);
    let (_, renewed) = create(&hub.url, &token, &file);
    assert_eq!(offset_of(&renewed), 0);
    assert_eq!(
        patch(&location, &token, 0, &file[..4000]).status().as_u16(),
        204
    );

    // The sweep, with a clock past the lifetime, removes it and its bytes.
    assert_eq!(operator.sweep(hoso_hub::api::now_ms() + 1).unwrap(), 1);
    assert_eq!(head(&location, &token).status().as_u16(), 404);
    assert!(!hub.data.join("uploads").join(UNIT_A).join(&id).exists());
    // A complete file never expires.
    upload(&hub.url, &token, &file);
    assert_eq!(operator.sweep(hoso_hub::api::now_ms() + 1).unwrap(), 0);
    assert_eq!(download(&hub.url, &token, &id).status().as_u16(), 200);
}

fn a_partial_file_lost_from_disk_is_resumed_from_what_the_disk_has(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll(UNIT_A).token;
    let file = bytes(50_000, 11);
    let (location, _) = create(&hub.url, &token, &file);
    assert_eq!(
        patch(&location, &token, 0, &file[..20_000])
            .status()
            .as_u16(),
        204
    );
    let partial = hub
        .data
        .join("uploads")
        .join(UNIT_A)
        .join(hex_sha256(&file));
    std::fs::remove_file(&partial).unwrap();
    assert_eq!(offset_of(&head(&location, &token)), 0);
    assert_eq!(patch(&location, &token, 0, &file).status().as_u16(), 204);
    assert_eq!(
        download(&hub.url, &token, &hex_sha256(&file))
            .bytes()
            .unwrap()
            .as_ref(),
        file.as_slice()
    );
}

fn locations_use_the_public_url_when_given(backend: Backend) {
    let hub = start_with(backend, |hub| {
        hub.public_url = Some("https://hub.example.vn/".into());
    });
    let token = hub.enroll(UNIT_A).token;
    let file = bytes(100, 12);
    let (location, _) = create(&hub.url, &token, &file);
    assert_eq!(
        location,
        format!("https://hub.example.vn/v1/files/{}", hex_sha256(&file))
    );
}

on_both![
    tus_creation_offsets_checksums_and_termination_follow_the_protocol,
    termination_removes_an_incomplete_upload_and_keeps_a_complete_file,
    a_body_cut_without_a_checksum_keeps_the_bytes_that_arrived,
    a_body_cut_with_a_checksum_keeps_nothing_of_it,
    a_stalled_patch_ends_after_the_idle_time_and_keeps_what_arrived,
    one_patch_may_carry_many_megabytes,
    bytes_that_do_not_hash_to_the_uploads_name_are_dropped,
    a_generic_tus_upload_is_kept_by_the_hash_of_its_bytes,
    an_upload_left_untouched_expires,
    a_partial_file_lost_from_disk_is_resumed_from_what_the_disk_has,
    locations_use_the_public_url_when_given,
];

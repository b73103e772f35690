//! A faulty network link: an HTTP/1.1 proxy on loopback between the desk and the hub that does
//! to requests what rural links and captive portals do — cuts a connection at a given byte,
//! delays, throttles, stalls, answers in the hub's place with an error, answers like a captive
//! portal, or rewrites `201` into `200` — and counts what passed.
//!
//! One request per connection (`Connection: close` both ways), bodies by `Content-Length`
//! (what the desk and the hub send), streamed in small pieces: memory stays bounded whatever the
//! size of an upload. Faults are set and cleared while it runs; a fault with `times` ends after
//! that many matching requests.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the link does to requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The network is down: every connection is closed at once.
    Down,
    /// After `bytes` bytes of a request's body have reached the hub, both connections are cut
    /// (the next `times` requests with a body of at least that size, `method` if given).
    CutRequestAfter {
        bytes: u64,
        times: u32,
        method: Option<String>,
    },
    /// The request reaches the hub and is done there, but the answer never comes back.
    CutResponse {
        times: u32,
        path_prefix: Option<String>,
    },
    /// Added before forwarding each request and before returning each answer.
    Latency(Duration),
    /// Bytes per second, each way.
    Bandwidth(u64),
    /// The request body stops for `pause` after `after_bytes` (the next `times` requests).
    Stall {
        after_bytes: u64,
        pause: Duration,
        times: u32,
    },
    /// The next `times` matching requests are answered with `code` in the hub's place (with the
    /// `Hoso-Protocol` header, as the hub's own errors carry it) and not forwarded.
    Status {
        code: u16,
        times: u32,
        path_prefix: Option<String>,
        method: Option<String>,
        retry_after: Option<u32>,
    },
    /// The next `times` requests get a captive portal's `200 OK` login page.
    CaptivePortal { times: u32 },
    /// The next `times` answers `201`/`202` from the hub reach the client as `200`.
    OkInsteadOfCreated { times: u32 },
}

/// What passed through the link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    pub requests: u64,
    /// Request body bytes that reached the hub, by method.
    pub body_bytes: BTreeMap<String, u64>,
    /// Answers returned to the client, by status.
    pub statuses: BTreeMap<u16, u64>,
    /// Connections cut on purpose.
    pub cuts: u64,
}

#[derive(Default)]
struct State {
    upstream: Option<SocketAddr>,
    faults: Vec<Fault>,
    counters: Counters,
}

/// The running link; stops when dropped.
pub struct FaultyLink {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    _runtime: tokio::runtime::Runtime,
}

impl FaultyLink {
    /// A link on a free loopback port to `upstream`.
    pub fn start(upstream: SocketAddr) -> FaultyLink {
        Self::listen("127.0.0.1:0".parse().expect("an address"), upstream)
    }

    /// A link on `listen` to `upstream`.
    pub fn listen(listen: SocketAddr, upstream: SocketAddr) -> FaultyLink {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let listener = runtime
            .block_on(TcpListener::bind(listen))
            .expect("the link listens");
        let addr = listener.local_addr().expect("a bound address");
        let state = Arc::new(Mutex::new(State {
            upstream: Some(upstream),
            ..State::default()
        }));
        let shared = state.clone();
        runtime.spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                let state = shared.clone();
                tokio::spawn(async move {
                    let _ = handle(client, state).await;
                });
            }
        });
        FaultyLink {
            addr,
            state,
            _runtime: runtime,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn set(&self, fault: Fault) {
        self.lock().faults.push(fault);
    }

    pub fn clear(&self) {
        self.lock().faults.clear();
    }

    /// Points the link at a hub restarted elsewhere.
    pub fn set_upstream(&self, upstream: SocketAddr) {
        self.lock().upstream = Some(upstream);
    }

    pub fn counters(&self) -> Counters {
        self.lock().counters.clone()
    }

    /// Whether any fault with a count is still waiting for its requests.
    pub fn pending(&self) -> usize {
        self.lock().faults.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A request's head.
struct Head {
    method: String,
    path: String,
    lines: Vec<String>,
    content_length: u64,
}

async fn read_head(stream: &mut TcpStream) -> std::io::Result<(Head, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut piece = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let rest = buf[end + 4..].to_vec();
            let mut lines = head.split("\r\n").map(str::to_owned);
            let first = lines.next().unwrap_or_default();
            let mut parts = first.split(' ');
            let method = parts.next().unwrap_or("").to_owned();
            let path = parts.next().unwrap_or("/").to_owned();
            let lines: Vec<String> = lines.collect();
            let content_length = lines
                .iter()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.trim()
                        .eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0);
            return Ok((
                Head {
                    method,
                    path,
                    lines,
                    content_length,
                },
                rest,
            ));
        }
        let n = stream.read(&mut piece).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&piece[..n]);
        if buf.len() > 64 * 1024 {
            return Err(std::io::Error::other("request head too large"));
        }
    }
}

/// What the faults decide for one request.
#[derive(Default)]
struct Plan {
    down: bool,
    answer: Option<(u16, bool, Option<u32>)>,
    portal: bool,
    cut_after: Option<u64>,
    cut_response: bool,
    latency: Duration,
    bandwidth: Option<u64>,
    stall: Option<(u64, Duration)>,
    ok_for_created: bool,
}

fn plan(state: &Mutex<State>, head: &Head) -> (Plan, Option<SocketAddr>) {
    let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
    state.counters.requests += 1;
    let mut plan = Plan::default();
    let matches = |prefix: &Option<String>, method: &Option<String>| {
        prefix
            .as_ref()
            .is_none_or(|p| head.path.starts_with(p.as_str()))
            && method
                .as_ref()
                .is_none_or(|m| m.eq_ignore_ascii_case(&head.method))
    };
    let mut spent = Vec::new();
    for (i, fault) in state.faults.iter_mut().enumerate() {
        let mut take = |times: &mut u32| {
            *times -= 1;
            if *times == 0 {
                spent.push(i);
            }
        };
        match fault {
            Fault::Down => plan.down = true,
            Fault::Latency(d) => plan.latency += *d,
            Fault::Bandwidth(b) => plan.bandwidth = Some(*b),
            Fault::Status {
                code,
                times,
                path_prefix,
                method,
                retry_after,
            } if plan.answer.is_none() && matches(path_prefix, method) => {
                plan.answer = Some((*code, true, *retry_after));
                take(times);
            }
            Fault::CaptivePortal { times } if !plan.portal => {
                plan.portal = true;
                take(times);
            }
            Fault::CutRequestAfter {
                bytes,
                times,
                method,
            } if plan.cut_after.is_none()
                && head.content_length > *bytes
                && matches(&None, method) =>
            {
                plan.cut_after = Some(*bytes);
                take(times);
            }
            Fault::CutResponse { times, path_prefix }
                if !plan.cut_response && matches(path_prefix, &None) =>
            {
                plan.cut_response = true;
                take(times);
            }
            Fault::Stall {
                after_bytes,
                pause,
                times,
            } if plan.stall.is_none() && head.content_length > *after_bytes => {
                plan.stall = Some((*after_bytes, *pause));
                take(times);
            }
            Fault::OkInsteadOfCreated { times } if !plan.ok_for_created => {
                // Counted when an answer is rewritten, below; kept until then.
                let _ = times;
                plan.ok_for_created = true;
            }
            _ => {}
        }
    }
    for i in spent.into_iter().rev() {
        state.faults.remove(i);
    }
    (plan, state.upstream)
}

fn count(state: &Mutex<State>, f: impl FnOnce(&mut Counters)) {
    f(&mut state.lock().unwrap_or_else(|p| p.into_inner()).counters);
}

/// Lets `bytes` through at `rate` bytes a second (from `start`, having sent `sent` before).
async fn pace(rate: Option<u64>, start: Instant, sent: u64) {
    if let Some(rate) = rate.filter(|r| *r > 0) {
        let due = Duration::from_secs_f64(sent as f64 / rate as f64);
        let elapsed = start.elapsed();
        if due > elapsed {
            tokio::time::sleep(due - elapsed).await;
        }
    }
}

const PIECE: usize = 8 * 1024;

async fn handle(mut client: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    let (head, early) = read_head(&mut client).await?;
    let (plan, upstream) = plan(&state, &head);
    if plan.down {
        count(&state, |c| c.cuts += 1);
        return Ok(()); // dropped: the client sees the connection closed
    }
    tokio::time::sleep(plan.latency).await;
    if let Some((code, from_hub, retry_after)) = plan.answer {
        drain(&mut client, head.content_length, early.len() as u64).await;
        let mut extra = String::new();
        if from_hub {
            extra.push_str("Hoso-Protocol: 1\r\n");
        }
        if let Some(s) = retry_after {
            extra.push_str(&format!("Retry-After: {s}\r\n"));
        }
        let body = format!("{{\"code\":\"unavailable\",\"message\":\"injected {code}\"}}");
        let reply = format!(
            "HTTP/1.1 {code} Injected\r\nContent-Type: application/json\r\n{extra}\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        client.write_all(reply.as_bytes()).await?;
        count(&state, |c| *c.statuses.entry(code).or_default() += 1);
        return Ok(());
    }
    if plan.portal {
        drain(&mut client, head.content_length, early.len() as u64).await;
        let body = "<html><body><h1>Đăng nhập Wi-Fi</h1><form>…</form></body></html>";
        let reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        client.write_all(reply.as_bytes()).await?;
        count(&state, |c| *c.statuses.entry(200).or_default() += 1);
        return Ok(());
    }
    let Some(upstream) = upstream else {
        return Ok(());
    };
    let Ok(mut hub) = TcpStream::connect(upstream).await else {
        return Ok(()); // the hub is down: the client sees the connection closed
    };
    // The head, with one request per connection.
    let mut out = format!("{} {} HTTP/1.1\r\n", head.method, head.path);
    for line in &head.lines {
        let name = line.split(':').next().unwrap_or("").trim();
        if !name.eq_ignore_ascii_case("connection") {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    hub.write_all(out.as_bytes()).await?;

    // The body, paced, maybe stalled, maybe cut.
    let start = Instant::now();
    let mut forwarded = 0u64;
    let mut pending = early;
    let mut stalled = false;
    let mut piece = vec![0u8; PIECE];
    while forwarded < head.content_length {
        let chunk: Vec<u8> = if pending.is_empty() {
            let want = PIECE.min((head.content_length - forwarded) as usize);
            let n = client.read(&mut piece[..want]).await?;
            if n == 0 {
                return Ok(()); // the client went away
            }
            piece[..n].to_vec()
        } else {
            std::mem::take(&mut pending)
        };
        let mut chunk = chunk.as_slice();
        if let Some(limit) = plan.cut_after {
            let room = limit.saturating_sub(forwarded) as usize;
            if chunk.len() >= room {
                hub.write_all(&chunk[..room]).await?;
                hub.flush().await?;
                count(&state, |c| {
                    c.cuts += 1;
                    *c.body_bytes.entry(head.method.clone()).or_default() += room as u64;
                });
                // Give the hub a moment to take what arrived, then cut both ways.
                tokio::time::sleep(Duration::from_millis(20)).await;
                drop(hub);
                drop(client);
                return Ok(());
            }
        }
        if let Some((after, pause)) = plan.stall
            && !stalled
            && forwarded + chunk.len() as u64 > after
        {
            let first = (after - forwarded) as usize;
            hub.write_all(&chunk[..first]).await?;
            forwarded += first as u64;
            count(&state, |c| {
                *c.body_bytes.entry(head.method.clone()).or_default() += first as u64
            });
            chunk = &chunk[first..];
            tokio::time::sleep(pause).await;
            stalled = true;
        }
        pace(plan.bandwidth, start, forwarded).await;
        hub.write_all(chunk).await?;
        forwarded += chunk.len() as u64;
        let n = chunk.len() as u64;
        count(&state, |c| {
            *c.body_bytes.entry(head.method.clone()).or_default() += n
        });
    }
    hub.flush().await?;

    // The answer: read it whole from the hub (it closes after it), maybe rewrite, maybe drop.
    let mut answer = Vec::new();
    hub.read_to_end(&mut answer).await?;
    if plan.cut_response {
        count(&state, |c| c.cuts += 1);
        drop(client);
        return Ok(());
    }
    let status: u16 = String::from_utf8_lossy(answer.get(9..12).unwrap_or_default())
        .parse()
        .unwrap_or(0);
    if plan.ok_for_created && (status == 201 || status == 202) {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(i) = s
            .faults
            .iter()
            .position(|f| matches!(f, Fault::OkInsteadOfCreated { .. }))
        {
            if let Fault::OkInsteadOfCreated { times } = &mut s.faults[i] {
                *times -= 1;
                if *times == 0 {
                    s.faults.remove(i);
                }
            }
            drop(s);
            answer.splice(9..12, *b"200");
        }
    }
    let status: u16 = String::from_utf8_lossy(answer.get(9..12).unwrap_or_default())
        .parse()
        .unwrap_or(0);
    tokio::time::sleep(plan.latency).await;
    let start = Instant::now();
    let mut sent = 0u64;
    for piece in answer.chunks(PIECE) {
        pace(plan.bandwidth, start, sent).await;
        client.write_all(piece).await?;
        sent += piece.len() as u64;
    }
    client.flush().await?;
    count(&state, |c| *c.statuses.entry(status).or_default() += 1);
    Ok(())
}

/// Reads and drops a request body the link answers itself.
async fn drain(client: &mut TcpStream, length: u64, already: u64) {
    let mut left = length.saturating_sub(already);
    let mut piece = vec![0u8; PIECE];
    while left > 0 {
        match client.read(&mut piece[..PIECE.min(left as usize)]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => left -= n as u64,
        }
    }
}

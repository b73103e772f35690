//! Scanners that announce themselves: DNS-SD over multicast DNS, with `mdns-sd`.

use std::time::Duration;

use super::normalise_base;

/// The DNS-SD service type of eSCL over plain HTTP.
pub const SERVICE_TYPE: &str = "_uscan._tcp.local.";
/// The DNS-SD service type of eSCL over HTTPS.
pub const TLS_SERVICE_TYPE: &str = "_uscans._tcp.local.";

/// The eSCL roots of the scanners that announce themselves on the local network within `wait`
/// (multicast DNS, `_uscan._tcp` and `_uscans._tcp`; the loopback interface too, for a scanner
/// this computer shares): `http://ADDRESS:PORT/RS` (`https://…` for `_uscans`), where `rs` is
/// the resource path the device gives in its TXT record (`eSCL` when it gives none). Sorted,
/// each once. A network where multicast cannot be used finds nothing; that is not an error,
/// configured addresses still work.
pub fn discover(wait: Duration) -> Vec<String> {
    use mdns_sd::{IfKind, ServiceDaemon, ServiceEvent};
    let Ok(daemon) = ServiceDaemon::new() else {
        return Vec::new();
    };
    let _ = daemon.enable_interface(IfKind::LoopbackV4);
    let browsers: Vec<_> = [(SERVICE_TYPE, "http"), (TLS_SERVICE_TYPE, "https")]
        .into_iter()
        .filter_map(|(kind, scheme)| daemon.browse(kind).ok().map(|events| (events, scheme)))
        .collect();
    let deadline = std::time::Instant::now() + wait;
    let mut found = std::collections::BTreeSet::new();
    let mut open = vec![true; browsers.len()];
    while open.iter().any(|o| *o)
        && let Some(left) = deadline.checked_duration_since(std::time::Instant::now())
    {
        // Both browsers are read in turn, in short waits, until the time is up.
        let slice = left.min(Duration::from_millis(50));
        for ((events, scheme), open) in browsers.iter().zip(open.iter_mut()) {
            match events.recv_timeout(slice) {
                Ok(ServiceEvent::ServiceResolved(service)) => {
                    let path = service
                        .get_property_val_str("rs")
                        .unwrap_or("eSCL")
                        .trim_matches('/')
                        .to_owned();
                    for address in service.get_addresses_v4() {
                        let url = format!("{scheme}://{address}:{}/{path}", service.get_port());
                        if let Ok(url) = normalise_base(&url) {
                            found.insert(url);
                        }
                    }
                }
                Ok(_) => {}
                Err(mdns_sd::RecvTimeoutError::Disconnected) => *open = false,
                Err(_) => {}
            }
        }
    }
    let _ = daemon.shutdown();
    found.into_iter().collect()
}

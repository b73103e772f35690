//! `escl-fake PORT`: a fake eSCL scanner on `127.0.0.1:PORT` for trying a client by hand
//! (`scanimage`, the desk, a browser on `/eSCL/ScannerCapabilities`). It holds three generated
//! A4 pages at 150 dpi in the feeder and a generated page on the glass; Ctrl-C stops it.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::process::ExitCode;

use hoso_fakes::{EsclConfig, EsclServer, pages};

/// A4 at 150 dpi, in pixels.
const PAGE: (u32, u32) = (1240, 1754);

fn main() -> ExitCode {
    let Some(port) = std::env::args().nth(1).and_then(|p| p.parse::<u16>().ok()) else {
        eprintln!("usage: escl-fake PORT");
        return ExitCode::from(2);
    };
    let config = EsclConfig {
        feeder_pages: feeder_pages(),
        platen_pages: vec![pages::jpeg_page(PAGE.0, PAGE.1, [20, 120, 40], 4)],
        // A short warm-up before the first page, as real devices do.
        busy_before_page: vec![1],
        ..EsclConfig::default()
    };
    let address = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port));
    let server = match EsclServer::start_on(config, address) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("escl-fake: cannot listen on {address}: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("fake eSCL scanner at {}", server.base_url());
    println!("for sane-airscan: \"Fake\" = {}", server.base_url());
    loop {
        std::thread::park();
    }
}

/// Three pages, told apart by colour and by their number of bars.
fn feeder_pages() -> Vec<Vec<u8>> {
    [[200, 30, 30], [30, 30, 200], [30, 150, 30]]
        .into_iter()
        .zip(1..)
        .map(|(colour, bars)| pages::jpeg_page(PAGE.0, PAGE.1, colour, bars))
        .collect()
}

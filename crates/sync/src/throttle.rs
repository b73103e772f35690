//! The bandwidth cap: a token bucket shared by every upload of one engine.

use std::time::{Duration, Instant};

use tokio::sync::Mutex;

/// Lets at most `rate` bytes a second through, with a burst of one second's worth.
#[derive(Debug)]
pub struct Throttle {
    state: Mutex<Bucket>,
}

#[derive(Debug)]
struct Bucket {
    rate: Option<u64>,
    tokens: f64,
    at: Instant,
}

impl Throttle {
    pub fn new(rate: Option<u64>) -> Throttle {
        Throttle {
            state: Mutex::new(Bucket {
                rate,
                tokens: rate.unwrap_or(0) as f64,
                at: Instant::now(),
            }),
        }
    }

    /// Changes the cap (`None`: no cap).
    pub async fn set_rate(&self, rate: Option<u64>) {
        let mut bucket = self.state.lock().await;
        if bucket.rate != rate {
            bucket.rate = rate;
            bucket.tokens = bucket.tokens.min(rate.unwrap_or(0) as f64);
        }
    }

    /// Waits until `bytes` may go.
    pub async fn take(&self, bytes: usize) {
        let wait = {
            let mut bucket = self.state.lock().await;
            let Some(rate) = bucket.rate.filter(|r| *r > 0) else {
                return;
            };
            let now = Instant::now();
            let elapsed = now.duration_since(bucket.at).as_secs_f64();
            bucket.at = now;
            bucket.tokens = (bucket.tokens + elapsed * rate as f64).min(rate as f64);
            bucket.tokens -= bytes as f64;
            if bucket.tokens >= 0.0 {
                return;
            }
            Duration::from_secs_f64(-bucket.tokens / rate as f64)
        };
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_cap_spreads_bytes_over_time_and_no_cap_does_not_wait() {
        let free = Throttle::new(None);
        let start = Instant::now();
        for _ in 0..100 {
            free.take(1 << 20).await;
        }
        assert!(start.elapsed() < Duration::from_millis(50));

        let capped = Throttle::new(Some(100_000));
        let start = Instant::now();
        // One second of burst, then 150 kB more at 100 kB/s.
        for _ in 0..25 {
            capped.take(10_000).await;
        }
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(1400) && took < Duration::from_millis(2500),
            "{took:?}"
        );
    }
}

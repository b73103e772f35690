//! Connections with an idle timeout instead of a request timeout.
//!
//! A desk on a commune's link may take many minutes to send one large chunk, so the hub sets no
//! limit on how long a request takes. It does close a connection on which nothing has moved, in
//! either direction, for [`crate::Hub::idle_timeout`]: a client that stalls in its headers, a
//! PATCH whose sender vanished without a reset (a dropped mobile link, a NAT that forgot the
//! flow), an idle keep-alive connection. For a stalled PATCH the closed connection ends the body
//! like a cut: the bytes that arrived are kept and the upload is free to be resumed.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};

/// A stream that fails with [`io::ErrorKind::TimedOut`] once nothing has been read or written
/// for `idle`.
pub struct IdleStream<S> {
    inner: S,
    idle: Duration,
    last_activity: Instant,
    timer: Pin<Box<Sleep>>,
}

impl<S> IdleStream<S> {
    pub fn new(inner: S, idle: Duration) -> IdleStream<S> {
        let now = Instant::now();
        IdleStream {
            inner,
            idle,
            last_activity: now,
            timer: Box::pin(tokio::time::sleep_until(now + idle)),
        }
    }

    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    fn touch(&mut self) {
        self.last_activity = Instant::now();
    }

    /// Called when the inner stream is not ready: an error once the stream has been idle too
    /// long, else pending (the timer wakes the task to look again). The timer is moved forward
    /// only when it fires before the stream has been idle long enough, so traffic costs no
    /// timer update.
    fn pending<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        loop {
            if self.timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            let due = self.last_activity + self.idle;
            if Instant::now() >= due {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the connection was idle too long",
                )));
            }
            self.timer.as_mut().reset(due);
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for IdleStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    this.touch();
                }
                Poll::Ready(result)
            }
            Poll::Pending => this.pending(cx),
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for IdleStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_write(cx, data) {
            Poll::Ready(result) => {
                if matches!(result, Ok(n) if n > 0) {
                    this.touch();
                }
                Poll::Ready(result)
            }
            Poll::Pending => this.pending(cx),
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(result) => {
                if matches!(result, Ok(n) if n > 0) {
                    this.touch();
                }
                Poll::Ready(result)
            }
            Poll::Pending => this.pending(cx),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Ready(result) => Poll::Ready(result),
            Poll::Pending => this.pending(cx),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Plain TCP connections with `TCP_NODELAY` (tus answers are small and awaited) and the idle
/// timeout.
pub struct PlainListener {
    tcp: TcpListener,
    idle: Duration,
}

impl PlainListener {
    pub fn new(tcp: TcpListener, idle: Duration) -> PlainListener {
        PlainListener { tcp, idle }
    }
}

impl axum::serve::Listener for PlainListener {
    type Io = IdleStream<TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, addr) = axum::serve::Listener::accept(&mut self.tcp).await;
        let _ = stream.set_nodelay(true);
        (IdleStream::new(stream, self.idle), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test(start_paused = true)]
    async fn a_stream_fails_only_after_the_idle_time_without_traffic() {
        let (a, mut b) = tokio::io::duplex(64);
        let mut a = IdleStream::new(a, Duration::from_secs(10));
        let mut buf = [0u8; 4];
        // Traffic every 6 s keeps it alive well past 10 s.
        for _ in 0..4 {
            tokio::time::sleep(Duration::from_secs(6)).await;
            b.write_all(b"ping").await.unwrap();
            a.read_exact(&mut buf).await.unwrap();
        }
        let started = Instant::now();
        let err = a.read(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), Duration::from_secs(10));
    }
}

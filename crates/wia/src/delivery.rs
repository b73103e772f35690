//! A download as WIA's transfer callbacks tell it: pages taken as their streams end
//! ([`Delivery`]), and how the download ended ([`transfer_outcome`]).

use hoso_capture::{CaptureError, Result};

use crate::consts::*;
use crate::errors::error_from_hresult;

/// How a download ended, from what `IWiaTransfer::Download` returned, the last failing status
/// the driver sent meanwhile (`WIA_TRANSFER_MSG_DEVICE_STATUS`), and the pages delivered.
///
/// An empty feeder is the normal end of a feeder scan once a page has come, and
/// [`CaptureError::FeederEmpty`] before; a feeder that delivered nothing and said nothing was
/// empty too. Any other failure is reported even after some pages (a jam on the fourth sheet
/// must be cleared), the pages already delivered staying delivered.
pub fn transfer_outcome(
    download: i32,
    device_status: Option<i32>,
    pages: u32,
    feeder: bool,
) -> Result<u32> {
    let status = device_status.filter(|&hr| hr < 0);
    let failure = if download < 0 {
        // A driver often ends a failed transfer with a general code after having said why.
        match (download, status) {
            (E_FAIL | WIA_ERROR_GENERAL_ERROR, Some(said)) => Some(said),
            _ => Some(download),
        }
    } else if pages == 0 {
        status
    } else {
        None
    };
    match failure {
        Some(WIA_ERROR_PAPER_EMPTY) if pages > 0 => Ok(pages),
        Some(hr) => Err(error_from_hresult(hr)),
        None if pages > 0 => Ok(pages),
        None if download == S_FALSE => Err(CaptureError::Cancelled),
        None if feeder => Err(CaptureError::FeederEmpty),
        None => Err(CaptureError::DeviceFault("the scanner sent no page".into())),
    }
}

/// What a download has delivered so far, as WIA's transfer callbacks tell it: one stream per
/// page, whose bytes are taken when the stream ends. Generic over the stream, so that the order
/// of the callbacks is handled (and tested) apart from COM.
#[derive(Debug)]
pub struct Delivery<S> {
    /// The stream of the page being written.
    stream: Option<S>,
    /// Pages taken.
    pub pages: u32,
    /// The last failure the driver reported with `WIA_TRANSFER_MSG_DEVICE_STATUS`.
    pub device_status: Option<i32>,
    /// Why a page could not be taken (too large, unreadable); the transfer is then cancelled.
    pub failure: Option<CaptureError>,
}

impl<S> Default for Delivery<S> {
    fn default() -> Self {
        Delivery {
            stream: None,
            pages: 0,
            device_status: None,
            failure: None,
        }
    }
}

impl<S> Delivery<S> {
    /// `GetNextStream`: `stream` becomes the current one. The page before ends here if its end
    /// was not announced, and its bytes are returned.
    pub fn next_stream(
        &mut self,
        stream: S,
        read: impl Fn(&S) -> Result<Vec<u8>>,
    ) -> Option<Vec<u8>> {
        let page = self.end_stream(read);
        self.stream = Some(stream);
        page
    }

    /// The end of a stream (`WIA_TRANSFER_MSG_END_OF_STREAM`, the end of the transfer, or
    /// `Download` returning): the current page's bytes, if it has any. An empty stream is kept,
    /// since its page may not have begun (an end message for the page before it arriving late)
    /// or may never come (a feeder that ran out); it is replaced or dropped later.
    pub fn end_stream(&mut self, read: impl Fn(&S) -> Result<Vec<u8>>) -> Option<Vec<u8>> {
        let stream = self.stream.take()?;
        if self.failure.is_some() {
            return None;
        }
        match read(&stream) {
            Ok(bytes) if bytes.is_empty() => {
                self.stream = Some(stream);
                None
            }
            Ok(bytes) => {
                self.pages += 1;
                Some(bytes)
            }
            Err(error) => {
                self.failure = Some(error);
                None
            }
        }
    }

    /// A `WIA_TRANSFER_MSG_DEVICE_STATUS`: failures are kept, passing statuses (warming up) are
    /// not.
    pub fn device_status(&mut self, hr: i32) {
        if hr < 0 {
            self.device_status = Some(hr);
        }
    }

    /// How the download ended, once `Download` returned `download` (see [`transfer_outcome`]).
    pub fn outcome(self, download: i32, feeder: bool) -> Result<u32> {
        match self.failure {
            Some(failure) => Err(failure),
            None => transfer_outcome(download, self.device_status, self.pages, feeder),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hex;

    /// A stream as a driver writes it, shared with the test that plays the driver.
    type FakeStream = std::rc::Rc<std::cell::RefCell<Option<Vec<u8>>>>;

    fn fake(bytes: &[u8]) -> FakeStream {
        std::rc::Rc::new(std::cell::RefCell::new(Some(bytes.to_vec())))
    }

    /// Reads a fake stream; `None` in it is a stream that cannot be read.
    fn read(stream: &FakeStream) -> Result<Vec<u8>> {
        stream
            .borrow()
            .clone()
            .ok_or_else(|| CaptureError::DeviceFault("unreadable".into()))
    }

    #[test]
    fn pages_are_taken_as_their_streams_end() {
        let mut delivery = Delivery::default();
        let (first, second) = (fake(b""), fake(b""));
        assert_eq!(delivery.next_stream(first.clone(), read), None);
        first.replace(Some(b"page 1".to_vec()));
        assert_eq!(delivery.end_stream(read), Some(b"page 1".to_vec()));
        assert_eq!(delivery.next_stream(second.clone(), read), None);
        second.replace(Some(b"page 2".to_vec()));
        // The end of the transfer ends the last stream; a second end finds nothing.
        assert_eq!(delivery.end_stream(read), Some(b"page 2".to_vec()));
        assert_eq!(delivery.end_stream(read), None);
        assert!(matches!(delivery.outcome(S_OK, true), Ok(2)));
    }

    #[test]
    fn an_unannounced_end_and_a_late_one_lose_no_page() {
        let mut delivery = Delivery::default();
        let (first, second) = (fake(b"page 1"), fake(b""));
        assert_eq!(delivery.next_stream(first, read), None);
        // The next stream is asked before the first was said to end: the first ends there.
        assert_eq!(
            delivery.next_stream(second.clone(), read),
            Some(b"page 1".to_vec())
        );
        // The first's end message, arriving now, finds the second still empty and keeps it.
        assert_eq!(delivery.end_stream(read), None);
        second.replace(Some(b"page 2".to_vec()));
        assert_eq!(delivery.end_stream(read), Some(b"page 2".to_vec()));
        assert_eq!(delivery.pages, 2);
    }

    #[test]
    fn a_stream_for_a_sheet_that_never_came_is_no_page() {
        let mut delivery = Delivery::default();
        assert_eq!(delivery.next_stream(fake(b"page 1"), read), None);
        assert_eq!(delivery.end_stream(read), Some(b"page 1".to_vec()));
        assert_eq!(delivery.next_stream(fake(b""), read), None);
        assert_eq!(delivery.end_stream(read), None);
        assert!(matches!(
            delivery.outcome(WIA_ERROR_PAPER_EMPTY, true),
            Ok(1)
        ));

        let mut empty = Delivery::default();
        assert_eq!(empty.next_stream(fake(b""), read), None);
        assert_eq!(empty.end_stream(read), None);
        assert!(matches!(
            empty.outcome(WIA_ERROR_PAPER_EMPTY, true),
            Err(CaptureError::FeederEmpty)
        ));
    }

    #[test]
    fn an_unreadable_page_fails_the_transfer() {
        let unreadable: FakeStream = std::rc::Rc::new(std::cell::RefCell::new(None));
        let mut delivery = Delivery::default();
        assert_eq!(delivery.next_stream(unreadable, read), None);
        assert_eq!(delivery.end_stream(read), None);
        assert!(delivery.failure.is_some());
        // Nothing more is taken after it.
        assert_eq!(delivery.next_stream(fake(b"page 2"), read), None);
        assert_eq!(delivery.end_stream(read), None);
        assert!(matches!(
            delivery.outcome(S_OK, true),
            Err(CaptureError::DeviceFault(m)) if m == "unreadable"
        ));
    }

    #[test]
    fn only_failing_device_statuses_are_kept() {
        let mut delivery = Delivery::<FakeStream>::default();
        delivery.device_status(WIA_STATUS_WARMING_UP);
        assert_eq!(delivery.device_status, None);
        delivery.device_status(WIA_ERROR_PAPER_JAM);
        delivery.device_status(WIA_STATUS_END_OF_MEDIA);
        assert_eq!(delivery.device_status, Some(WIA_ERROR_PAPER_JAM));
        assert!(matches!(
            delivery.outcome(E_FAIL, true),
            Err(CaptureError::DeviceFault(m)) if m == "paper jam"
        ));
    }

    #[test]
    fn transfers_end_as_the_feeder_and_the_driver_say() {
        use CaptureError as E;
        type Check = fn(&Result<u32>) -> bool;
        let cases: [(i32, Option<i32>, u32, bool, Check); 12] = [
            // The usual ends.
            (S_OK, None, 1, false, |r| matches!(r, Ok(1))),
            (S_OK, None, 7, true, |r| matches!(r, Ok(7))),
            (WIA_ERROR_PAPER_EMPTY, None, 4, true, |r| matches!(r, Ok(4))),
            // An empty feeder, however it is said.
            (WIA_ERROR_PAPER_EMPTY, None, 0, true, |r| {
                matches!(r, Err(E::FeederEmpty))
            }),
            (S_OK, None, 0, true, |r| matches!(r, Err(E::FeederEmpty))),
            (S_OK, Some(WIA_ERROR_PAPER_EMPTY), 0, true, |r| {
                matches!(r, Err(E::FeederEmpty))
            }),
            (E_FAIL, Some(WIA_ERROR_PAPER_EMPTY), 0, true, |r| {
                matches!(r, Err(E::FeederEmpty))
            }),
            // A jam after some pages is still said.
            (WIA_ERROR_PAPER_JAM, None, 3, true, |r| {
                matches!(r, Err(E::DeviceFault(_)))
            }),
            (
                E_FAIL,
                Some(WIA_ERROR_PAPER_JAM),
                3,
                true,
                |r| matches!(r, Err(E::DeviceFault(m)) if m == "paper jam"),
            ),
            // A passing status does not spoil a good transfer.
            (S_OK, Some(WIA_ERROR_WARMING_UP), 2, true, |r| {
                matches!(r, Ok(2))
            }),
            (S_FALSE, None, 0, false, |r| matches!(r, Err(E::Cancelled))),
            (S_OK, None, 0, false, |r| {
                matches!(r, Err(E::DeviceFault(_)))
            }),
        ];
        for (download, status, pages, feeder, check) in cases {
            let outcome = transfer_outcome(download, status, pages, feeder);
            assert!(
                check(&outcome),
                "{} {status:?} {pages} {feeder}: {outcome:?}",
                hex(download)
            );
        }
    }
}

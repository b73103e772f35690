//! What a failing `HRESULT` from WIA or COM means for the officer.

use hoso_capture::CaptureError;

use crate::consts::*;

/// What a failing `HRESULT` from WIA or COM means for a scan.
pub fn error_from_hresult(hr: i32) -> CaptureError {
    let fault = |what: &str| CaptureError::DeviceFault(what.into());
    let unavailable = |what: &str| CaptureError::DeviceUnavailable(what.into());
    match hr {
        WIA_ERROR_PAPER_EMPTY => CaptureError::FeederEmpty,
        WIA_ERROR_PAPER_JAM => fault("paper jam"),
        WIA_ERROR_PAPER_PROBLEM => fault("a problem with the paper in the feeder"),
        WIA_ERROR_MULTI_FEED => fault("the feeder took several sheets at once"),
        WIA_ERROR_COVER_OPEN => fault("a cover of the scanner is open"),
        WIA_ERROR_LAMP_OFF => fault("the scanner's lamp is off"),
        WIA_ERROR_USER_INTERVENTION => fault("the scanner needs attention at the device"),
        WIA_ERROR_INCORRECT_HARDWARE_SETTING => fault("a setting on the scanner itself is wrong"),
        WIA_ERROR_DESTINATION => fault("the page could not be stored"),
        E_OUTOFMEMORY => fault("out of memory"),
        WIA_ERROR_BUSY
        | WIA_ERROR_DEVICE_LOCKED
        | WIA_ERROR_WARMING_UP
        | WIA_ERROR_NETWORK_RESERVATION_FAILED => CaptureError::DeviceBusy,
        WIA_ERROR_OFFLINE => unavailable("the scanner is offline"),
        WIA_ERROR_DEVICE_COMMUNICATION
        | HRESULT_GEN_FAILURE
        | HRESULT_NOT_READY
        | HRESULT_DEVICE_NOT_CONNECTED => unavailable("no communication with the scanner"),
        WIA_ERROR_ITEM_DELETED => unavailable("the scanner was disconnected"),
        WIA_S_NO_DEVICE_AVAILABLE => unavailable("no such scanner is connected"),
        E_ACCESSDENIED => unavailable("access to the scanner was denied"),
        REGDB_E_CLASSNOTREG => unavailable("Windows Image Acquisition is not installed"),
        CO_E_SERVER_EXEC_FAILURE
        | HRESULT_SERVICE_DISABLED
        | RPC_S_SERVER_UNAVAILABLE
        | RPC_E_DISCONNECTED => unavailable("the Windows Image Acquisition service is not running"),
        E_ABORT => CaptureError::Cancelled,
        WIA_ERROR_INVALID_COMMAND | E_NOTIMPL => CaptureError::NotSupported("this request".into()),
        WIA_ERROR_GENERAL_ERROR
        | WIA_ERROR_EXCEPTION_IN_DRIVER
        | WIA_ERROR_INVALID_DRIVER_RESPONSE => {
            CaptureError::DeviceFault(format!("the scanner driver failed ({})", hex(hr)))
        }
        other => CaptureError::DeviceFault(format!("WIA error {}", hex(other))),
    }
}

/// A property write the device refused: a value it does not take is "not supported" (naming
/// what was asked); anything else is what the code says.
pub fn refusal(hr: i32, what: &str) -> CaptureError {
    match hr {
        E_INVALIDARG | DISP_E_TYPEMISMATCH | E_NOTIMPL | WIA_ERROR_INVALID_COMMAND => {
            CaptureError::NotSupported(what.into())
        }
        other => error_from_hresult(other),
    }
}

/// An `HRESULT` as Windows writes it: `0x80210003`.
pub fn hex(hr: i32) -> String {
    format!("0x{:08X}", hr as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hresults_become_clear_errors() {
        use CaptureError as E;
        type Check = fn(&CaptureError) -> bool;
        let cases: [(i32, Check); 22] = [
            (WIA_ERROR_PAPER_EMPTY, |e| matches!(e, E::FeederEmpty)),
            (
                WIA_ERROR_PAPER_JAM,
                |e| matches!(e, E::DeviceFault(m) if m == "paper jam"),
            ),
            (WIA_ERROR_PAPER_PROBLEM, |e| matches!(e, E::DeviceFault(_))),
            (
                WIA_ERROR_MULTI_FEED,
                |e| matches!(e, E::DeviceFault(m) if m.contains("several")),
            ),
            (
                WIA_ERROR_COVER_OPEN,
                |e| matches!(e, E::DeviceFault(m) if m.contains("cover")),
            ),
            (
                WIA_ERROR_LAMP_OFF,
                |e| matches!(e, E::DeviceFault(m) if m.contains("lamp")),
            ),
            (WIA_ERROR_USER_INTERVENTION, |e| {
                matches!(e, E::DeviceFault(_))
            }),
            (WIA_ERROR_BUSY, |e| matches!(e, E::DeviceBusy)),
            (WIA_ERROR_DEVICE_LOCKED, |e| matches!(e, E::DeviceBusy)),
            (WIA_ERROR_WARMING_UP, |e| matches!(e, E::DeviceBusy)),
            (
                WIA_ERROR_OFFLINE,
                |e| matches!(e, E::DeviceUnavailable(m) if m.contains("offline")),
            ),
            (WIA_ERROR_DEVICE_COMMUNICATION, |e| {
                matches!(e, E::DeviceUnavailable(_))
            }),
            (HRESULT_DEVICE_NOT_CONNECTED, |e| {
                matches!(e, E::DeviceUnavailable(_))
            }),
            (WIA_ERROR_ITEM_DELETED, |e| {
                matches!(e, E::DeviceUnavailable(_))
            }),
            (WIA_S_NO_DEVICE_AVAILABLE, |e| {
                matches!(e, E::DeviceUnavailable(_))
            }),
            (
                REGDB_E_CLASSNOTREG,
                |e| matches!(e, E::DeviceUnavailable(m) if m.contains("not installed")),
            ),
            (
                HRESULT_SERVICE_DISABLED,
                |e| matches!(e, E::DeviceUnavailable(m) if m.contains("service")),
            ),
            (
                RPC_E_DISCONNECTED,
                |e| matches!(e, E::DeviceUnavailable(m) if m.contains("service")),
            ),
            (E_ABORT, |e| matches!(e, E::Cancelled)),
            (WIA_ERROR_INVALID_COMMAND, |e| {
                matches!(e, E::NotSupported(_))
            }),
            (
                WIA_ERROR_EXCEPTION_IN_DRIVER,
                |e| matches!(e, E::DeviceFault(m) if m.contains("0x8021000E")),
            ),
            (
                0x8876_0001_u32 as i32,
                |e| matches!(e, E::DeviceFault(m) if m == "WIA error 0x88760001"),
            ),
        ];
        for (hr, check) in cases {
            let error = error_from_hresult(hr);
            assert!(check(&error), "{}: {error:?}", hex(hr));
        }
    }

    #[test]
    fn refused_values_are_not_supported_by_name() {
        let cases = [E_INVALIDARG, DISP_E_TYPEMISMATCH, E_NOTIMPL];
        for hr in cases {
            assert!(
                matches!(refusal(hr, "600 dpi"), CaptureError::NotSupported(m) if m == "600 dpi")
            );
        }
        assert!(matches!(
            refusal(WIA_ERROR_OFFLINE, "600 dpi"),
            CaptureError::DeviceUnavailable(_)
        ));
    }
}

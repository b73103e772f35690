//! Whom the desk takes to be its hub: given by the operator at enrollment, kept with it, and
//! used for every connection after (`docs/protocol.md`, "Enrollment").
//!
//! Provinces run hubs with certificates from a CA of their own, or self-signed ones, that the
//! computer's certificate store does not know. The operator then gives the hub certificate's
//! SHA-256 fingerprint, or the CA's certificate, and the desk trusts exactly that.

use std::fmt;

/// The SHA-256 of the hub's certificate (its DER bytes), as `openssl x509 -fingerprint -sha256`
/// prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// Reads 64 hexadecimal digits, in either case, with or without colons (or spaces) between
    /// the pairs, and an optional `SHA256 Fingerprint=` prefix as OpenSSL prints it. `None` for
    /// anything else.
    pub fn parse(text: &str) -> Option<Fingerprint> {
        let text = text.trim();
        let text = match text.rsplit_once('=') {
            Some((label, hex)) if label.to_ascii_lowercase().contains("fingerprint") => hex,
            _ => text,
        };
        let digits: Vec<u8> = text
            .bytes()
            .filter(|b| !matches!(b, b':' | b' ' | b'\t'))
            .collect();
        if digits.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(digits.chunks(2)) {
            let hex = std::str::from_utf8(pair).ok()?;
            *byte = u8::from_str_radix(hex, 16).ok()?;
        }
        Some(Fingerprint(bytes))
    }
}

/// Upper-case pairs joined by colons, as OpenSSL and browsers show it.
impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, byte) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{byte:02X}")?;
        }
        Ok(())
    }
}

/// What the desk trusts to be its hub.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum HubTrust {
    /// The computer's certificate store (a hub with a certificate from a public CA).
    #[default]
    System,
    /// Exactly the certificate with this fingerprint; any other is refused, even one the
    /// computer's store trusts.
    Fingerprint(Fingerprint),
    /// Certificates issued by these CAs (PEM text, one or more certificates), and no others:
    /// the computer's store is not consulted.
    Ca(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef";

    #[test]
    fn a_fingerprint_reads_with_or_without_colons_and_prints_as_openssl_does() {
        let plain = Fingerprint::parse(HEX).unwrap();
        let colons = plain.to_string();
        assert!(colons.starts_with("01:23:45:67:89:AB:CD:EF:01"), "{colons}");
        assert_eq!(colons.len(), 32 * 3 - 1);
        assert_eq!(Fingerprint::parse(&colons), Some(plain));
        assert_eq!(
            Fingerprint::parse(&format!("sha256 Fingerprint={colons}\n")),
            Some(plain),
            "pasted from openssl"
        );
        assert_eq!(Fingerprint::parse(&colons.to_lowercase()), Some(plain));
    }

    #[test]
    fn anything_but_32_bytes_of_hex_is_no_fingerprint() {
        assert_eq!(Fingerprint::parse(""), None);
        assert_eq!(Fingerprint::parse(&HEX[2..]), None, "a byte short");
        assert_eq!(Fingerprint::parse(&format!("{HEX}00")), None, "a byte over");
        assert_eq!(Fingerprint::parse(&HEX.replace('a', "g")), None);
        assert_eq!(Fingerprint::parse(&HEX.replace('a', "é")), None);
        // A colon in the wrong place still leaves 64 digits: taken, the digits are what count.
        assert!(Fingerprint::parse(&format!("0:{}", &HEX[1..])).is_some());
    }
}

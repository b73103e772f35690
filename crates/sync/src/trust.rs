//! What the desk's connections to the hub trust, as given at enrollment ([`HubTrust`]).
//!
//! - The computer's certificate store: native-tls, as for any HTTPS site (the default).
//! - A pinned fingerprint: exactly one certificate, that of the hub, checked by [`Pinned`]
//!   below; any other is refused, even one the computer's store trusts.
//! - A CA file: certificates issued by that CA and by no other; the computer's store is not
//!   consulted (a province's own CA says who its hub is, nothing else does).
//!
//! The last two run on rustls (ring), whose verifier can be replaced; native-tls offers no
//! way to look at a certificate before the request goes out. A certificate refused under them
//! is told apart from a network failure ([`refusal`]): nothing was sent, and trying again
//! cannot help, so the officer is told what to check.

use std::sync::Arc;

use hoso_model::sync::{Fingerprint, HubTrust};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use sha2::{Digest, Sha256};

use crate::plan::GlobalProblem;

/// Why a CA file cannot be trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaError {
    #[error("the CA file holds no PEM certificate")]
    NoCertificate,
    #[error("a certificate in the CA file cannot be read")]
    Unreadable,
}

/// The CAs in `pem` (one or more `BEGIN CERTIFICATE` blocks; anything else is passed over).
pub fn ca_roots(pem: &str) -> Result<RootCertStore, CaError> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
        let cert = cert.map_err(|_| CaError::Unreadable)?;
        roots.add(cert).map_err(|_| CaError::Unreadable)?;
    }
    if roots.is_empty() {
        return Err(CaError::NoCertificate);
    }
    Ok(roots)
}

/// The rustls configuration for a pinned certificate or a CA file; `None` for the computer's
/// store (native-tls).
pub(crate) fn tls_config(trust: &HubTrust) -> Result<Option<ClientConfig>, CaError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions");
    let mut config = match trust {
        HubTrust::System => return Ok(None),
        HubTrust::Fingerprint(fingerprint) => builder
            // The documented way to replace the WebPKI checks with a verifier of one's own.
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Pinned {
                fingerprint: *fingerprint,
                algorithms: provider.signature_verification_algorithms,
            }))
            .with_no_client_auth(),
        HubTrust::Ca(pem) => builder
            .with_root_certificates(ca_roots(pem)?)
            .with_no_client_auth(),
    };
    // The hub speaks HTTP/1.1 (and so does this client).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Some(config))
}

/// Accepts exactly the certificate whose DER bytes hash to the fingerprint the operator gave.
///
/// What it leaves out of the usual checks: the chain to a root, the name and the dates — the
/// operator vouched for this very certificate, whoever signed it. What it keeps: the handshake's
/// signature is checked against that certificate's key, so only the holder of the hub's
/// private key gets through. A client certificate is never asked for.
#[derive(Debug)]
struct Pinned {
    fingerprint: Fingerprint,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let seen: [u8; 32] = Sha256::digest(end_entity.as_ref()).into();
        if seen == self.fingerprint.0 {
            Ok(ServerCertVerified::assertion())
        } else {
            // Read back by `refusal`; the hub's end sees an `access_denied` alert.
            Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The problem a failed request shows when this desk's own trust refused the hub's
/// certificate; `None` for anything else (a network failure, to be tried again). The
/// computer's store (native-tls) is not told apart: its failures stay network failures.
pub(crate) fn refusal(
    trust: &HubTrust,
    err: &(dyn std::error::Error + 'static),
) -> Option<GlobalProblem> {
    let problem = match trust {
        HubTrust::System => return None,
        HubTrust::Fingerprint(_) => GlobalProblem::CertificatePin,
        HubTrust::Ca(_) => GlobalProblem::CertificateCa,
    };
    matches!(
        rustls_error(err),
        Some(rustls::Error::InvalidCertificate(_))
    )
    .then_some(problem)
}

/// The rustls error somewhere in `err`'s chain. An `io::Error`'s `source` skips the error it
/// wraps, so that one is looked into by hand.
fn rustls_error<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(err);
    while let Some(err) = next {
        if let Some(found) = err.downcast_ref::<rustls::Error>() {
            return Some(found);
        }
        next = match err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn self_signed() -> (CertificateDer<'static>, String) {
        let cert = rcgen::generate_simple_self_signed(vec!["hub.example.vn".into()]).unwrap();
        (cert.cert.der().clone(), cert.cert.pem())
    }

    fn pinned(der: &CertificateDer<'_>) -> Pinned {
        Pinned {
            fingerprint: Fingerprint(Sha256::digest(der.as_ref()).into()),
            algorithms: rustls::crypto::ring::default_provider().signature_verification_algorithms,
        }
    }

    fn verify(verifier: &Pinned, der: &CertificateDer<'_>) -> Result<(), rustls::Error> {
        let name = ServerName::try_from("another.name").unwrap();
        verifier
            .verify_server_cert(der, &[], &name, &[], UnixTime::now())
            .map(drop)
    }

    #[test]
    fn a_pin_accepts_its_certificate_under_any_name_and_refuses_any_other() {
        let (hub, _) = self_signed();
        let (other, _) = self_signed();
        let verifier = pinned(&hub);
        assert_eq!(
            verify(&verifier, &hub),
            Ok(()),
            "the name is not the pin's concern"
        );
        let refused = verify(&verifier, &other).unwrap_err();
        assert_eq!(
            refusal(&HubTrust::Fingerprint(verifier.fingerprint), &refused),
            Some(GlobalProblem::CertificatePin)
        );
    }

    #[test]
    fn a_refusal_is_found_inside_an_io_error_and_only_under_the_desks_own_trust() {
        let refused = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let wrapped = std::io::Error::new(std::io::ErrorKind::InvalidData, refused);
        let ca = HubTrust::Ca(String::new());
        assert_eq!(refusal(&ca, &wrapped), Some(GlobalProblem::CertificateCa));
        assert_eq!(refusal(&HubTrust::System, &wrapped), None);
        let cut = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert_eq!(refusal(&ca, &cut), None, "a network failure stays one");
    }

    #[test]
    fn a_ca_file_needs_a_readable_certificate() {
        let (_, pem) = self_signed();
        assert_eq!(ca_roots(&pem).unwrap().len(), 1);
        assert_eq!(ca_roots("").unwrap_err(), CaError::NoCertificate);
        let damaged = pem.replacen("MII", "MII!!", 1);
        assert!(ca_roots(&damaged).is_err(), "{damaged}");
        assert!(tls_config(&HubTrust::Ca(pem)).unwrap().is_some());
        assert!(tls_config(&HubTrust::System).unwrap().is_none());
    }
}

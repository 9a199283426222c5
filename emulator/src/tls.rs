//! HTTPS for the emulator (`--tls`): a local certificate authority generated
//! at start-up, a server certificate it signs for `localhost`, `127.0.0.1`,
//! `::1` and `*.vault.azure.net` (the vault proxy's hosts), and a listener that terminates TLS in front of the same axum app.
//!
//! Clients trust the CA file written with `--ca-out` (for example
//! `REQUESTS_CA_BUNDLE` for the Azure SDK for Python) instead of turning
//! certificate checks off. Key Vault's SDKs refuse bearer tokens over plain
//! HTTP, so the data plane needs this to be used by them at all.
//!
//! Crypto comes from `ring` (rustls and rcgen), never aws-lc.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// The names the server certificate is valid for: loopback, every vault's data-plane host and
/// Microsoft Graph's (reached through `--vault-proxy-listen`; only clients that trust this run's CA accept it).
pub const SERVER_NAMES: [&str; 5] = ["localhost", "127.0.0.1", "::1", "*.vault.azure.net", "graph.microsoft.com"];

/// How long a client may take to finish its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A generated CA and the server identity it signed.
pub struct Identity {
    /// The CA certificate (PEM): what clients trust.
    pub ca_pem: String,
    /// The server certificate (PEM), for inspection.
    pub server_pem: String,
    config: Arc<rustls::ServerConfig>,
}

#[derive(Debug)]
pub struct TlsError(pub String);

impl std::fmt::Display for TlsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TLS set-up failed: {}", self.0)
    }
}

impl std::error::Error for TlsError {}

impl From<rcgen::Error> for TlsError {
    fn from(e: rcgen::Error) -> Self {
        TlsError(e.to_string())
    }
}

impl From<rustls::Error> for TlsError {
    fn from(e: rustls::Error) -> Self {
        TlsError(e.to_string())
    }
}

impl From<TlsError> for std::io::Error {
    fn from(e: TlsError) -> Self {
        std::io::Error::other(e)
    }
}

/// Validity window: from yesterday's year start to ten years on. Strict
/// verifiers (OpenSSL's X509_STRICT, used by Python 3.13) want real dates.
fn validity(params: &mut CertificateParams) {
    let now = crate::clock::now_secs();
    let year: i32 = acr_cmk_domain::encryption::format_unix_utc(now - 86_400)[..4].parse().unwrap_or(2025);
    params.not_before = rcgen::date_time_ymd(year, 1, 1);
    params.not_after = rcgen::date_time_ymd(year + 10, 1, 1);
}

impl Identity {
    /// A fresh CA (ECDSA P-256) and a server certificate for [`SERVER_NAMES`].
    pub fn generate() -> Result<Identity, TlsError> {
        let ca_key = KeyPair::generate()?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, "ACR CMK Emulator Local CA");
        dn.push(DnType::OrganizationName, "acr-cmk-emulator");
        ca_params.distinguished_name = dn;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        validity(&mut ca_params);
        let ca_cert = ca_params.self_signed(&ca_key)?;
        let issuer = Issuer::new(ca_params, ca_key);

        let server_key = KeyPair::generate()?;
        let mut params = CertificateParams::new(SERVER_NAMES.iter().map(|s| s.to_string()).collect::<Vec<_>>())?;
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, "localhost");
        params.distinguished_name = dn;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        validity(&mut params);
        let server_cert = params.signed_by(&server_key, &issuer)?;

        let chain: Vec<CertificateDer<'static>> = vec![server_cert.der().clone(), ca_cert.der().clone()];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, key)?;
        // axum's server speaks HTTP/1.1 here; say so, so clients do not try h2.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Identity { ca_pem: ca_cert.pem(), server_pem: server_cert.pem(), config: Arc::new(config) })
    }

    /// Writes the CA certificate atomically (readers never see half a file).
    pub fn write_ca(&self, path: &Path) -> std::io::Result<()> {
        crate::persistence::write_atomically(path, self.ca_pem.as_bytes())
    }

    pub fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(self.config.clone())
    }
}

/// A listener that hands axum finished TLS connections. Handshakes run in their
/// own tasks, so one slow or broken client never holds up the others.
pub struct TlsListener {
    rx: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
    accept_task: tokio::task::JoinHandle<()>,
}

impl TlsListener {
    pub fn new(tcp: TcpListener, acceptor: TlsAcceptor) -> std::io::Result<TlsListener> {
        let local = tcp.local_addr()?;
        let (tx, rx) = mpsc::channel(64);
        let accept_task = tokio::spawn(async move {
            loop {
                let (stream, peer) = match tcp.accept().await {
                    Ok(s) => s,
                    Err(_) => {
                        // Out of file descriptors and the like: back off as axum does.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let acceptor = acceptor.clone();
                let conn_tx = tx.clone();
                tokio::spawn(async move {
                    // A failed handshake (e.g. a client that does not trust the CA) just closes the connection.
                    if let Ok(Ok(tls)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        let _ = conn_tx.send((tls, peer)).await;
                    }
                });
                if tx.is_closed() {
                    break;
                }
            }
        });
        Ok(TlsListener { rx, local, accept_task })
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self.accept_task.abort();
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.rx.recv().await {
            Some(conn) => conn,
            // The accept loop only ends when this listener is dropped.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

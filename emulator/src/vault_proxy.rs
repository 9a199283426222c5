//! `--vault-proxy-listen ADDR`: an HTTP `CONNECT` proxy that reaches the Key
//! Vault data plane at the host Azure tools build from a vault's name,
//! `https://{vault}.vault.azure.net`, without DNS or `/etc/hosts` changes.
//!
//! A client with `HTTPS_PROXY=http://ADDR` (and `NO_PROXY=127.0.0.1,localhost`
//! for ARM and Entra ID) asks `CONNECT {vault}.vault.azure.net:443`; the proxy
//! answers `200` and joins the tunnel to the emulator's own HTTPS listener,
//! whose certificate (from the local CA) also names `*.vault.azure.net`. The
//! emulator then routes by `Host` ([`vault_of_host`]): `/keys/…` on
//! `{vault}.vault.azure.net` is `/_vault/{vault}/keys/…`. Any other `CONNECT`
//! `graph.microsoft.com:443` is tunnelled the same way to the emulator's few
//! Graph reads (`/_graph`, see `graph`). Any other `CONNECT`
//! target, and any request that is not `CONNECT`, is refused (`403`/`405`): the
//! proxy never opens a connection off this machine.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The Key Vault DNS suffix the proxy and the host routing answer for (Azure's public cloud).
pub const VAULT_DNS_SUFFIX: &str = ".vault.azure.net";

/// Microsoft Graph's host: the proxy reaches the emulator's few Graph reads there (`crate::graph`).
pub const GRAPH_HOST: &str = "graph.microsoft.com";

/// Largest request head the proxy reads.
const MAX_HEAD: usize = 8 * 1024;

/// The vault a `Host` (or `CONNECT` authority) names: `kv1.vault.azure.net[:443]` → `kv1`.
/// Vault names are 3-24 letters, digits and hyphens.
pub fn vault_of_host(host: &str) -> Option<&str> {
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    let cut = host.len().checked_sub(VAULT_DNS_SUFFIX.len())?;
    if !host.is_char_boundary(cut) || !host[cut..].eq_ignore_ascii_case(VAULT_DNS_SUFFIX) {
        return None;
    }
    let name = &host[..cut];
    let ok = (3..=24).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    ok.then_some(name)
}

/// Whether a `Host` (or `CONNECT` authority) is Microsoft Graph's, `graph.microsoft.com[:443]`.
pub fn is_graph_host(host: &str) -> bool {
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    host.eq_ignore_ascii_case(GRAPH_HOST)
}

/// Serves the proxy on `listener`, tunnelling accepted `CONNECT`s to `target` (the HTTPS listener).
pub async fn serve(listener: TcpListener, target: SocketAddr) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        tokio::spawn(async move {
            let _ = tunnel(stream, target).await;
        });
    }
}

async fn tunnel(mut client: TcpStream, target: SocketAddr) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    let end = loop {
        let n = tokio::time::timeout(Duration::from_secs(10), client.read(&mut buf)).await.map_err(std::io::Error::other)??;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(i) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if head.len() > MAX_HEAD {
            return reply(&mut client, "431 Request Header Fields Too Large").await;
        }
    };
    let line = String::from_utf8_lossy(&head[..head.iter().position(|&b| b == b'\r').unwrap_or(0)]).into_owned();
    let mut parts = line.split_whitespace();
    let (method, authority) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if method != "CONNECT" {
        return reply(&mut client, "405 Method Not Allowed").await;
    }
    let port_ok = authority.rsplit_once(':').is_some_and(|(_, p)| p == "443");
    if !port_ok || (vault_of_host(authority).is_none() && !is_graph_host(authority)) {
        return reply(&mut client, "403 Forbidden").await;
    }
    let mut upstream = TcpStream::connect(target).await?;
    let _ = upstream.set_nodelay(true);
    client.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n").await?;
    if end < head.len() {
        upstream.write_all(&head[end..]).await?;
    }
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

async fn reply(client: &mut TcpStream, status: &str) -> std::io::Result<()> {
    client.write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes()).await?;
    client.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::vault_of_host;

    #[test]
    fn vault_hosts() {
        assert_eq!(vault_of_host("kv1abc.vault.azure.net"), Some("kv1abc"));
        assert_eq!(vault_of_host("KV-1.Vault.Azure.Net:443"), Some("KV-1"));
        assert_eq!(vault_of_host("vault.azure.net"), None);
        assert_eq!(vault_of_host("a.b.vault.azure.net"), None);
        assert_eq!(vault_of_host("kv1.vault.azure.net.evil.example"), None);
        assert_eq!(vault_of_host("127.0.0.1:8443"), None);
        assert_eq!(vault_of_host("login.microsoftonline.com:443"), None);
        assert!(super::is_graph_host("graph.microsoft.com:443"));
        assert!(!super::is_graph_host("graph.microsoft.com.evil.example"));
    }
}

//! Keys (placeholder).
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use crate::routes::Route;
use crate::world::{KeyRec, KeyVersionRec};
pub fn routes() -> Vec<Route> { Vec::new() }

pub fn new_version(version: &str, created: i64) -> KeyVersionRec {
    let mut n = [0u8; 256];
    getrandom::getrandom(&mut n).expect("the OS random source");
    n[0] |= 0x80;
    KeyVersionRec { version: version.to_string(), enabled: true, created, updated: created, nbf: None, exp: None, n: URL_SAFE_NO_PAD.encode(n) }
}

pub fn new_rsa_key(vault: &str, name: &str, versions: Vec<KeyVersionRec>) -> KeyRec {
    KeyRec {
        vault: vault.to_string(),
        name: name.to_string(),
        kty: "RSA".into(),
        key_size: Some(2048),
        curve: None,
        key_ops: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"].map(String::from).to_vec(),
        tags: Default::default(),
        versions,
        deleted_at: None,
    }
}

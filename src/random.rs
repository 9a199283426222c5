//! Randomness from the browser's `crypto`: role-assignment names and the
//! sign-in's PKCE verifier and `state`.

/// A fresh GUID (`crypto.randomUUID()`), e.g. a new role assignment's name.
pub fn new_guid() -> String {
    web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default()
}

/// `N` random bytes from `crypto.getRandomValues`.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0u8; N];
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .ok_or_else(|| "this browser has no crypto.getRandomValues".to_string())?;
    Ok(bytes)
}

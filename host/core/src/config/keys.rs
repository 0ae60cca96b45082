//! Keys as Meshtastic prints them (`meshtastic --info`): base64 of 32 bytes. A leaf,
//! so both the config and its `[federation]` section can check keys without
//! importing each other.

/// A public key as Meshtastic prints it: base64 of 32 bytes.
pub(crate) fn decode_key(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let key = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()?;
    (key.len() == 32).then_some(key)
}

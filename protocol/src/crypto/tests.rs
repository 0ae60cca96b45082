//! The firmware's own vectors (`test/test_crypto/test_main.cpp` in the Meshtastic
//! firmware) and the layout facts of the module notes.

use super::channel::DEFAULT_PSK;
use super::pki::raw_shared_for_test;
use super::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("test hex"))
        .collect()
}

fn key32(s: &str) -> [u8; 32] {
    hex(s).try_into().expect("32 bytes")
}

#[test]
fn one_byte_keys_expand_as_the_firmware_does() {
    assert_eq!(
        ChannelKey::from_base64("AQ==").unwrap(),
        ChannelKey::Aes128(DEFAULT_PSK)
    );
    assert_eq!(
        DEFAULT_PSK,
        hex("d4f1bb3a20290759f0bcffabcf4e6901").as_slice()
    );
    let mut second = DEFAULT_PSK;
    second[15] = 0x02;
    assert_eq!(
        ChannelKey::from_psk(&[2]).unwrap(),
        ChannelKey::Aes128(second)
    );
    assert_eq!(ChannelKey::from_psk(&[0]).unwrap(), ChannelKey::None);
    assert_eq!(ChannelKey::from_base64("").unwrap(), ChannelKey::None);
    let short = ChannelKey::from_psk(&[7, 7, 7]).unwrap();
    assert_eq!(short.bytes(), [&[7u8, 7, 7][..], &[0; 13]].concat());
    assert!(matches!(
        ChannelKey::from_psk(&[1; 20]).unwrap(),
        ChannelKey::Aes256(_)
    ));
    assert_eq!(
        ChannelKey::from_psk(&[1; 33]),
        Err(CryptoError::BadKeyLength(33))
    );
    assert_eq!(
        ChannelKey::from_base64("not base64!"),
        Err(CryptoError::BadKeyText)
    );
}

#[test]
fn the_public_longfast_channel_hashes_to_8() {
    // The default channel's hash, as every LongFast packet on the air carries it.
    let key = ChannelKey::from_base64("AQ==").unwrap();
    assert_eq!(channel_hash("LongFast", &key), 8);
    assert_eq!(channel_hash("", &ChannelKey::None), 0);
}

#[test]
fn the_nonce_is_packet_id_then_sender_little_endian() {
    let n = packet_nonce(0x0000_0929, 0x13b2_d662, 0);
    assert_eq!(n.to_vec(), hex("62d6b213000000002909000000000000"));
    // The PKI vector's nonce: the extra nonce sits in bytes 4..8.
    let n = packet_nonce(0x0929, 0x13b2_d662, 0x2b79_6a03);
    assert_eq!(n[..13].to_vec(), hex("62d6b213036a792b2909000000"));
}

#[test]
fn aes_ctr_matches_the_firmware_vectors() {
    // RFC 3686 vectors, as the firmware's test_AES_CTR runs them.
    let mut block = *b"Single block msg";
    let key = ChannelKey::from_psk(&hex("AE6852F8121067CC4BF7A5765577F39E")).unwrap();
    let iv: [u8; 16] = hex("00000030000000000000000000000001").try_into().unwrap();
    key.apply_with_iv(&iv, &mut block);
    assert_eq!(block.to_vec(), hex("E4095D4FB7A7B3792D6175A3261311B8"));

    let mut block = *b"Single block msg";
    let key = ChannelKey::Aes256(key32(
        "776BEFF2851DB06F4C8A0542C8696F6C6A81AF1EEC96B4D37FC1D689E6C1C104",
    ));
    let iv: [u8; 16] = hex("00000060DB5672C97AA8F0B200000001").try_into().unwrap();
    key.apply_with_iv(&iv, &mut block);
    assert_eq!(block.to_vec(), hex("145AD01DBF824EC7560863DC71E3E0C0"));
}

#[test]
fn channel_encryption_round_trips_and_depends_on_sender_and_id() {
    let key = ChannelKey::from_base64("AQ==").unwrap();
    let plain = b"\x08\x01\x12\x05hello".to_vec();
    let mut wire = plain.clone();
    key.apply(0x1234_5678, 42, &mut wire);
    assert_ne!(wire, plain);
    let mut other = plain.clone();
    key.apply(0x1234_5679, 42, &mut other);
    assert_ne!(other, wire);
    key.apply(0x1234_5678, 42, &mut wire);
    assert_eq!(wire, plain);
}

#[test]
fn x25519_matches_the_firmware_dh_vectors() {
    // test_DH25519: Wycheproof vectors; the first two compare the raw shared secret.
    for (public, private, shared) in [
        (
            "504a36999f489cd2fdbc08baff3d88fa00569ba986cba22548ffde80f9806829",
            "c8a9d5a91091ad851c668b0736c1c9a02936c0d3ad62670858088047ba057475",
            "436a2c040cf45fea9b29a0cb81b1f41458f863d0d61b453d0a982720d6d61320",
        ),
        (
            "63aa40c6e38346c5caf23a6df0a5e6c80889a08647e551b3563449befcfc9733",
            "d85d8c061a50804ac488ad774ac716c3f5ba714b2712e048491379a500211958",
            "279df67a7c4611db4708a0e8282b195e5ac0ed6f4b2f292c6fbd0acac30d1332",
        ),
    ] {
        let pair = KeyPair::from_private(key32(private));
        assert_eq!(
            raw_shared_for_test(&pair, &hex(public)).unwrap().to_vec(),
            hex(shared)
        );
    }
    // A weak public key gives an all-zero secret: refused.
    let pair = KeyPair::from_private(key32(
        "18630f93598637c35da623a74559cf944374a559114c7937811041fc8605564a",
    ));
    let weak = hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    assert_eq!(pair.shared_key(&weak), Err(CryptoError::BadPublicKey));
    // The last compares the SHA-256 of the secret: the key the firmware uses.
    let pair = KeyPair::from_private(key32(
        "10300724f3bea134eb1575245ef26ff9b8ccd59849cd98ce1a59002fe1d5986c",
    ));
    let public = hex("f7e13a1a067d2f4e1061bf9936fde5be6b0c2494a8f809cbac7f290ef719e91c");
    assert_eq!(
        pair.shared_key(&public).unwrap().to_vec(),
        hex("24becd5dfed9e9289ba2e15b82b0d54f8e9aacb72f5e4248c58d8d74b451ce76")
    );
}

/// test_PKC: a packet from node 0x0929, id 0x13b2d662, sent to the holder of this
/// private key; the radio bytes after the 16-byte header are its payload.
const PKC_PRIVATE: &str = "a00330633e63522f8a4d81ec6d9d1e6617f6c8ffd3a4c698229537d44e522277";
const PKC_SENDER_PUBLIC: &str = "db18fc50eea47f00251cb784819a3cf5fc361882597f589f0d7ff820e8064457";
const PKC_RADIO: &str =
    "8c646d7a2909000062d6b2136b00000040df24abfcc30a17a3d9046726099e796a1c036a792b";

#[test]
fn pki_decrypts_the_firmware_vector() {
    let us = KeyPair::from_private(key32(PKC_PRIVATE));
    let sender = hex(PKC_SENDER_PUBLIC);
    assert_eq!(
        us.shared_key(&sender).unwrap()[..8].to_vec(),
        hex("777b1545c9d6f9a2")
    );
    let wire = &hex(PKC_RADIO)[16..];
    assert_eq!(wire.len(), 10 + PKI_OVERHEAD);
    let plain = us.decrypt(&sender, 0x0929, 0x13b2_d662, wire).unwrap();
    // Data { portnum: TEXT_MESSAGE_APP, payload: "test", bitfield: 0 }
    assert_eq!(plain, hex("08011204746573744800"));
}

#[test]
fn pki_refuses_a_changed_or_misattributed_packet() {
    let us = KeyPair::from_private(key32(PKC_PRIVATE));
    let sender = hex(PKC_SENDER_PUBLIC);
    let wire = hex(PKC_RADIO)[16..].to_vec();
    for i in 0..wire.len() {
        let mut bad = wire.clone();
        bad[i] ^= 0x01;
        assert_eq!(
            us.decrypt(&sender, 0x0929, 0x13b2_d662, &bad),
            Err(CryptoError::NotAuthentic),
            "byte {i} changed"
        );
    }
    assert_eq!(
        us.decrypt(&sender, 0x092a, 0x13b2_d662, &wire),
        Err(CryptoError::NotAuthentic)
    );
    assert_eq!(
        us.decrypt(&sender, 0x0929, 0x13b2_d663, &wire),
        Err(CryptoError::NotAuthentic)
    );
    assert_eq!(
        us.decrypt(&sender, 0x0929, 1, &wire[..11]),
        Err(CryptoError::TooShort(11))
    );
    let stranger = KeyPair::generate().public();
    assert_eq!(
        us.decrypt(&stranger, 0x0929, 0x13b2_d662, &wire),
        Err(CryptoError::NotAuthentic)
    );
}

#[test]
fn pki_encrypts_what_the_other_side_decrypts() {
    let alice = KeyPair::generate();
    let bob = KeyPair::generate();
    let wire = alice
        .encrypt(&bob.public(), 0xa11c_e000, 77, 0xdead_beef, b"hello bob")
        .unwrap();
    assert_eq!(wire.len(), 9 + PKI_OVERHEAD);
    assert_eq!(wire[wire.len() - 4..], 0xdead_beefu32.to_le_bytes());
    let plain = bob
        .decrypt(&alice.public(), 0xa11c_e000, 77, &wire)
        .unwrap();
    assert_eq!(plain, b"hello bob");
    // Re-encrypting the firmware vector's plaintext under its nonce gives its bytes.
    let us = KeyPair::from_private(key32(PKC_PRIVATE));
    let sender = hex(PKC_SENDER_PUBLIC);
    let again = us
        .encrypt(
            &sender,
            0x0929,
            0x13b2_d662,
            0x2b79_6a03,
            &hex("08011204746573744800"),
        )
        .unwrap();
    assert_eq!(again, hex(PKC_RADIO)[16..].to_vec());
}

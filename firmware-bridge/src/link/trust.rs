//! Who may speak about a packet. Anyone in range can transmit, and a packet that is not
//! PKI-encrypted can carry any `from`; these rules keep such a stranger from marking our
//! packets delivered, parking a player's replies, or talking as nobody (or as us).
//!
//! What the firmware sends, and from whom (meshtastic/firmware, `src/mesh/`):
//! - **From the destination**: the ack (`error_reason` NONE) a node sends for a
//!   `want_ack` packet addressed to it, and the failures it reports when it cannot use
//!   one: `PKI_UNKNOWN_PUBKEY` and `NO_CHANNEL` (`ReliableRouter::sniffReceived`),
//!   `NO_RESPONSE` (`MeshModule.cpp`).
//! - **From our own node**: every failure raised while sending, each made with
//!   `RoutingModule::sendAckNak` → `Router::sendLocal`, on a packet from
//!   `Router::allocForSending` (`from` = our node number): `NO_INTERFACE`
//!   (`Router::sendLocal`), `DUTY_CYCLE_LIMIT` (`Router::send`, "only send NAK to API,
//!   not to the mesh"), `TOO_LARGE`, `PKI_SEND_FAIL_PUBLIC_KEY`, `PKI_FAILED`,
//!   `NO_CHANNEL`, `BAD_REQUEST` (`Router::perhapsEncode` → `abortSendAndNak`),
//!   `MAX_RETRANSMIT` (`NextHopRouter.cpp`, retransmissions used up),
//!   `RATE_LIMIT_EXCEEDED` (`PhoneAPI.cpp` → `MeshService::sendRoutingErrorResponse`);
//!   and the implicit ack (NONE) it makes when it hears a neighbour relay our packet
//!   (`ReliableRouter::shouldFilterReceived`). `NO_ROUTE` and `TIMEOUT` exist in the
//!   protobufs, but no current firmware sends them; if one comes, only our own node
//!   may have sent it.
//!
//! So a routing reply counts only from the packet's destination or our own node, and a
//! failure only the sending node can raise counts only from our own node.

use meshmush_protocol::packets::BROADCAST;
use meshmush_protocol::proto::routing;

/// Failures only the sending node raises (see the module doc): a remote node claiming
/// one is forging it.
pub(crate) fn raised_by_sender_only(reason: routing::Error) -> bool {
    use routing::Error as E;
    matches!(
        reason,
        E::NoRoute
            | E::Timeout
            | E::NoInterface
            | E::MaxRetransmit
            | E::TooLarge
            | E::DutyCycleLimit
            | E::BadRequest
            | E::PkiFailed
            | E::PkiSendFailPublicKey
            | E::RateLimitExceeded
    )
}

/// Whether a routing reply is our own node's implicit ACK for a DM: it heard a
/// neighbour relay the packet (ReliableRouter.cpp `shouldFilterReceived`, which says
/// "For DMs, you also get a real ACK back from the intended recipient"). For a DM that
/// proves only the first hop; for a broadcast it is the only ack there is.
pub(crate) fn implicit_ack(dest: u32, from: u32, me: u32, error: Option<routing::Error>) -> bool {
    error.is_none() && from == me && dest != me && dest != BROADCAST
}

/// Whether a routing reply from `from` about our packet to `dest` may count, for a
/// link whose node is `me`. `error` is `None` for an ack.
pub(crate) fn routing_reply_trusted(
    dest: u32,
    from: u32,
    me: u32,
    error: Option<routing::Error>,
) -> bool {
    if from == me {
        return true;
    }
    if from == 0 || from == BROADCAST || from != dest {
        return false;
    }
    !error.is_some_and(raised_by_sender_only)
}

/// A sender number no real node has: nobody (0), everyone (broadcast), or our own node
/// (whose texts never come back to us over the air). Texts claiming one are forged.
pub(crate) fn impossible_sender(from: u32, me: u32) -> bool {
    from == 0 || from == BROADCAST || from == me
}

#[cfg(test)]
mod tests {
    use super::*;
    use routing::Error as E;

    const ME: u32 = 0x10;
    const DEST: u32 = 0x20;
    const STRANGER: u32 = 0x30;

    #[test]
    fn acks_count_from_the_destination_or_our_node_only() {
        assert!(routing_reply_trusted(DEST, DEST, ME, None));
        assert!(routing_reply_trusted(DEST, ME, ME, None), "implicit ack");
        assert!(!routing_reply_trusted(DEST, STRANGER, ME, None));
        assert!(!routing_reply_trusted(DEST, 0, ME, None));
        assert!(!routing_reply_trusted(BROADCAST, BROADCAST, ME, None));
    }

    #[test]
    fn local_failures_count_from_our_node_only() {
        for e in [
            E::PkiSendFailPublicKey,
            E::DutyCycleLimit,
            E::NoRoute,
            E::TooLarge,
        ] {
            assert!(routing_reply_trusted(DEST, ME, ME, Some(e)));
            assert!(!routing_reply_trusted(DEST, DEST, ME, Some(e)), "{e:?}");
            assert!(!routing_reply_trusted(DEST, STRANGER, ME, Some(e)), "{e:?}");
        }
        for e in [E::PkiUnknownPubkey, E::NoChannel, E::NoResponse] {
            assert!(routing_reply_trusted(DEST, DEST, ME, Some(e)), "{e:?}");
            assert!(!routing_reply_trusted(DEST, STRANGER, ME, Some(e)), "{e:?}");
        }
    }

    #[test]
    fn nobody_everybody_and_ourselves_are_impossible_senders() {
        assert!(impossible_sender(0, ME));
        assert!(impossible_sender(BROADCAST, ME));
        assert!(impossible_sender(ME, ME));
        assert!(!impossible_sender(DEST, ME));
    }
}

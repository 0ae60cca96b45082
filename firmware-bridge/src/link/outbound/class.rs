//! Traffic classes: what a packet is for decides when it may use the air.
//!
//! Every packet the daemon puts on air enters the one outbound queue with a class.
//! Classes are served in priority order, each within its own airtime share (a fraction
//! of the BBS's whole share): a known player's reply never waits behind strangers'
//! replies, a sync backlog or the beacon, and none of those can take more than its
//! share however much of it there is. The firmware's own transmit queue orders by
//! `MeshPacket.priority` (src/mesh/MeshPacketQueue.cpp, `CompareMeshPacketFunc`:
//! higher first, equal ones in order), so each class also sets the priority its
//! packets carry, in the same order, and the node keeps the order we chose.

use meshmush_protocol::proto::mesh_packet::Priority;

/// What a packet is for, in the order classes are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// A reply to a player the BBS knows (an established record, or rights).
    Known,
    /// A reply to a stranger or a newcomer.
    Stranger,
    /// A notice to a player about someone else's doing: mail, room chatter, a page.
    Notice,
    /// BBS-to-BBS sync.
    Sync,
    /// Traffic nobody asked for: beacon, welcome, discovery, urgent notices, `@wall`.
    Unasked,
}

impl Class {
    /// Every class, highest priority first.
    pub const ALL: [Class; 5] = [
        Class::Known,
        Class::Stranger,
        Class::Notice,
        Class::Sync,
        Class::Unasked,
    ];

    /// Position in [`Class::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// What logs, metrics and the bench call it.
    pub const fn name(self) -> &'static str {
        match self {
            Class::Known => "known",
            Class::Stranger => "stranger",
            Class::Notice => "notice",
            Class::Sync => "sync",
            Class::Unasked => "unasked",
        }
    }

    /// The `MeshPacket.priority` its packets carry (mesh.proto's `Priority`): replies
    /// to known players HIGH, to strangers RESPONSE ("a response to a request"),
    /// notices RELIABLE (what firmware gives any want_ack packet), sync DEFAULT,
    /// unasked traffic BACKGROUND. All stay below ACK, so routing acks go first.
    pub const fn priority(self) -> Priority {
        match self {
            Class::Known => Priority::High,
            Class::Stranger => Priority::Response,
            Class::Notice => Priority::Reliable,
            Class::Sync => Priority::Default,
            Class::Unasked => Priority::Background,
        }
    }

    /// The priority of a reply's first packet, the one its player waits for. A known
    /// player's goes at MAX, above the node's routing acks: under a flood the node
    /// owes an ack for every stranger's DM, and a known player's reply queued behind
    /// them waited one ack's airtime each (figure 8). The firmware keeps a client's
    /// priority (src/mesh/MeshPacketQueue.cpp: `fixPriority` fills in only an UNSET
    /// one; the queue is ordered by priority). Only the first packet: an ack is then
    /// held back by one packet per known command queued ahead of it, at the rate
    /// people type a fraction of the sender's retransmission timeout (over 4.5 s,
    /// RadioInterface.cpp `getRetransmissionMsec`); the rest of the reply goes at
    /// [`priority`](Self::priority), behind the acks.
    pub const fn first_priority(self) -> Priority {
        match self {
            Class::Known => Priority::Max,
            class => class.priority(),
        }
    }
}

/// Each class's most airtime, as a fraction (0..=1) of the BBS's whole share. They
/// need not add up to 1: each is a ceiling, and the whole share is one too.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassShares(pub [f64; 5]);

impl ClassShares {
    pub fn get(&self, class: Class) -> f64 {
        self.0[class.index()].clamp(0.0, 1.0)
    }

    pub fn set(&mut self, class: Class, share: f64) {
        self.0[class.index()] = share;
    }
}

impl Default for ClassShares {
    /// Known players may use the whole share; strangers and notices less than half of
    /// it each; sync a fifth (10% of EU_868's duty cycle at the default 0.5 share, as
    /// sync had before it shared the queue); unasked traffic a tenth.
    fn default() -> Self {
        Self([1.0, 0.4, 0.4, 0.2, 0.1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_served_in_the_order_their_priorities_say() {
        let p: Vec<i32> = Class::ALL.iter().map(|c| c.priority() as i32).collect();
        assert!(p.windows(2).all(|w| w[0] > w[1]), "{p:?}");
        assert!(
            p[0] < Priority::Ack as i32,
            "acks go before any reply's rest"
        );
        let first: Vec<i32> = Class::ALL
            .iter()
            .map(|c| c.first_priority() as i32)
            .collect();
        assert!(
            first[0] > Priority::Ack as i32,
            "a known reply's first packet goes before acks"
        );
        assert_eq!(
            first[1..],
            p[1..],
            "other classes' first packets wait for the acks"
        );
        for (i, c) in Class::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
        }
    }
}

//! Nodes without a socket: the virtual handsets the bench plays thousands of, heard
//! only by the gateway. Their texts and NodeInfos are put straight into it, as if it
//! had decoded them on the air; their replies come back on one channel.

use meshmush_protocol::packets::TextOut;
use meshmush_protocol::proto::{NodeInfo, User, from_radio};
use tokio::sync::mpsc::UnboundedReceiver;

use super::{Mesh, VirtualReply};

impl Mesh {
    /// What virtual handsets received (once; `None` if not enabled or taken).
    pub fn take_virtual_replies(&self) -> Option<UnboundedReceiver<VirtualReply>> {
        self.virtual_replies.lock().ok()?.take()
    }

    /// A direct text from virtual handset `from` arrives at the gateway, as if heard
    /// on the air (PKI-encrypted, like a 2.5+ handset's).
    pub fn inject_text(&self, from: u32, id: u32, text: &str) {
        let gw = self.gateway().num;
        if let Some(node) = self.node(gw) {
            node.receive(TextOut::direct(gw, text).to_mesh_packet(from, id), true);
        }
    }

    /// The gateway hears virtual handset `num`'s NodeInfo broadcast, naming it
    /// `long_name`, and tells its clients as a fresh `node_info`, as the firmware's
    /// NodeDB does for a node it just learned (so a player who spoke first is named
    /// only now).
    pub fn announce_virtual(&self, num: u32, long_name: &str) {
        let gw = self.gateway().num;
        let Some(node) = self.node(gw) else { return };
        let info = NodeInfo {
            num,
            user: Some(User {
                id: meshmush_protocol::packets::node_id(num),
                long_name: long_name.to_string(),
                short_name: long_name.chars().take(4).collect(),
                ..Default::default()
            }),
            snr: 6.25,
            hops_away: Some(0),
            ..Default::default()
        };
        node.to_clients(
            &node.frame(from_radio::PayloadVariant::NodeInfo(info)),
            false,
        );
    }
}

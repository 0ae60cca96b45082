//! One rule's run: a fresh store and mesh, the daemon on node 0, each player's
//! sessions played one command at a time, the mesh let settle after each.

use std::time::{Duration, Instant};

use meshmush::config::{Config, HopRule};
use meshmush_firmware_bridge::sim::handset::{Handset, fast_link_config};
use meshmush_firmware_bridge::sim::multihop::Topology;
use meshmush_firmware_bridge::sim::{Mesh, SimConfig, SimNode};
use meshmush_protocol::packets::PRIMARY_CHANNEL;
use meshmush_testkit::Kit;

use super::account::{Played, account};
use super::players::Player;
use super::report::HopRow;
use super::setup::{ACK_WAIT, FIRST_WAIT, HopsOptions, LATER, SCALE, secs, wall};
use crate::figures::BenchError;
use crate::session::standard_commands;

/// Waits until the daemon has nothing queued or in flight and the mesh is quiet, up
/// to `limit` (wall).
async fn settle(kit: &Kit, mesh: &Mesh, limit: Duration) {
    let started = Instant::now();
    let mut quiet_since: Option<Instant> = None;
    while started.elapsed() < limit {
        let quiet = kit.app.link().metrics().queue_depth == 0 && mesh.radio_idle();
        match (quiet, quiet_since) {
            (true, Some(t)) if t.elapsed() >= Duration::from_millis(60) => return,
            (true, None) => quiet_since = Some(Instant::now()),
            (false, _) => quiet_since = None,
            _ => {}
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// One command: sent, its first reply awaited, the mesh let settle.
async fn step(
    kit: &Kit,
    mesh: &Mesh,
    h: &mut Handset,
    cmd: &str,
    played: &mut Played,
) -> Result<(), BenchError> {
    // What came meanwhile (another player's mail notice) is this player's too.
    played
        .texts
        .extend(h.texts_until_quiet(Duration::from_millis(1)).await);
    let ids = h
        .link
        .send_text(kit.bbs, PRIMARY_CHANNEL, cmd)
        .await
        .map_err(|e| BenchError::Failed(format!("sending {cmd:?}: {e}")))?;
    played.commands.extend(ids.first());
    if let Some(first) = h.next_text(wall(FIRST_WAIT)).await {
        played.texts.push(first);
    }
    settle(kit, mesh, wall(FIRST_WAIT)).await;
    played
        .texts
        .extend(h.texts_until_quiet(Duration::from_millis(20)).await);
    Ok(())
}

/// One rule's run on a fresh mesh and store: its rows, and the mesh's whole airtime.
pub(super) async fn run_rule(
    rule: HopRule,
    topology: &Topology,
    players: &[Player],
    sessions: usize,
    opts: HopsOptions,
) -> Result<(Vec<HopRow>, f64), BenchError> {
    let mut cfg = Config::default();
    meshmush_testkit::lift_limits(&mut cfg);
    cfg.replies.hop_rule = rule;
    let sim = SimConfig {
        time_scale: SCALE,
        seed: opts.sim_seed,
        trace: true,
        ..SimConfig::multihop(topology.clone())
    };
    let kit = Kit::builder(cfg)
        .sim(sim)
        .connect_handsets(false)
        .daemon_link(move |mut l| {
            l.ack_timeout = wall(ACK_WAIT);
            // The mesh's airtime at its time scale: the budget, the wait after an
            // implicit ACK and a request's flood tail all in the model's time.
            // Pacing is not what this figure measures, and the players ask faster
            // than a duty cycle allows (as before, when the link had no airtime
            // model at all): no budget.
            l.airtime_scale = SCALE;
            l.airtime_budget = false;
            l.wait_out_floods = opts.flood_wait;
            l
        })
        .start()
        .await?;
    let result = play(&kit, players, sessions).await;
    let out = match (result, kit.mesh()) {
        (Ok(played), Some(mesh)) => {
            let trace = mesh.radio_trace();
            let rows = account(rule, kit.bbs, &trace, &mesh.radio_heard(), &played);
            let everything = secs(trace.iter().map(|t| t.airtime).sum());
            Ok((rows, everything))
        }
        (Ok(_), None) => Err(BenchError::Failed("no software mesh".into())),
        (Err(e), _) => Err(e),
    };
    let _ = kit.stop().await;
    out
}

async fn play(kit: &Kit, players: &[Player], sessions: usize) -> Result<Vec<Played>, BenchError> {
    let mesh = kit.sim()?;
    // Handset k of the mesh is topology node k + 1.
    let nodes: Vec<SimNode> = mesh.handsets().to_vec();
    let mut handsets = Vec::new();
    let mut played = Vec::new();
    for p in players {
        let node = nodes
            .get(p.node - 1)
            .ok_or_else(|| BenchError::Failed(format!("no node {}", p.node)))?;
        let mut link = fast_link_config(node);
        link.ack_timeout = wall(ACK_WAIT);
        // A player this far out has raised their node's hop limit to reach the BBS.
        link.hop_limit = link.hop_limit.max(p.hops as u32);
        let h = Handset::connect_with(node, link)
            .await
            .map_err(|e| BenchError::Failed(format!("handset {}: {e}", node.long_name)))?;
        handsets.push(h);
        played.push(Played {
            hops: p.hops,
            num: node.num,
            commands: Vec::new(),
            texts: Vec::new(),
        });
    }
    let names: Vec<String> = nodes_names(&nodes, players);
    for session in 0..sessions {
        if session > 0 {
            mesh.radio_skip(LATER);
        }
        for k in 0..players.len() {
            // Each mails the player before them (the first, the last).
            let peer = &names[(k + names.len() - 1) % names.len()];
            for cmd in standard_commands(peer) {
                step(kit, mesh, &mut handsets[k], &cmd, &mut played[k]).await?;
            }
        }
    }
    for (h, p) in handsets.iter_mut().zip(played.iter_mut()) {
        p.texts
            .extend(h.texts_until_quiet(Duration::from_millis(20)).await);
        h.link.shutdown().await;
    }
    Ok(played)
}

fn nodes_names(nodes: &[SimNode], players: &[Player]) -> Vec<String> {
    players
        .iter()
        .map(|p| {
            nodes
                .get(p.node - 1)
                .map_or_else(|| p.name.clone(), |n| n.long_name.clone())
        })
        .collect()
}

//! The handle's side of sending: what `send_packets` refuses before anything reaches
//! the link task, and what it hands over.

use meshmush_protocol::packets::{MAX_DATA_PAYLOAD, PRIMARY_CHANNEL};

use super::*;
use crate::transport::Transport;

/// A handle whose link task is played by the test, through the returned receiver.
fn handle(byte_budget: usize) -> (LinkHandle, mpsc::Receiver<Command>) {
    let mut cfg = LinkConfig::new(Transport::Tcp("127.0.0.1:9".into()));
    cfg.byte_budget = byte_budget;
    let (commands, rx) = mpsc::channel(8);
    let (_, state) = watch::channel(LinkState::Connecting { attempt: 0 });
    let (_, me) = watch::channel(None);
    let handle = LinkHandle {
        commands,
        metrics: Arc::default(),
        nodes: Arc::default(),
        state,
        me,
        max_packet: cfg.max_packet_bytes(),
        members: Arc::default(),
        name: Arc::from("test"),
    };
    (handle, rx)
}

/// Answers one `Send` with ids from 1, and returns the packets it carried.
fn answer_one(mut rx: mpsc::Receiver<Command>) -> tokio::task::JoinHandle<Vec<String>> {
    tokio::spawn(async move {
        match rx.recv().await {
            Some(Command::Send { packets, ids, .. }) => {
                let _ = ids.send(Ok((1..=packets.len() as u32).collect()));
                packets
            }
            other => panic!("expected a send, got {other:?}"),
        }
    })
}

fn strings(packets: &[&str]) -> Vec<String> {
    packets.iter().map(|p| p.to_string()).collect()
}

#[tokio::test]
async fn an_oversize_packet_refuses_the_whole_reply() {
    let (link, mut rx) = handle(60);
    let packets = vec!["(1/3) fine".to_string(), "y".repeat(61), "(3/3) ok".into()];
    let err = link
        .send_packets(7, PRIMARY_CHANNEL, Class::Known, packets)
        .await;
    assert_eq!(
        err,
        Err(SendError::TooLarge {
            index: 1,
            len: 61,
            max: 60
        })
    );
    assert!(
        matches!(rx.try_recv(), Err(mpsc::error::TryRecvError::Empty)),
        "nothing of the reply reached the link"
    );
}

#[tokio::test]
async fn a_large_budget_still_stops_at_the_firmware_limit() {
    let (link, mut rx) = handle(1000);
    assert_eq!(link.max_packet_bytes(), MAX_DATA_PAYLOAD);
    let err = link
        .send_packets(
            7,
            PRIMARY_CHANNEL,
            Class::Known,
            vec!["z".repeat(MAX_DATA_PAYLOAD + 1)],
        )
        .await;
    assert_eq!(
        err,
        Err(SendError::TooLarge {
            index: 0,
            len: MAX_DATA_PAYLOAD + 1,
            max: MAX_DATA_PAYLOAD
        })
    );
    assert!(rx.try_recv().is_err());
}

#[tokio::test]
async fn an_empty_packet_is_refused() {
    let (link, mut rx) = handle(200);
    let err = link
        .send_packets(7, PRIMARY_CHANNEL, Class::Known, strings(&["hi", ""]))
        .await;
    assert_eq!(err, Err(SendError::Empty { index: 1 }));
    assert!(rx.try_recv().is_err());
}

#[tokio::test]
async fn packets_reach_the_link_as_they_are() {
    let (link, rx) = handle(200);
    let task = answer_one(rx);
    let packet = "p".repeat(150);
    let ids = link
        .send_packets(7, PRIMARY_CHANNEL, Class::Known, vec![packet.clone()])
        .await
        .expect("queued");
    assert_eq!(ids, vec![1]);
    assert_eq!(task.await.expect("answered"), vec![packet]);
}

#[tokio::test]
async fn send_text_cuts_at_the_byte_budget() {
    let (link, rx) = handle(60);
    let task = answer_one(rx);
    let ids = link
        .send_text(7, PRIMARY_CHANNEL, "word ".repeat(40))
        .await
        .expect("queued");
    let packets = task.await.expect("answered");
    assert_eq!(ids.len(), packets.len());
    assert!(packets.len() > 1);
    assert!(packets.iter().all(|p| !p.is_empty() && p.len() <= 60));
}

#[tokio::test]
async fn a_closed_link_says_so() {
    let (link, rx) = handle(200);
    drop(rx);
    let err = link
        .send_packets(7, PRIMARY_CHANNEL, Class::Known, strings(&["hi"]))
        .await;
    assert_eq!(err, Err(SendError::Closed));
    assert!(link.send_text(7, PRIMARY_CHANNEL, "hi").await.is_err());
}

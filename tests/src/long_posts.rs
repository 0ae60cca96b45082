//! The long-post row of the soak: authors write 900-byte posts line by line (compose
//! mode: `post BOARD`, a subject, six lines, `.`) while the software mesh loses a share
//! of every transmission. Each post must arrive whole, or its author must have been
//! told: their own radio reported a line undelivered (as a real handset marks a DM
//! that got no ack), or the BBS's "Posted ... (N bytes)" named another size, or never
//! came. Nothing may be stored twice, and no line twice.
//!
//! The author behaves as a person with a handset does: a line their radio reports
//! undelivered makes them `cancel` the draft (they know it is incomplete) and count the
//! post as not made; they do not resend a line blindly, which could double it.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use meshmush::config::Config;
use meshmush::store::{Store, StoreOptions};
use meshmush_firmware_bridge::link::LinkEvent;
use meshmush_firmware_bridge::sim::handset::Handset;
use meshmush_protocol::packets::PRIMARY_CHANNEL;
use meshmush_testkit::{Kit, KitError};

/// Lines of one post, each about 149 bytes: six make a post of about 900 bytes.
const LINES: usize = 6;
/// How long an author waits for the BBS's confirmation of a finished post.
const CONFIRM_WAIT: Duration = Duration::from_secs(30);
/// Quiet that ends waiting for stray replies after a line.
const QUIET: Duration = Duration::from_millis(150);

/// What the row saw.
#[derive(Debug, Clone, Default)]
pub struct LongPostReport {
    pub attempted: usize,
    /// Stored exactly as written.
    pub whole: usize,
    /// Not stored whole, and the author knew.
    pub told: usize,
    /// Not stored whole, and the author was not told: must be none.
    pub silent: Vec<String>,
    /// Posts stored more than once, or with a line twice: must be none.
    pub doubled: Vec<String>,
    /// Lines the authors' radios reported undelivered.
    pub undelivered_lines: usize,
    pub loss: f64,
    pub elapsed: Duration,
}

impl LongPostReport {
    pub fn summary(&self) -> String {
        format!(
            "long posts at {:.0}% loss: {} written, {} whole, {} not whole and the author told, \
             {} silent, {} doubled; {} DMs reported undelivered; {:.1} s",
            self.loss * 100.0,
            self.attempted,
            self.whole,
            self.told,
            self.silent.len(),
            self.doubled.len(),
            self.undelivered_lines,
            self.elapsed.as_secs_f64()
        )
    }
}

/// One post as its author wrote it, and what they were told.
struct Written {
    subject: String,
    body: String,
    /// The author's radio reported a DM undelivered, or the BBS's confirmation
    /// named another size, or never came.
    told: bool,
}

/// A line of the post: numbered, so a doubled or missing line shows.
fn line(author: usize, post: usize, n: usize) -> String {
    let filler = "ridge trail report, snow above the hut, wind from the west, ";
    let mut text = format!("a{author} p{post} l{n}: ");
    while text.len() + filler.len() <= 149 {
        text.push_str(filler);
    }
    text.trim_end().to_string()
}

/// Sends `text` as one DM and waits until the author's radio settles it: true when
/// delivered (acked). Texts from the BBS that arrive meanwhile are kept in `heard`.
async fn send(h: &mut Handset, bbs: u32, text: &str, heard: &mut Vec<String>) -> bool {
    let Ok(ids) = h.link.send_text(bbs, PRIMARY_CHANNEL, text).await else {
        return false;
    };
    let mut open: HashSet<u32> = ids.into_iter().collect();
    let mut delivered = true;
    let deadline = tokio::time::Instant::now() + CONFIRM_WAIT;
    while !open.is_empty() {
        match tokio::time::timeout_at(deadline, h.events.recv()).await {
            Ok(Some(LinkEvent::Delivery {
                packet_id,
                result,
                will_retry,
                ..
            })) => {
                if !open.contains(&packet_id) {
                    continue;
                }
                match result {
                    Ok(()) => {
                        open.remove(&packet_id);
                    }
                    Err(_) if will_retry => {}
                    Err(_) => {
                        open.remove(&packet_id);
                        delivered = false;
                    }
                }
            }
            Ok(Some(LinkEvent::DirectText(t))) => heard.push(t.text),
            Ok(Some(_)) => {}
            _ => return false,
        }
    }
    delivered
}

/// Texts from the BBS until `quiet` passes without one, or until one satisfies `done`
/// (waiting up to `wait` for it).
async fn listen(
    h: &mut Handset,
    heard: &mut Vec<String>,
    wait: Duration,
    done: impl Fn(&str) -> bool,
) {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if heard.iter().any(|t| done(t)) {
            return;
        }
        match tokio::time::timeout_at(deadline, h.events.recv()).await {
            Ok(Some(LinkEvent::DirectText(t))) => heard.push(t.text),
            Ok(Some(_)) => {}
            _ => return,
        }
    }
}

/// One author writes one post; what they wrote and whether they were told.
async fn write_one(h: &mut Handset, bbs: u32, author: usize, post: usize) -> (Written, usize) {
    let subject = format!("report a{author} p{post}");
    let lines: Vec<String> = (1..=LINES).map(|n| line(author, post, n)).collect();
    let body = lines.join("\n");
    let mut heard = Vec::new();
    let mut undelivered = 0;
    let mut told = false;
    let steps = std::iter::once("post general".to_string())
        .chain(std::iter::once(subject.clone()))
        .chain(lines.iter().cloned());
    for text in steps {
        if !send(h, bbs, &text, &mut heard).await {
            undelivered += 1;
            told = true;
            break;
        }
        listen(h, &mut heard, QUIET, |_| false).await;
    }
    if told {
        // They know the draft is incomplete: drop it (and make sure it is dropped).
        for _ in 0..3 {
            if send(h, bbs, "cancel", &mut heard).await {
                break;
            }
            undelivered += 1;
        }
    } else {
        let confirmed = |t: &str| t.contains("Posted to general as #");
        let sent = send(h, bbs, ".", &mut heard).await;
        listen(h, &mut heard, CONFIRM_WAIT, confirmed).await;
        let size = format!("({} bytes)", body.len());
        let good = heard.iter().any(|t| confirmed(t) && t.contains(&size));
        if !sent {
            undelivered += 1;
        }
        told = !sent || !good;
    }
    // Whatever else comes for this post belongs to it, not to the next.
    listen(h, &mut heard, QUIET, |_| false).await;
    (
        Written {
            subject,
            body,
            told,
        },
        undelivered,
    )
}

/// Runs the row: `authors` handsets write `posts_each` long posts each at `loss`.
pub async fn run(
    authors: usize,
    posts_each: usize,
    loss: f64,
    data: &Path,
) -> Result<LongPostReport, KitError> {
    let started = Instant::now();
    let mut cfg = Config::default();
    meshmush_testkit::lift_limits(&mut cfg);
    let mut kit = Kit::builder(cfg)
        .handsets(authors)
        .data(data)
        .start()
        .await?;
    // Greet each author once, so the one-time welcome is not part of the row.
    for k in 0..authors {
        meshmush_testkit::replies::ask(&mut kit, k, "ping").await;
    }
    kit.sim()?.faults().set_drop(loss);
    let bbs = kit.bbs;
    let mut written = Vec::new();
    let mut report = LongPostReport {
        loss,
        ..LongPostReport::default()
    };
    for post in 0..posts_each {
        for (author, h) in kit.handsets.iter_mut().enumerate() {
            let (w, undelivered) = write_one(h, bbs, author, post).await;
            report.undelivered_lines += undelivered;
            written.push(w);
        }
    }
    kit.sim()?.faults().set_drop(0.0);
    kit.stop().await?;
    // What is on disk, read back after the daemon stopped.
    let store = Store::open(data, StoreOptions::default()).await?;
    let next = store
        .boards()
        .await?
        .into_iter()
        .find(|b| b.name == "general")
        .map_or(1, |b| b.next_num);
    let mut stored = Vec::new();
    for num in 1..next {
        if let Some(p) = store.post("general".into(), num).await? {
            stored.push(p);
        }
    }
    report.attempted = written.len();
    for w in &written {
        let copies: Vec<_> = stored.iter().filter(|p| p.subject == w.subject).collect();
        let doubled_line = copies.iter().any(|p| {
            let mut seen = HashSet::new();
            !p.text.lines().all(|l| seen.insert(l))
        });
        if copies.len() > 1 || doubled_line {
            report.doubled.push(w.subject.clone());
        }
        match copies.first() {
            Some(p) if p.text == w.body => report.whole += 1,
            _ if w.told => report.told += 1,
            _ => report.silent.push(w.subject.clone()),
        }
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

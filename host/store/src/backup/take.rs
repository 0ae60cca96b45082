//! Taking a backup: the directory made ready, the store copied at one instant while
//! writes wait, then the files written while the daemon goes on.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sled::IVec;

use super::error::{BackupError, io};
use super::file::Writer;
use super::manifest::{MANIFEST, Manifest, RECORDS, TreeCount};
use crate::disk::DiskStore;
use crate::error::StoreError;

/// Every tree's keys and values at one instant.
pub(super) struct Snapshot {
    /// By tree name, in name order.
    trees: Vec<(String, Vec<(IVec, IVec)>)>,
    next_id: u64,
    /// How long it held writes back.
    pub(super) paused: Duration,
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackedUp {
    /// The backup's directory.
    pub dir: PathBuf,
    /// Trees (record kinds and indexes), empty ones included.
    pub trees: usize,
    /// Records in all trees.
    pub records: u64,
    /// Bytes of the records file.
    pub bytes: u64,
    /// How long writes to the store waited for the copy.
    pub paused: Duration,
}

/// Copies every tree. Runs while the store holds writes back (see
/// `Store::blocking_paused`), so it only reads into memory: sled's values are
/// reference-counted, so a copy costs little beyond the walk.
pub(super) fn snapshot(db: &DiskStore) -> Result<Snapshot, StoreError> {
    let started = Instant::now();
    let raw = db.raw();
    let mut names: Vec<IVec> = raw.tree_names();
    names.sort();
    let mut trees = Vec::with_capacity(names.len());
    for name in names {
        let label = String::from_utf8(name.to_vec()).map_err(|_| StoreError::Corrupt {
            tree: "(tree names)",
            key: String::from_utf8_lossy(&name).into_owned(),
            reason: "a tree name is not UTF-8".into(),
        })?;
        let tree = raw.open_tree(&name)?;
        let records = tree.iter().collect::<Result<Vec<_>, _>>()?;
        trees.push((label, records));
    }
    let next_id = db.next_id()?;
    Ok(Snapshot {
        trees,
        next_id,
        paused: started.elapsed(),
    })
}

/// Whether a directory was made for the backup (and may be removed again).
#[derive(Clone, Copy)]
pub(super) enum Made {
    Dir,
    Nothing,
}

/// Makes `dir` ready for a backup: new (made 0700), or empty (made 0700). Refuses a
/// directory with anything in it, so a backup never mixes with another.
pub(super) fn prepare(dir: &Path) -> Result<Made, BackupError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(BackupError::TargetNotEmpty(dir.to_path_buf()));
            }
            crate::disk::private_dir(dir).map_err(io("creating", dir))?;
            Ok(Made::Nothing)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::disk::private_dir(dir).map_err(io("creating", dir))?;
            Ok(Made::Dir)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            Err(BackupError::NotADirectory(dir.to_path_buf()))
        }
        Err(e) => Err(io("reading", dir)(e)),
    }
}

/// Writes the snapshot into `dir` (made ready by [`prepare`]): the records, then the
/// manifest, each synced, then the directory. On failure, removes what it wrote
/// (and the directory, if it was made for this), so the backup can be retried.
pub(super) fn write(dir: &Path, made: Made, snap: Snapshot) -> Result<BackedUp, BackupError> {
    let written = write_files(dir, &snap);
    if written.is_err() {
        for name in [MANIFEST, RECORDS] {
            let _ = std::fs::remove_file(dir.join(name));
        }
        if let Made::Dir = made {
            let _ = std::fs::remove_dir(dir);
        }
    }
    let (bytes, records) = written?;
    Ok(BackedUp {
        dir: dir.to_path_buf(),
        trees: snap.trees.len(),
        records,
        bytes,
        paused: snap.paused,
    })
}

/// Forgets a prepared directory after the snapshot failed.
pub(super) fn abandon(dir: &Path, made: Made) {
    if let Made::Dir = made {
        let _ = std::fs::remove_dir(dir);
    }
}

fn write_files(dir: &Path, snap: &Snapshot) -> Result<(u64, u64), BackupError> {
    let path = dir.join(RECORDS);
    let mut w = Writer::new(BufWriter::new(create(&path)?)).map_err(io("writing", &path))?;
    let mut counts = Vec::with_capacity(snap.trees.len());
    for (name, records) in &snap.trees {
        w.tree(name).map_err(io("writing", &path))?;
        for (k, v) in records {
            w.record(k, v).map_err(io("writing", &path))?;
        }
        counts.push(TreeCount {
            name: name.clone(),
            records: records.len() as u64,
        });
    }
    let (out, bytes, crc) = w.finish().map_err(io("writing", &path))?;
    let file = out
        .into_inner()
        .map_err(|e| io("writing", &path)(e.into_error()))?;
    file.sync_all().map_err(io("writing", &path))?;
    let created = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let manifest = Manifest::new(created, snap.next_id, bytes, crc, counts);
    let path = dir.join(MANIFEST);
    let mut file = create(&path)?;
    file.write_all(&manifest.to_json())
        .and_then(|()| file.sync_all())
        .map_err(io("writing", &path))?;
    // The directory's entries, so both files are there after a power cut.
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io("writing", dir))?;
    Ok((bytes, manifest.records()))
}

/// A new file, owner-only (whatever the process's umask).
fn create(path: &Path) -> Result<File, BackupError> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path).map_err(io("creating", path))
}

//! Restoring a backup into a new or empty data directory: the backup checked whole
//! before anything is written (manifest, CRC, counts), the records imported, counted
//! again from the new store, and the store opened as the daemon would open it. On any
//! failure, what the restore made is removed, so the directory is as it was.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use super::error::{BackupError, io};
use super::file::{Item, ReadError, Reader};
use super::manifest::{Manifest, RECORDS, TreeCount};
use crate::disk::{DiskStore, ID_BASE_KEY, META};

/// Records written to sled in one batch.
const BATCH: usize = 1024;

/// What a restore put in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The data directory now holding the store.
    pub data: PathBuf,
    /// Trees (record kinds and indexes), empty ones included.
    pub trees: usize,
    /// Records in all trees.
    pub records: u64,
    /// When the backup was taken (Unix seconds).
    pub created: u64,
    /// The schema version the backup holds (the store migrates it on open if older).
    pub schema_version: u32,
}

/// Restores the backup in `backup` into `data`, which must be new or empty. Runs on
/// a blocking thread.
pub(super) fn restore(
    backup: &Path,
    data: &Path,
    cache_bytes: u64,
) -> Result<Restored, BackupError> {
    let manifest = Manifest::read(backup)?;
    read_records(backup, &manifest, |_| Ok(()))?;
    let made = prepare(data)?;
    match import(backup, data, &manifest, cache_bytes) {
        Ok(()) => Ok(Restored {
            data: data.to_path_buf(),
            trees: manifest.trees.len(),
            records: manifest.records(),
            created: manifest.created,
            schema_version: manifest.schema_version,
        }),
        Err(e) => {
            undo(data, made);
            Err(e)
        }
    }
}

/// Whether the restore made the data directory, or only filled an empty one.
#[derive(Clone, Copy)]
enum Made {
    Dir,
    Contents,
}

/// Refuses a data directory with a store or anything else in it; makes a new one
/// (0700).
fn prepare(data: &Path) -> Result<Made, BackupError> {
    match std::fs::read_dir(data) {
        Ok(mut entries) => {
            if data.join("db").exists() {
                return Err(BackupError::HasStore(data.to_path_buf()));
            }
            if entries.next().is_some() {
                return Err(BackupError::DataNotEmpty(data.to_path_buf()));
            }
            crate::disk::private_dir(data).map_err(io("creating", data))?;
            Ok(Made::Contents)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::disk::private_dir(data).map_err(io("creating", data))?;
            Ok(Made::Dir)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            Err(BackupError::NotADirectory(data.to_path_buf()))
        }
        Err(e) => Err(io("reading", data)(e)),
    }
}

/// Removes what a failed restore left in `data`: it was new or empty before.
fn undo(data: &Path, made: Made) {
    match made {
        Made::Dir => {
            let _ = std::fs::remove_dir_all(data);
        }
        Made::Contents => {
            if let Ok(entries) = std::fs::read_dir(data) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    let _ = if path.is_dir() {
                        std::fs::remove_dir_all(&path)
                    } else {
                        std::fs::remove_file(&path)
                    };
                }
            }
        }
    }
}

/// Reads the records file of the backup in `dir` whole, handing each item to `each`,
/// and checks it against the manifest: its length, its CRC-32, and each tree's count.
fn read_records(
    dir: &Path,
    manifest: &Manifest,
    mut each: impl FnMut(&Item) -> Result<(), BackupError>,
) -> Result<(), BackupError> {
    let damaged = |what: String| BackupError::Damaged {
        dir: dir.to_path_buf(),
        what,
    };
    let path = dir.join(RECORDS);
    let file = File::open(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => damaged(format!("{RECORDS} is missing")),
        _ => io("reading", &path)(e),
    })?;
    let size = file.metadata().map_err(io("reading", &path))?.len();
    if size != manifest.records_bytes {
        return Err(damaged(format!(
            "{RECORDS} has {size} bytes, its manifest says {}",
            manifest.records_bytes
        )));
    }
    let read = |e: ReadError| match e {
        ReadError::Io(e) => io("reading", &path)(e),
        ReadError::Bad(what) => damaged(what),
    };
    let mut reader = Reader::new(BufReader::new(file), size).map_err(read)?;
    let mut counts: Vec<TreeCount> = Vec::new();
    while let Some(item) = reader.next().map_err(read)? {
        match &item {
            Item::Tree(name) => {
                if counts.iter().any(|t| &t.name == name) {
                    return Err(damaged(format!("tree `{name}` appears twice")));
                }
                counts.push(TreeCount {
                    name: name.clone(),
                    records: 0,
                });
            }
            Item::Record(..) => match counts.last_mut() {
                Some(tree) => tree.records += 1,
                None => return Err(damaged("a record before any tree".into())),
            },
        }
        each(&item)?;
    }
    if reader.crc() != manifest.records_crc32 {
        return Err(damaged(format!(
            "{RECORDS} does not match its manifest's checksum"
        )));
    }
    compare(&counts, &manifest.trees).map_err(damaged)
}

/// Whether `found` (what the records hold, or the restored store) is what the
/// manifest lists; if not, the first difference in words.
fn compare(found: &[TreeCount], listed: &[TreeCount]) -> Result<(), String> {
    for want in listed {
        match found.iter().find(|t| t.name == want.name) {
            None => return Err(format!("tree `{}` is missing", want.name)),
            Some(t) if t.records != want.records => {
                return Err(format!(
                    "tree `{}` has {} records, its manifest says {}",
                    want.name, t.records, want.records
                ));
            }
            Some(_) => {}
        }
    }
    match found
        .iter()
        .find(|t| !listed.iter().any(|w| w.name == t.name))
    {
        Some(extra) => Err(format!("tree `{}` is not in its manifest", extra.name)),
        None => Ok(()),
    }
}

/// Writes every record of the (checked) backup into a new store in `data`, counts
/// each tree of the result against the manifest, records the id base, then opens the
/// store as the daemon does (schema check, migration of an older one) and tightens
/// the files to the owner.
fn import(
    backup: &Path,
    data: &Path,
    manifest: &Manifest,
    cache_bytes: u64,
) -> Result<(), BackupError> {
    let db = crate::disk::open_waiting_for_lock(data, cache_bytes)?;
    let mut tree: Option<sled::Tree> = None;
    let mut batch = sled::Batch::default();
    let mut pending = 0;
    read_records(backup, manifest, |item| {
        match item {
            Item::Tree(name) => {
                if let Some(t) = &tree {
                    t.apply_batch(std::mem::take(&mut batch))?;
                }
                pending = 0;
                tree = Some(db.open_tree(name)?);
            }
            Item::Record(k, v) => {
                batch.insert(k.as_slice(), v.as_slice());
                pending += 1;
                if pending == BATCH {
                    if let Some(t) = &tree {
                        t.apply_batch(std::mem::take(&mut batch))?;
                    }
                    pending = 0;
                }
            }
        }
        Ok(())
    })?;
    if let Some(t) = &tree {
        t.apply_batch(batch)?;
    }
    let mut counts = Vec::with_capacity(manifest.trees.len());
    for want in &manifest.trees {
        let t = db.open_tree(&want.name)?;
        counts.push(TreeCount {
            name: want.name.clone(),
            records: t.len() as u64,
        });
    }
    compare(&counts, &manifest.trees).map_err(|what| BackupError::Damaged {
        dir: backup.to_path_buf(),
        what: format!("after the restore, {what}"),
    })?;
    db.open_tree(META)
        .and_then(|meta| meta.insert(ID_BASE_KEY, &manifest.next_id.to_be_bytes()[..]))?;
    db.flush()?;
    // Every handle, trees too, or sled keeps the directory locked.
    drop((tree, db));
    drop(DiskStore::open(data, true, cache_bytes)?);
    owner_only(data).map_err(io("securing", data))
}

/// Makes every file under `dir` 0600 and every directory 0700, as the daemon's umask
/// would have made them, whatever the umask of the process that restored.
fn owner_only(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700))?;
                owner_only(&path)?;
            } else {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    Ok(())
}

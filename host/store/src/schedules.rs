//! When each scheduled notice (`[[schedule]]` in the config) last fired, so a restart
//! neither sends it twice in one period nor forgets that it was still owed. The
//! daemon's schedule task decides; the store only keeps one small record per schedule,
//! keyed by the schedule's own key (its cron and action, see the config's `schedule`
//! module), so reordering the file keeps the record and editing a schedule starts a
//! new one. A record for a schedule no longer in the file is left: a few bytes, and
//! it is found again if the schedule comes back.
//!
//! | tree        | key                       | value                               |
//! |-------------|---------------------------|-------------------------------------|
//! | `schedules` | the schedule's key (UTF-8) | postcard `ScheduleFiredRecord::V1` |

use serde::{Deserialize, Serialize};

use super::error::StoreError;
use super::handle::Store;
use super::records::versioned;

/// A schedule's last firing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleFired {
    /// The time it was due that it was sent (or given up) for, Unix seconds: the
    /// cron time, not the moment it went, so the next period is counted from it.
    pub due: i64,
}

/// The envelope a [`ScheduleFired`] is stored in. Only ever append variants.
#[derive(Serialize, Deserialize)]
pub(super) enum ScheduleFiredRecord {
    V1(ScheduleFired),
}

versioned!(ScheduleFired, ScheduleFiredRecord, "schedules");

impl Store {
    /// When the schedule `key` last fired, if ever.
    pub async fn schedule_fired(&self, key: String) -> Result<Option<ScheduleFired>, StoreError> {
        self.blocking(move |db| {
            db.tree_of::<ScheduleFired>()?
                .get(key.as_bytes())?
                .map(|v| super::records::decode(key.as_bytes(), &v))
                .transpose()
        })
        .await
    }

    /// Records that the schedule `key` fired for its time `fired.due`.
    pub async fn set_schedule_fired(
        &self,
        key: String,
        fired: ScheduleFired,
    ) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            let bytes = super::records::encode(key.as_bytes(), &fired)?;
            db.tree_of::<ScheduleFired>()?
                .insert(key.as_bytes(), bytes)?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreOptions;

    #[tokio::test]
    async fn a_firing_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), StoreOptions::default())
            .await
            .unwrap();
        let key = "0 18 * * SUN\0wall\0net".to_string();
        assert_eq!(store.schedule_fired(key.clone()).await.unwrap(), None);
        let fired = ScheduleFired { due: 1_772_992_800 };
        store
            .set_schedule_fired(key.clone(), fired.clone())
            .await
            .unwrap();
        store.close().await.unwrap();
        let store = Store::open(dir.path(), StoreOptions::default())
            .await
            .unwrap();
        assert_eq!(store.schedule_fired(key).await.unwrap(), Some(fired));
        assert_eq!(store.schedule_fired("other".into()).await.unwrap(), None);
    }
}

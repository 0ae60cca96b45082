//! Why a change to the world, a house claim or a deal was refused. A leaf: the
//! [`StoreError`](super::error::StoreError) that carries them, and the kinds of record
//! that refuse, both import it, so neither imports the other.

/// Why a world change was refused; the caller words it for the player.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorldRefusal {
    #[error("there is no object #{0}")]
    NoSuchObject(u64),
    #[error("#{0} is not a room")]
    NotARoom(u64),
    #[error("not enough coins")]
    NotEnoughCoins,
    #[error("that is not there any more")]
    Moved,
    #[error("that room still holds things or exits")]
    NotEmpty,
    #[error("the starting room cannot be destroyed")]
    StartRoom,
    #[error("the world has no rooms yet")]
    NoWorld,
}

/// Why a claim was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimRefusal {
    #[error("that house is taken")]
    Taken,
    #[error("you own as many houses as you may")]
    Cap,
    #[error("not enough coins")]
    NotEnoughCoins,
}

/// Why a deal was refused; the command words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DealRefusal {
    #[error("not enough coins")]
    NotEnoughCoins,
    #[error("that is not yours to give any more")]
    NotHeld,
    #[error("sold out")]
    SoldOut,
    #[error("the till is empty")]
    TillEmpty,
}

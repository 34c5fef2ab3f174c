//! Local block sealing for tests and tooling (`--sealing`), replacing Aura and GRANDPA on a
//! single-node development chain.
//!
//! Blocks still carry Aura pre-digests, so the same runtime runs unchanged. Aura requires each
//! block's slot to exceed its parent's and the timestamp to match the slot; sealing faster than
//! the slot duration therefore advances the block timestamp by one slot per block (it runs ahead
//! of the wall clock while blocks come faster than every 6 s).

use std::{str::FromStr, sync::Arc, time::Duration};

use codec::Decode;
use futures::{stream, Stream, StreamExt};
use myelin_runtime::opaque::Block;
use sc_client_api::StorageProvider;
use sc_consensus_manual_seal::EngineCommand;
use sp_core::storage::StorageKey;
use sp_runtime::traits::Block as BlockT;

/// How blocks are sealed when `--sealing` is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealing {
	/// A block for every imported transaction, and at least one every [`HEARTBEAT`].
	Instant,
	/// A block every given number of milliseconds.
	Interval(u64),
	/// No sealing here: import the blocks of a sealing peer (`--bootnodes`), for a second node
	/// (a miner, a gateway) on a sealed development network. Such blocks carry no Aura seal, so
	/// they are imported unverified, and never finalized here: for loopback tests only.
	Follow,
}

/// The longest gap between two blocks in instant sealing.
pub const HEARTBEAT: Duration = Duration::from_secs(1);

impl FromStr for Sealing {
	type Err = String;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		if s == "instant" {
			return Ok(Sealing::Instant);
		}
		if s == "follow" {
			return Ok(Sealing::Follow);
		}
		match s.parse::<u64>() {
			Ok(0) => Err("the sealing interval must be at least 1 millisecond".into()),
			Ok(ms) => Ok(Sealing::Interval(ms)),
			Err(_) => {
				Err(format!("expected `instant`, `follow` or a number of milliseconds, got `{s}`"))
			}
		}
	}
}

/// A command that seals one new block on the best block and finalizes it at once.
fn seal_and_finalize() -> EngineCommand<<Block as BlockT>::Hash> {
	EngineCommand::SealNewBlock {
		create_empty: true,
		finalize: true,
		parent_hash: None,
		sender: None,
	}
}

/// The stream of seal commands for the chosen mode; `transactions` fires for every transaction
/// imported into the pool.
pub fn commands(
	sealing: Sealing,
	transactions: impl Stream<Item = ()> + Send + Unpin + 'static,
) -> impl Stream<Item = EngineCommand<<Block as BlockT>::Hash>> + Send + Unpin + 'static {
	// A fixed-rate clock: a slow block does not push the next tick back.
	let ticks = |period: Duration| {
		let now = tokio::time::Instant::now();
		let mut clock = tokio::time::interval_at(now.checked_add(period).unwrap_or(now), period);
		clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
		stream::unfold(clock, |mut clock| async move {
			clock.tick().await;
			Some(((), clock))
		})
		.boxed()
	};
	let triggers = match sealing {
		Sealing::Interval(ms) => ticks(Duration::from_millis(ms)),
		Sealing::Instant => stream::select(transactions, ticks(HEARTBEAT)).boxed(),
		Sealing::Follow => stream::empty().boxed(),
	};
	triggers.map(|()| seal_and_finalize())
}

/// Storage key of `pallet_timestamp::Now`.
fn timestamp_now_key() -> StorageKey {
	let mut key = sp_io::hashing::twox_128(b"Timestamp").to_vec();
	key.extend_from_slice(&sp_io::hashing::twox_128(b"Now"));
	StorageKey(key)
}

/// The timestamp for a block sealed on `parent`: the wall clock, but at least one slot after
/// the parent's timestamp so the Aura slot always advances.
pub fn next_timestamp<C>(
	client: &Arc<C>,
	parent: <Block as BlockT>::Hash,
	slot_duration_ms: u64,
) -> sp_timestamp::Timestamp
where
	C: StorageProvider<Block, sc_service::TFullBackend<Block>>,
{
	let parent_ms = client
		.storage(parent, &timestamp_now_key())
		.ok()
		.flatten()
		.and_then(|data| u64::decode(&mut &data.0[..]).ok())
		.unwrap_or(0);
	let now_ms = sp_timestamp::Timestamp::current().as_millis();
	let earliest = parent_ms.saturating_add(slot_duration_ms);
	sp_timestamp::Timestamp::new(now_ms.max(earliest))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_modes() {
		assert_eq!("instant".parse::<Sealing>(), Ok(Sealing::Instant));
		assert_eq!("250".parse::<Sealing>(), Ok(Sealing::Interval(250)));
		assert_eq!("follow".parse::<Sealing>(), Ok(Sealing::Follow));
		assert!("0".parse::<Sealing>().is_err());
		assert!("fast".parse::<Sealing>().is_err());
	}

	#[test]
	fn storage_key_is_timestamp_now() {
		// twox128("Timestamp") ++ twox128("Now"), as every Substrate explorer computes it.
		assert_eq!(
			hex::encode(timestamp_now_key().0),
			"f0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb"
		);
	}
}

//! Unit tests of the stake pallet, one file per topic.

pub(crate) mod mock;

mod credit;
mod permits;
mod staking;
mod take;

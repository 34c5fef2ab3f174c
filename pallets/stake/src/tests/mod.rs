//! Unit tests of the stake pallet, one file per topic.

mod mock;

mod credit;
mod permits;
mod staking;
mod take;

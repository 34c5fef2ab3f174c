//! Unit tests of the stake pallet, one file per topic.

pub(crate) mod mock;

mod accrual;
mod credit;
mod moves;
mod staking;
mod take;

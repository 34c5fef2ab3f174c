//! Configuration of every pallet in the runtime, one file per concern. Constants that users and
//! wallets care about (existential deposit, fees, lock and burn prices) are documented where
//! they are set.

mod balances;
#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helpers;
mod consensus;
mod emission;
mod governance;
mod inference;
mod stake;
mod subnets;
mod system;
mod yuma;

pub use balances::EXISTENTIAL_DEPOSIT;
pub use governance::{SubnetsGovernance, Tracks, ROOT_TRACK, SUBNET_PARAMS_TRACK};
pub use subnets::MAX_SUBNETS;
pub use system::{RuntimeBlockLength, RuntimeBlockWeights};

//! Unit tests of the subnets pallet, one file per topic.

pub(crate) mod mock;

mod burn;
mod hyperparams;
mod migrations;
mod networks;
mod pruning;
mod registration;
mod serving;

//! # myelin-node
//!
//! The Myelin full node: executes the WASM runtime, authors blocks with Aura, finalizes them with
//! GRANDPA, stores the chain in RocksDB, runs off-chain workers and serves JSON-RPC.

// `sc_cli::Error` and `sc_service::Error` are large by design; the node's functions return them
// as the Substrate APIs they implement require.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod explorer;
mod rpc;
mod sealing;
mod service;
mod serving;

fn main() -> sc_cli::Result<()> {
	command::run()
}

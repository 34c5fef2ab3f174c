mod commit_reveal;
mod migrations;
pub(crate) mod mock;
mod offchain;
mod rounds;
mod scoring;
mod spec;

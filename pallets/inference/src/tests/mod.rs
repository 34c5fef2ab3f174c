mod commit_reveal;
pub(crate) mod mock;
mod offchain;
mod rounds;
mod scoring;
mod spec;

mod commit_reveal;
mod epoch;
pub mod mock;
mod neuron_change;
mod set_weights;

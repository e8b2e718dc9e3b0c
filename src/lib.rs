//! dangjian: scores, ranks and explains the yearly records of grassroots Party
//! organisations. One direction: `yaml` → `model` → `load` → `score` → `view` → `render` →
//! `build`, with `pipeline` running load and score for every command and returning its
//! diagnostics; only `cli` (the binary's side) prints.

pub mod build;
pub mod cli;
pub mod decimal;
pub mod diagnostics;
pub mod load;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod score;
pub mod suggest;
pub mod timings;
pub mod view;
pub mod yaml;

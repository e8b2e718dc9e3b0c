//! dangjian: scores, ranks and explains the yearly records of grassroots Party
//! organisations. Three stages in one direction: `load` → `score` → render.

pub mod build;
pub mod cli;
pub mod decimal;
pub mod diagnostics;
pub mod load;
pub mod model;
pub mod output;
pub mod render;
pub mod score;
pub mod suggest;
pub mod timings;
pub mod view;
pub mod yaml;

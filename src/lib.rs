//! dangjian: scores, ranks and explains the yearly records of grassroots Party
//! organisations.
//!
//! The layers, each importing only from those before it:
//!
//! ```text
//! yaml → model → load → score → view → render → build → cli
//! ```
//!
//! - `yaml` reads YAML into positioned nodes; `model` is the input (indicator system,
//!   records, the project tree); `load` walks `content/` and validates it into the model;
//!   `score` is pure arithmetic into the assessment; `pipeline` runs load and score for
//!   every command and returns their diagnostics.
//! - `view` turns the assessment into what the reports show (every number formatted once,
//!   charts drawn); `render` writes it as HTML (Tera) and PDF (typst) and only renders;
//!   `output` prints `score`'s table, CSV and JSON and writes its workbook; `build` stages and
//!   swaps the output.
//! - `excel` (beside `build`): the fill-in workbook from a year's system and records, and
//!   the import of filled workbooks, validated through `load` before anything is written.
//! - `workflow` (above `build`): `init` (a new project), `new_year` (the next year's
//!   folder) and `serve` (the live preview, rebuilding through `build`).
//! - `cli` is the only place that prints.
//! - Leaves every layer may use: `diagnostics`, `decimal`, `suggest`, `links` (what a
//!   narrative's link points at), `escape` (HTML/XML text), `invisible` (the one policy for
//!   invisible and control characters in user text), `chart` (SVG charts, drawn for the
//!   view and embedded by the renderers), `timings`, `progress` (how far long work has
//!   come, for a listener the binary installs).

pub mod build;
pub mod chart;
pub mod cli;
pub mod decimal;
pub mod diagnostics;
pub mod escape;
pub mod excel;
pub mod invisible;
pub mod links;
pub mod load;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod score;
pub mod suggest;
pub mod timings;
pub mod view;
pub mod workflow;
pub mod yaml;

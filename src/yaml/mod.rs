//! YAML with positions. serde_yaml cannot say *where* a value sits once it has been
//! deserialised, stops at the first error and hands numbers over as binary floats; the
//! contract wants every error with line and column and numbers exactly as written. So the
//! files are read into a small tree of nodes that keep their position and their scalar
//! text, and typed readers turn nodes into the model while collecting diagnostics.

mod fast;
pub mod node;
mod normalise;
pub mod read;
mod syntax;

pub use node::{Entry, Kind, Node, Scalar, parse};
pub use read::{Fields, Reader, ScalarValue};

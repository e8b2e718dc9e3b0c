//! Reusing unchanged output files from the previous build: one mechanism for the pages, the
//! files copied into the site and the PDFs.
//!
//! Every build writes into a fresh staging folder. Each output file has a fingerprint
//! ([`fingerprint`]: XXH3-128 of the program's own executable, the kind of file and
//! everything it is made from); the previous build recorded each file's fingerprint and the
//! size and modification time it left the file with in `.dangjian/manifest.json`
//! ([`manifest`]). A file whose fingerprint is the recorded one, and whose old copy still
//! has that size and modification time (it was not edited by hand since), is hard-linked
//! from the previous output (copied where linking is not possible) instead of being made
//! again: no rendering, no typst, no bytes read. A link costs no new inode, and the old
//! output stays intact until the new one is swapped in. Files are written only as new files
//! ([`write`]), so the previous output is never written through a link.
//!
//! What each fingerprint covers, besides the program:
//! - a page: every template of the theme, the template and path of the page, its variables;
//! - a copied or generated file (`static/…`, `files/…`, `search-index.js`): its bytes;
//! - a PDF: typst's version, the theme's typst files, the contents of the fonts, its
//!   template, its creation time and its data (see `render::pdf`).

pub mod fingerprint;
pub mod manifest;
pub mod write;

pub use fingerprint::{Fingerprint, Hasher, Program, encode_object, encode_value};
pub use manifest::{MANIFEST, Outputs};
pub use write::{Stamp, in_new_folder, write_error, write_new};

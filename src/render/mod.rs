//! Rendering: the view model into HTML (Tera) and PDF (typst). Renderers never compute a
//! score, a rank or a grade; every number comes from the view model.

pub mod html;
pub mod pdf;
pub mod reuse;
pub mod theme;

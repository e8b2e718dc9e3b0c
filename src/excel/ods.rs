//! An .ods looked at before calamine expands it: the sheet XML is streamed once, counting
//! the cells it would become (a cell may repeat itself across 16,384 columns and a row a
//! million times, so a few bytes can ask for a hundred million cells), and collecting the
//! merged ranges (`number-rows-spanned` / `number-columns-spanned`), which calamine does not
//! report for .ods.

use std::collections::HashMap;
use std::io::{BufReader, Read, Seek};

use quick_xml::events::{BytesStart, Event};

use super::workbook::{MAX_CELLS, MAX_ROWS, ReadError};

/// Merged ranges by sheet name: (first row, first column, last row, last column), 0-based.
pub type Merges = HashMap<String, Vec<(u32, u32, u32, u32)>>;

fn attr(e: &BytesStart, name: &str) -> Option<u64> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse().ok())
}

fn has_attr(e: &BytesStart, name: &str) -> bool {
    e.attributes().flatten().any(|a| a.key.as_ref() == name)
}

fn table_name(e: &BytesStart) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == "table:name")
        .and_then(|a| {
            quick_xml::escape::unescape(&a.value)
                .ok()
                .map(|v| v.into_owned())
        })
        .unwrap_or_default()
}

/// Scans `content.xml`: refuses a sheet that would expand past the limits, and gives the
/// merged ranges of each sheet.
pub fn scan<R: Read + Seek>(file: R) -> Result<Merges, ReadError> {
    let bad = |e: &dyn std::fmt::Display| format!("无法作为工作簿读取（{e}）");
    let mut zip = zip::ZipArchive::new(file).map_err(|e| bad(&e))?;
    let entry = zip.by_name("content.xml").map_err(|e| bad(&e))?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(entry));
    let mut buf = Vec::new();
    let mut merges = Merges::new();
    let (mut sheet, mut row, mut col) = (String::new(), 0u64, 0u64);
    let mut row_repeat = 1u64;
    let mut cells = 0u64;
    // Inside a cell opened with a start tag: its text makes it a value.
    let mut open_cell: Option<u64> = None;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| bad(&e))?;
        let empty = matches!(event, Event::Empty(_));
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    sheet = table_name(e);
                    row = 0;
                }
                "table:table-row" => {
                    col = 0;
                    row_repeat = attr(e, "table:number-rows-repeated").unwrap_or(1).max(1);
                    if empty {
                        row += row_repeat;
                    }
                }
                name @ ("table:table-cell" | "table:covered-table-cell") => {
                    let repeat = attr(e, "table:number-columns-repeated").unwrap_or(1).max(1);
                    let rows = attr(e, "table:number-rows-spanned").unwrap_or(1);
                    let cols = attr(e, "table:number-columns-spanned").unwrap_or(1);
                    if name == "table:table-cell" && (rows > 1 || cols > 1) {
                        let clip = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
                        merges.entry(sheet.clone()).or_default().push((
                            clip(row),
                            clip(col),
                            clip(row + rows - 1),
                            clip(col + cols - 1),
                        ));
                    }
                    let n = row_repeat.saturating_mul(repeat);
                    if has_attr(e, "office:value-type") {
                        count(&mut cells, n, row, &sheet)?;
                    } else if !empty {
                        open_cell = Some(n);
                    }
                    col = col.saturating_add(repeat);
                }
                "text:p" => {
                    if let Some(n) = open_cell.take() {
                        count(&mut cells, n, row, &sheet)?;
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => row = row.saturating_add(row_repeat),
                "table:table-cell" | "table:covered-table-cell" => open_cell = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(merges)
}

/// Adds the cells a (repeated) value becomes; refuses past the limits.
fn count(cells: &mut u64, n: u64, row: u64, sheet: &str) -> Result<(), ReadError> {
    *cells = cells.saturating_add(n);
    if *cells > MAX_CELLS as u64 {
        return Err(format!(
            "工作簿的非空单元格超过 {MAX_CELLS} 个（“{sheet}”表中一个值被重复了 {n} 次），已拒绝"
        ));
    }
    if row > u64::from(MAX_ROWS) + 2 {
        return Err(format!(
            "工作表“{sheet}”超过 {MAX_ROWS} 行；请用 dangjian template --org 按组织分开生成、分别填写"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use super::*;

    fn ods(body: &str) -> Cursor<Vec<u8>> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("content.xml", opts).unwrap();
        let xml = format!(
            r#"<?xml version="1.0"?><office:document-content><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
        );
        zip.write_all(xml.as_bytes()).unwrap();
        let mut c = zip.finish().unwrap();
        c.set_position(0);
        c
    }

    #[test]
    fn a_value_repeated_into_millions_of_cells_is_refused() {
        // 50 bytes asking for 1,000,000 × 16,000 cells.
        let bomb = r#"<table:table table:name="会议"><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16000"/></table:table-row></table:table>"#;
        let e = scan(ods(bomb)).unwrap_err();
        assert!(e.contains("非空单元格超过"), "{e}");
        // Rows past the limit, one value each.
        let tall = r#"<table:table table:name="会议"><table:table-row table:number-rows-repeated="700000"><table:table-cell/></table:table-row><table:table-row><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#;
        let e = scan(ods(tall)).unwrap_err();
        assert!(e.contains("超过 600000 行"), "{e}");
        // Empty rows repeated to the end of the sheet (as LibreOffice saves) are nothing.
        let styled = r#"<table:table table:name="会议"><table:table-row><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#;
        assert!(scan(ods(styled)).unwrap().is_empty());
    }

    #[test]
    fn merged_ranges_are_found() {
        let merged = r#"<table:table table:name="会议"><table:table-row><table:table-cell/><table:table-cell table:number-rows-spanned="2" table:number-columns-spanned="1"><text:p>a</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell/><table:covered-table-cell/></table:table-row></table:table>"#;
        assert_eq!(scan(ods(merged)).unwrap()["会议"], vec![(0, 1, 1, 1)]);
    }
}
